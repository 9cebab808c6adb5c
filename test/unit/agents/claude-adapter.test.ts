import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClaudeAdapter } from "../../../src/agents/claude/adapter";
import type { AgentProgress, AgentRunOptions } from "../../../src/agents/types";
import { createRedactor } from "../../../src/system/secrets";
import { createSys } from "../../../src/system/sys";
import {
  type FakeClaudeScript,
  fakeClaudeEnv,
  fakeClaudePath,
  readFakeClaudeLog,
  writeFakeClaudeScript,
} from "../../fakes/fake-claude-script";
import { readPidFile, waitUntilGone } from "../../fakes/process-probe";

let dir: string;
let workdir: string;
let logPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-claude-adapter-"));
  workdir = join(dir, "repo");
  await mkdir(workdir);
  logPath = join(dir, "invocations.jsonl");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function adapterFor(
  script: FakeClaudeScript,
  env: { asRoot?: boolean; isSandbox?: boolean; extra?: Record<string, string> } = {},
  redact?: (text: string) => string,
  permissionMode?: "acceptEdits" | "bypassPermissions",
) {
  const scriptPath = await writeFakeClaudeScript(dir, script);
  const sys = createSys({ env: fakeClaudeEnv({ scriptPath, logPath, ...env }), naxHome: join(dir, "nax-home") });
  return createClaudeAdapter({
    sys,
    command: fakeClaudePath(),
    killGraceMs: 300,
    ...(redact ? { redact } : {}),
    ...(permissionMode ? { permissionMode } : {}),
  });
}

function runOptions(overrides: Partial<AgentRunOptions> = {}): AgentRunOptions {
  return {
    prompt: "# Task: US-001 — greet",
    workdir,
    model: "sonnet",
    timeoutMs: 20_000,
    stallTimeoutMs: 10_000,
    ...overrides,
  };
}

describe("createClaudeAdapter against the fake CLI", () => {
  test("with a redactor, the prompt, progress and result carry no secret, not even a fragment cut by the progress line's cap (trap 30)", async () => {
    const secret = "sk-ant-adapter-secret-0123456789abcdef";
    // The secret straddles the 197-character cut of a progress line.
    const text = `${"y".repeat(185)} ${secret} tail`;
    const adapter = await adapterFor(
      { default: { actions: [{ text }], result: { is_error: true, result: `upstream refused ${secret}` } } },
      {},
      createRedactor({ ANTHROPIC_API_KEY: secret }).text,
    );
    const progress: AgentProgress[] = [];
    const result = await adapter.run(
      runOptions({ prompt: `fix it; key ${secret}`, onProgress: (p) => progress.push(p) }),
    );
    const seen = JSON.stringify({ result, progress, prompts: (await readFakeClaudeLog(logPath)).map((c) => c.prompt) });
    expect(seen).toContain("[redacted]");
    expect(seen).not.toContain(secret.slice(0, 12));
    expect(seen).not.toContain(secret.slice(-12));
  });

  test("a successful session reports the CLI's total_cost_usd, tokens and turns, with the prompt on stdin", async () => {
    const adapter = await adapterFor({
      sessions: [
        {
          match: "US-001",
          actions: [{ write: { path: "hello.txt", content: "hi\n" } }],
          result: {
            total_cost_usd: 0.4321,
            result: "Created hello.txt",
            usage: { input_tokens: 210, output_tokens: 34 },
          },
        },
      ],
    });
    const progress: AgentProgress[] = [];
    const result = await adapter.run(runOptions({ onProgress: (p) => progress.push(p) }));
    expect(result.outcome).toBe("success");
    expect(result.costUsd).toBe(0.4321);
    expect(result.inputTokens).toBe(210);
    expect(result.outputTokens).toBe(34);
    expect(result.numTurns).toBe(2);
    expect(result.resultText).toBe("Created hello.txt");
    expect(result.exitCode).toBe(0);
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readFile(join(workdir, "hello.txt"), "utf8")).toBe("hi\n");
    expect(progress.map((p) => p.kind)).toEqual(["init", "usage", "tool", "usage", "text"]);
    expect(progress[2]?.detail).toContain("Write");
    // Each new message adds its tokens as the stream reports them; the result's own totals come with the result.
    expect(progress.flatMap((p) => (p.usage ? [p.usage] : []))).toEqual([
      { inputTokens: 12, outputTokens: 1 },
      { inputTokens: 24, outputTokens: 2 },
    ]);

    const [call] = await readFakeClaudeLog(logPath);
    expect(call?.prompt).toBe("# Task: US-001 — greet");
    expect(call?.cwd).toBe(workdir);
    expect(call?.argv).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--model",
      "sonnet",
      "--dangerously-skip-permissions",
    ]);
  });

  test("is_error with exit 0 and subtype success is an error, not a success", async () => {
    const adapter = await adapterFor({
      default: {
        result: { is_error: true, exitCode: 0, subtype: "success", result: "something broke", total_cost_usd: 0.02 },
      },
    });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("something broke");
    // A failed session still cost money: it is counted.
    expect(result.costUsd).toBe(0.02);
  });

  test("a 429 is rate-limited with retryAfterMs from the CLI's last api_retry", async () => {
    const adapter = await adapterFor({ default: { result: { api_error_status: 429, rateLimitRetryDelayMs: 1500 } } });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("rate-limited");
    expect(result.apiErrorStatus).toBe(429);
    expect(result.retryAfterMs).toBe(1500);
    expect(result.exitCode).toBe(1);
  });

  test("a root refusal says to set IS_SANDBOX=1 only in a sandbox or run as non-root", async () => {
    const adapter = await adapterFor({}, { asRoot: true, isSandbox: false });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("refused");
    expect(result.error).toContain("IS_SANDBOX=1");
    expect(result.error).toContain("non-root user");
    expect(result.stderrTail).toContain("cannot be used with root/sudo privileges");
  });

  test("acceptEdits passes --permission-mode acceptEdits, which root may use without IS_SANDBOX", async () => {
    const adapter = await adapterFor({}, { asRoot: true, isSandbox: false }, undefined, "acceptEdits");
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("success");
    const [call] = await readFakeClaudeLog(logPath);
    expect(call?.argv.slice(-2)).toEqual(["--permission-mode", "acceptEdits"]);
    expect(call?.argv).not.toContain("--dangerously-skip-permissions");
  });

  test("a missing binary is not-found with the install command, from run and from isInstalled", async () => {
    const sys = createSys({ env: fakeClaudeEnv({}), naxHome: join(dir, "nax-home") });
    const adapter = createClaudeAdapter({ sys, command: join(dir, "no-claude-here") });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("not-found");
    expect(result.error).toContain("npm install -g @anthropic-ai/claude-code");
    const check = await adapter.isInstalled();
    expect(check.ok).toBe(false);
    expect(check.fix).toBe("npm install -g @anthropic-ai/claude-code");
  });

  test("isInstalled reports the version the CLI prints", async () => {
    const adapter = await adapterFor({});
    expect(await adapter.isInstalled()).toEqual({ ok: true, installed: true, version: "2.1.197-fake", login: "yes" });
  });

  test("isInstalled reports a CLI that is not logged in, with how to log in, before any session", async () => {
    const adapter = await adapterFor({}, { extra: { NAX_FAKE_CLAUDE_LOGGED_OUT: "1" } });
    const check = await adapter.isInstalled();
    expect(check.ok).toBe(false);
    expect(check.message).toContain("not logged in");
    expect(check.fix).toContain("claude auth login");
  });

  test("the stall timeout stops the CLI and kills its grandchild in another process group", async () => {
    const adapter = await adapterFor({
      default: { actions: [{ spawnChild: "exec sleep 300", pidFile: "grandchild.pid" }, { hang: true }] },
    });
    const started = Date.now();
    const result = await adapter.run(runOptions({ stallTimeoutMs: 700 }));
    expect(result.outcome).toBe("stalled");
    expect(Date.now() - started).toBeLessThan(10_000);
    const grandchild = await readPidFile(join(workdir, "grandchild.pid"));
    const [call] = await readFakeClaudeLog(logPath);
    expect(await waitUntilGone([grandchild, call?.pid ?? 0])).toBe(true);
  });

  test("a CLI that ignores SIGINT past the wall-clock timeout is killed and reported as timeout", async () => {
    const adapter = await adapterFor({ default: { actions: [{ hang: true, ignoreInterrupt: true }] } });
    const result = await adapter.run(runOptions({ timeoutMs: 600 }));
    expect(result.outcome).toBe("timeout");
    const [call] = await readFakeClaudeLog(logPath);
    expect(await waitUntilGone([call?.pid ?? 0])).toBe(true);
  });

  test("an abort signal stops the session as aborted", async () => {
    const adapter = await adapterFor({ default: { actions: [{ hang: true }] } });
    const controller = new AbortController();
    const pending = adapter.run(runOptions({ signal: controller.signal, onProgress: () => controller.abort() }));
    const result = await pending;
    expect(result.outcome).toBe("aborted");
  });

  test("only allowlisted variables and the tier's env reach the CLI", async () => {
    const adapter = await adapterFor(
      {},
      { extra: { ANTHROPIC_API_KEY: "sk-test", AWS_SECRET_ACCESS_KEY: "nope", GITHUB_TOKEN: "nope", CLAUDECODE: "1" } },
    );
    await adapter.run(runOptions({ env: { TIER_ONLY_SETTING: "x" } }));
    const [call] = await readFakeClaudeLog(logPath);
    expect(call?.envKeys).toContain("ANTHROPIC_API_KEY");
    expect(call?.envKeys).toContain("TIER_ONLY_SETTING");
    expect(call?.envKeys).toContain("NAX_FAKE_CLAUDE_SCRIPT");
    expect(call?.envKeys).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(call?.envKeys).not.toContain("GITHUB_TOKEN");
    expect(call?.envKeys).not.toContain("CLAUDECODE");
  });

  test("megabytes of output do not hang the session and the result is still found", async () => {
    const adapter = await adapterFor({
      default: {
        actions: [{ stdoutBytes: 3 * 1024 * 1024 }, { stderrBytes: 2 * 1024 * 1024 }],
        result: { total_cost_usd: 0.05 },
      },
    });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("success");
    expect(result.costUsd).toBe(0.05);
    expect(result.stderrTail.length).toBeLessThanOrEqual(2000);
  });

  test("a CLI that dies without a result event is an error naming the exit code", async () => {
    const adapter = await adapterFor({ default: { result: { omitResult: true, exitCode: 3 } } });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("code 3");
    expect(result.costUsd).toBe(0);
  });

  test("complete() is a one-turn session without a permission flag, returning the final text", async () => {
    const adapter = await adapterFor(
      { default: { result: { result: '{"route":"fast"}', total_cost_usd: 0.001 } } },
      {
        asRoot: true,
        isSandbox: false,
      },
    );
    const result = await adapter.complete("route this", { model: "haiku", workdir, timeoutMs: 10_000 });
    expect(result.outcome).toBe("success");
    expect(result.resultText).toBe('{"route":"fast"}');
    expect(result.costUsd).toBe(0.001);
    const [call] = await readFakeClaudeLog(logPath);
    expect(call?.argv).toContain("--max-turns");
    expect(call?.argv).not.toContain("--dangerously-skip-permissions");
  });
});
