/**
 * The scripted actions of the fake Claude CLI, run in the session's cwd, each
 * reported on stdout the way the real CLI reports tool use in stream-json: an
 * `assistant` tool_use event, then a `user` tool_result event.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { FakeClaudeAction } from "./fake-claude-script";

export interface ActionContext {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Emits one stream-json event (no-op for the text/json formats). */
  emit: (event: Record<string, unknown>) => Promise<void>;
  assistant: (content: Record<string, unknown>[]) => Record<string, unknown>;
  toolResult: (toolUseId: string, content: string, isError: boolean) => Record<string, unknown>;
  /** Set while a hang ignores SIGINT. */
  setIgnoreInterrupt: (ignore: boolean) => void;
}

let toolCounter = 0;

async function tool(ctx: ActionContext, name: string, input: Record<string, unknown>, run: () => [string, boolean]) {
  toolCounter += 1;
  const id = `toolu_fake${String(toolCounter).padStart(4, "0")}`;
  await ctx.emit(ctx.assistant([{ type: "tool_use", id, name, input }]));
  const [content, isError] = run();
  await ctx.emit(ctx.toolResult(id, content, isError));
}

async function flood(stream: NodeJS.WriteStream, bytes: number): Promise<void> {
  const line = `${"x".repeat(1023)}\n`;
  let left = bytes;
  while (left > 0) {
    const chunk = left >= line.length ? line.repeat(Math.min(64, Math.floor(left / line.length))) : "x".repeat(left);
    left -= chunk.length;
    if (!stream.write(chunk)) await new Promise((done) => stream.once("drain", done));
  }
}

/** True when the action was a tool call (it counts as a turn). */
export async function runAction(action: FakeClaudeAction, ctx: ActionContext): Promise<boolean> {
  if ("write" in action || "append" in action) {
    const spec = "write" in action ? action.write : action.append;
    const path = resolve(ctx.cwd, spec.path);
    const name = "write" in action ? "Write" : "Edit";
    await tool(ctx, name, { file_path: path, content: spec.content }, () => {
      mkdirSync(dirname(path), { recursive: true });
      if ("write" in action) writeFileSync(path, spec.content);
      else appendFileSync(path, spec.content);
      return [`File ${"write" in action ? "created" : "updated"} successfully at: ${path}`, false];
    });
    return true;
  }
  if ("run" in action) {
    await tool(ctx, "Bash", { command: action.run }, () => {
      const out = spawnSync("sh", ["-c", action.run], { cwd: ctx.cwd, env: ctx.env, encoding: "utf8" });
      const text = `${out.stdout ?? ""}${out.stderr ?? ""}`.trim() || "(Bash completed with no output)";
      return [text, out.status !== 0];
    });
    return true;
  }
  if ("spawnChild" in action) {
    await tool(ctx, "Bash", { command: action.spawnChild, run_in_background: true }, () => {
      const child = spawn("sh", ["-c", action.spawnChild], {
        cwd: ctx.cwd,
        env: ctx.env,
        detached: true,
        stdio: "ignore",
      });
      child.unref();
      writeFileSync(resolve(ctx.cwd, action.pidFile), String(child.pid));
      return [`Command running in background with ID: ${child.pid}`, false];
    });
    return true;
  }
  if ("text" in action) {
    await ctx.emit(ctx.assistant([{ type: "text", text: action.text }]));
    return false;
  }
  if ("sleep" in action) {
    await Bun.sleep(action.sleep);
    return false;
  }
  if ("hang" in action) {
    ctx.setIgnoreInterrupt(action.ignoreInterrupt === true);
    // A timer keeps the event loop alive; only a signal ends this (or the orphan watch in fake-claude.ts).
    await new Promise(() => setInterval(() => undefined, 60_000));
    return false;
  }
  if ("stdoutBytes" in action) await flood(process.stdout, action.stdoutBytes);
  else if ("stderrBytes" in action) await flood(process.stderr, action.stderrBytes);
  return false;
}
