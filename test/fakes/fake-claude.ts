/**
 * A test double of the Claude Code CLI (run through `test/fakes/bin/claude`)
 * that honours the real CLI's contract as measured on 2.1.197: the flags, the
 * prompt on stdin, the stream-json events (system/init, assistant, user
 * tool_result, system/api_retry, result), the root refusal, the --verbose
 * requirement, and the exit codes. What it does is scripted: see
 * fake-claude-script.ts for the format and the env variables.
 *
 * Signals: SIGINT prints an interrupted result (is_error, error_during_execution)
 * and exits 0 like the real CLI; children started by `spawnChild` are left
 * running (orphaned), the worst case. SIGTERM ends it with no output.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { runAction } from "./fake-claude-actions";
import { parseFakeClaudeArgs } from "./fake-claude-cli";
import { FAKE_CLAUDE_VERSION, type FakeClaudeResult } from "./fake-claude-script";
import { pickSession } from "./fake-claude-session";

const ROOT_REFUSAL = "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons";
const DEFAULT_COST = 0.01;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function write(text: string): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(text)) done();
    else process.stdout.once("drain", () => done());
  });
}

/**
 * Test hygiene, not CLI behaviour: when the process that started us dies (a
 * test SIGKILLs nax), exit instead of living on as an orphan that spins on its
 * broken stdout for the rest of the suite. The timer does not keep us alive.
 */
function exitWhenOrphaned(): void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) process.exit(129);
  }, 250);
  watch.unref();
}

async function main(): Promise<void> {
  exitWhenOrphaned();
  const started = Date.now();
  const env = process.env;
  if (process.argv[2] === "auth" && process.argv[3] === "status") {
    // Like the real `claude auth status`: JSON on stdout, exit 1 when not logged in.
    const loggedIn = env.NAX_FAKE_CLAUDE_LOGGED_OUT !== "1";
    const status = loggedIn
      ? { loggedIn, authMethod: "api_key", apiProvider: "firstParty", apiKeySource: "ANTHROPIC_API_KEY" }
      : { loggedIn, authMethod: "none", apiProvider: "firstParty" };
    await write(`${JSON.stringify(status, null, 2)}\n`);
    process.exit(loggedIn ? 0 : 1);
  }
  const args = parseFakeClaudeArgs(process.argv.slice(2));
  if ("error" in args) fail(args.error);
  if (args.version) {
    await write(`${FAKE_CLAUDE_VERSION} (Claude Code)\n`);
    return;
  }
  if (!args.print) fail("fake claude: only print mode (-p) is supported by this test double");
  const asRoot = env.NAX_FAKE_CLAUDE_ROOT === undefined ? process.getuid?.() === 0 : env.NAX_FAKE_CLAUDE_ROOT === "1";
  const bypass = args.skipPermissions || args.permissionMode === "bypassPermissions";
  if (asRoot && bypass && env.IS_SANDBOX !== "1") fail(ROOT_REFUSAL);
  if (args.outputFormat === "stream-json" && !args.verbose) {
    fail("Error: When using --print, --output-format=stream-json requires --verbose");
  }
  const prompt = args.prompt ?? (process.stdin.isTTY ? "" : await Bun.stdin.text());
  if (prompt.trim() === "")
    fail("Error: Input must be provided either through stdin or as a prompt argument when using --print");

  const picked = pickSession(env.NAX_FAKE_CLAUDE_SCRIPT, prompt);
  if (env.NAX_FAKE_CLAUDE_LOG) {
    const entry = {
      at: new Date().toISOString(),
      pid: process.pid,
      argv: process.argv.slice(2),
      prompt,
      cwd: process.cwd(),
      model: args.model,
      envKeys: Object.keys(env).sort(),
      session: picked.label,
    };
    appendFileSync(env.NAX_FAKE_CLAUDE_LOG, `${JSON.stringify(entry)}\n`);
  }

  const sessionId = randomUUID();
  const model = args.model ?? "claude-sonnet-4-5";
  const streaming = args.outputFormat === "stream-json";
  const emit = async (event: Record<string, unknown>) => {
    if (streaming) await write(`${JSON.stringify({ ...event, session_id: sessionId, uuid: randomUUID() })}\n`);
  };
  const assistant = (content: Record<string, unknown>[]) => ({
    type: "assistant",
    // Like the real CLI: each message carries its usage as of the message's start.
    message: {
      id: `msg_fake_${randomUUID()}`,
      type: "message",
      role: "assistant",
      model,
      content,
      usage: { input_tokens: 12, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
    parent_tool_use_id: null,
  });
  const toolResult = (toolUseId: string, content: string, isError: boolean) => ({
    type: "user",
    message: { role: "user", content: [{ tool_use_id: toolUseId, type: "tool_result", content, is_error: isError }] },
    parent_tool_use_id: null,
  });

  let turns = 1;
  let ignoreInterrupt = false;
  const finish = async (result: Record<string, unknown>, exitCode: number) => {
    if (streaming || args.outputFormat === "json") await write(`${JSON.stringify(result)}\n`);
    else await write(`${String(result.result ?? "")}\n`);
    process.exit(exitCode);
  };
  process.on("SIGINT", () => {
    if (ignoreInterrupt) return;
    void emit({
      type: "user",
      message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user]" }] },
    });
    void finish(interruptedResult(sessionId, Date.now() - started, turns), 0);
  });

  await emit({
    type: "system",
    subtype: "init",
    cwd: process.cwd(),
    tools: ["Task", "Bash", "Edit", "Read", "Write"],
    mcp_servers: [],
    model,
    permissionMode: args.permissionMode ?? (args.skipPermissions ? "bypassPermissions" : "default"),
    apiKeySource: env.ANTHROPIC_API_KEY ? "ANTHROPIC_API_KEY" : "none",
    claude_code_version: FAKE_CLAUDE_VERSION,
  });
  const ctx = {
    cwd: process.cwd(),
    env,
    emit,
    assistant,
    toolResult,
    setIgnoreInterrupt: (v: boolean) => (ignoreInterrupt = v),
  };
  for (const action of picked.session.actions ?? []) {
    if (await runAction(action, ctx)) turns += 1;
  }
  const override = picked.session.result ?? {};
  if (override.rateLimitRetryDelayMs !== undefined) {
    const status = override.api_error_status ?? 429;
    await emit({
      type: "system",
      subtype: "api_retry",
      attempt: 1,
      max_retries: 1,
      retry_delay_ms: override.rateLimitRetryDelayMs,
      error_status: status,
      error: status === 529 ? "overloaded" : "rate_limit",
    });
  }
  const result = resultEvent(override, sessionId, Date.now() - started, turns);
  if (override.omitResult) process.exit(override.exitCode ?? 1);
  await emit(assistant([{ type: "text", text: result.result }]));
  await finish(result, override.exitCode ?? (result.is_error ? 1 : 0));
}

function resultEvent(o: FakeClaudeResult, sessionId: string, durationMs: number, turns: number) {
  // A scripted rate-limit retry implies the 429 the CLI ends with, unless the script says otherwise.
  const status =
    o.api_error_status !== undefined ? o.api_error_status : o.rateLimitRetryDelayMs !== undefined ? 429 : null;
  const isError = o.is_error ?? status !== null;
  const text = o.result ?? (status !== null ? `API Error: Request rejected (${status}) · fake error` : "Done.");
  return {
    type: "result",
    subtype: o.subtype ?? "success",
    is_error: isError,
    api_error_status: status,
    duration_ms: durationMs,
    duration_api_ms: Math.round(durationMs / 2),
    num_turns: o.num_turns ?? turns,
    result: text,
    stop_reason: "end_turn",
    session_id: sessionId,
    ...(o.omitCost ? {} : { total_cost_usd: o.total_cost_usd ?? (isError && status !== null ? 0 : DEFAULT_COST) }),
    usage: {
      input_tokens: o.usage?.input_tokens ?? 100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: o.usage?.output_tokens ?? 50,
    },
    permission_denials: Array.from({ length: o.permission_denials ?? 0 }, (_, i) => ({
      tool_name: "Bash",
      tool_use_id: `toolu_denied${i}`,
      tool_input: { command: "denied" },
    })),
    terminal_reason: "completed",
    uuid: randomUUID(),
  };
}

function interruptedResult(sessionId: string, durationMs: number, turns: number) {
  return {
    type: "result",
    subtype: "error_during_execution",
    duration_ms: durationMs,
    is_error: true,
    num_turns: turns,
    stop_reason: null,
    session_id: sessionId,
    total_cost_usd: 0,
    usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    permission_denials: [],
    terminal_reason: "aborted_tools",
    uuid: randomUUID(),
  };
}

await main();
