import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyStreamSummary, parseStreamLine, reduceStream } from "../../../src/agents/claude/stream-parser";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createSpawner } from "../../../src/system/spawn";
import {
  type FakeClaudeScript,
  fakeClaudeEnv,
  fakeClaudePath,
  readFakeClaudeLog,
  writeFakeClaudeScript,
} from "../../fakes/fake-claude-script";

const spawn = createSpawner(createProcessGroups());
const STREAM = ["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet"];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-fake-claude-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fake(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const env = { ...fakeClaudeEnv({ logPath: join(dir, "log.jsonl") }), ...options.env };
  const result = await spawn({
    cmd: [fakeClaudePath(), ...args],
    cwd: dir,
    env,
    stdin: options.stdin,
    timeoutMs: 20_000,
  });
  if (result.kind !== "exited") throw new Error(`fake claude did not exit normally: ${result.kind}`);
  return result;
}

async function scripted(script: FakeClaudeScript) {
  const scriptPath = await writeFakeClaudeScript(dir, script);
  return { NAX_FAKE_CLAUDE_SCRIPT: scriptPath };
}

const resultOf = (stdout: string) =>
  stdout.split("\n").flatMap(parseStreamLine).reduce(reduceStream, emptyStreamSummary()).result;

describe("the fake Claude CLI honours the real CLI's contract", () => {
  test("stream-json without --verbose fails with the real message and rc 1", async () => {
    const result = await fake(["-p", "--output-format", "stream-json"], { stdin: "hi" });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("Error: When using --print, --output-format=stream-json requires --verbose\n");
    expect(result.stdout).toBe("");
  });

  test("as root without IS_SANDBOX=1 the bypass flag is refused with the real stderr line", async () => {
    const env = { NAX_FAKE_CLAUDE_ROOT: "1", IS_SANDBOX: "0" };
    const refused = await fake([...STREAM, "--dangerously-skip-permissions"], { stdin: "hi", env });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n",
    );
    const allowed = await fake([...STREAM, "--dangerously-skip-permissions"], {
      stdin: "hi",
      env: { ...env, IS_SANDBOX: "1" },
    });
    expect(allowed.exitCode).toBe(0);
  });

  test("--version prints a version line; an unknown option and an empty prompt fail like the real CLI", async () => {
    expect((await fake(["--version"])).stdout).toBe("2.1.197-fake (Claude Code)\n");
    const unknown = await fake(["-p", "--bogus"], { stdin: "hi" });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n");
    const empty = await fake(STREAM, { stdin: "" });
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toContain("Input must be provided either through stdin");
  });

  test("without -p it refuses to run", async () => {
    const result = await fake(["--output-format", "json"], { stdin: "hi" });
    expect(result.exitCode).toBe(1);
  });

  test("json output is a single result object", async () => {
    const result = await fake(["-p", "--output-format", "json"], { stdin: "hi" });
    const parsed = JSON.parse(result.stdout);
    expect(parsed.type).toBe("result");
    expect(parsed.is_error).toBe(false);
  });
});

describe("the fake Claude CLI's scripts", () => {
  test("a session matching the prompt plays its actions in the cwd and its result", async () => {
    const env = await scripted({
      sessions: [
        { match: "US-002", result: { result: "wrong session" } },
        { match: "/US-00[1]/", actions: [{ run: "echo from-bash > ran.txt" }], result: { total_cost_usd: 0.7 } },
      ],
    });
    const result = await fake(STREAM, { stdin: "# Task: US-001", env });
    expect(await readFile(join(dir, "ran.txt"), "utf8")).toBe("from-bash\n");
    expect(resultOf(result.stdout)?.totalCostUsd).toBe(0.7);
    expect(resultOf(result.stdout)?.numTurns).toBe(2);
  });

  test("times are counted across invocations, then the default session plays", async () => {
    const env = await scripted({
      sessions: [{ name: "flaky", times: 2, result: { is_error: true, result: "first two fail" } }],
      default: { name: "fallback", result: { result: "then it works" } },
    });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push(resultOf((await fake(STREAM, { stdin: "go", env })).stdout)?.result ?? "");
    expect(texts).toEqual(["first two fail", "first two fail", "then it works"]);
    const log = await readFakeClaudeLog(join(dir, "log.jsonl"));
    expect(log.map((entry) => entry.session)).toEqual(["flaky", "flaky", "fallback"]);
  });

  test("the invocation log has the prompt, model and env names but never env values", async () => {
    await fake(STREAM, { stdin: "the prompt", env: { ANTHROPIC_API_KEY: "sk-very-secret-value" } });
    const raw = await readFile(join(dir, "log.jsonl"), "utf8");
    expect(raw).not.toContain("sk-very-secret-value");
    const [entry] = await readFakeClaudeLog(join(dir, "log.jsonl"));
    expect(entry?.prompt).toBe("the prompt");
    expect(entry?.model).toBe("sonnet");
    expect(entry?.envKeys).toContain("ANTHROPIC_API_KEY");
  });

  test("a scripted 429 ends with rc 1, an api_retry event and is_error", async () => {
    const env = await scripted({ default: { result: { rateLimitRetryDelayMs: 2500 } } });
    const result = await fake(STREAM, { stdin: "go", env });
    expect(result.exitCode).toBe(1);
    const summary = result.stdout.split("\n").flatMap(parseStreamLine).reduce(reduceStream, emptyStreamSummary());
    expect(summary.lastRetry?.retryDelayMs).toBe(2500);
    expect(summary.result?.apiErrorStatus).toBe(429);
    expect(summary.result?.isError).toBe(true);
  });
});
