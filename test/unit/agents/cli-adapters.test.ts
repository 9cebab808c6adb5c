/**
 * Contract tests of the codex, opencode and gemini adapters against their
 * test doubles (test/fakes/bin/<cli>, honouring each CLI's documented
 * headless flags and JSON lines): flags, prompt delivery, output parsing,
 * cost (reported or estimated), outcome classification, the env allowlist,
 * and cancellation of the whole process group.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCodexAdapter } from "../../../src/agents/codex/adapter";
import { createGeminiAdapter } from "../../../src/agents/gemini/adapter";
import { createOpencodeAdapter } from "../../../src/agents/opencode/adapter";
import type { AgentAdapter, AgentRunOptions } from "../../../src/agents/types";
import { defaultConfig } from "../../../src/config/schema";
import { createSys } from "../../../src/system/sys";
import {
  type FakeCliName,
  type FakeCliScript,
  fakeCliEnv,
  fakeCliPath,
  readFakeCliLog,
  writeFakeCliScript,
} from "../../fakes/fake-cli-script";
import { readPidFile, waitUntilGone } from "../../fakes/process-probe";

let dir: string;
let workdir: string;
let logPath: string;
const config = defaultConfig();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-cli-adapter-"));
  workdir = join(dir, "work");
  await mkdir(workdir);
  logPath = join(dir, "calls.jsonl");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  cli: FakeCliName;
  model: string;
  /** Flags the headless contract needs, as consecutive argv entries. */
  flags: string[][];
  reportsCost: boolean;
  build: (sys: ReturnType<typeof createSys>, command: string) => AgentAdapter;
}

const CASES: Case[] = [
  {
    cli: "codex",
    model: "gpt-5.1-codex",
    flags: [["exec", "--json"], ["--sandbox", "workspace-write"], ["--config", 'approval_policy="never"'], ["-"]],
    reportsCost: false,
    build: (sys, command) => createCodexAdapter({ sys, ...config.agents.codex, command, killGraceMs: 300 }),
  },
  {
    cli: "opencode",
    model: "anthropic/claude-sonnet-4-5",
    flags: [["run", "--format", "json"], ["--auto"]],
    reportsCost: true,
    build: (sys, command) => createOpencodeAdapter({ sys, ...config.agents.opencode, command, killGraceMs: 300 }),
  },
  {
    cli: "gemini",
    model: "gemini-2.5-pro",
    flags: [["--output-format", "stream-json"], ["--approval-mode", "yolo"], ["--skip-trust"], ["--prompt"]],
    reportsCost: false,
    build: (sys, command) => createGeminiAdapter({ sys, ...config.agents.gemini, command, killGraceMs: 300 }),
  },
];

function runOptions(model: string, overrides: Partial<AgentRunOptions> = {}): AgentRunOptions {
  return {
    prompt: "# Task: US-001 — greet\nWrite hello.txt",
    workdir,
    model,
    timeoutMs: 20_000,
    stallTimeoutMs: 20_000,
    ...overrides,
  };
}

function containsRun(argv: string[], run: string[]): boolean {
  return argv.some((_, i) => run.every((word, j) => argv[i + j] === word));
}

describe.each(CASES)("the $cli adapter", (c) => {
  async function adapterFor(script: FakeCliScript, extra: Record<string, string> = {}, command = fakeCliPath(c.cli)) {
    const scriptPath = await writeFakeCliScript(dir, script);
    const sys = createSys({ env: fakeCliEnv({ scriptPath, logPath, extra }), naxHome: join(dir, "nax-home") });
    return c.build(sys, command);
  }

  test("passes the headless flags and the model, and delivers the prompt on stdin", async () => {
    const adapter = await adapterFor({ default: { actions: [{ write: { path: "hello.txt", content: "hi\n" } }] } });
    const result = await adapter.run(runOptions(c.model));
    expect(result.outcome).toBe("success");
    const [call] = await readFakeCliLog(logPath);
    for (const run of c.flags) expect(containsRun(call?.argv ?? [], run)).toBe(true);
    expect(containsRun(call?.argv ?? [], ["--model", c.model])).toBe(true);
    expect(call?.prompt).toContain("# Task: US-001 — greet");
    expect(call?.argv.join(" ")).not.toContain("Write hello.txt");
    expect(call?.cwd).toBe(workdir);
    expect(await Bun.file(join(workdir, "hello.txt")).text()).toBe("hi\n");
  });

  test("parses tokens, the session id and the last text; cost is reported or tokens × the price table, labelled", async () => {
    const adapter = await adapterFor({
      default: {
        actions: [{ text: "All done." }],
        result: { inputTokens: 1_000_000, outputTokens: 100_000, costUsd: 0.5 },
      },
    });
    const result = await adapter.run(runOptions(c.model));
    expect(result).toMatchObject({
      outcome: "success",
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      resultText: "All done.",
    });
    expect(result.sessionId).toStartWith(`fake-${c.cli}-`);
    if (c.reportsCost) {
      expect(result.costUsd).toBe(0.5);
      expect(result.costEstimated).toBeUndefined();
    } else {
      // 1M input × $1.25 + 0.1M output × $10 (the default price table).
      expect(result.costUsd).toBeCloseTo(2.25, 6);
      expect(result.costEstimated).toBe(true);
    }
    expect(adapter.capabilities.reportsCost).toBe(c.reportsCost);
    expect(adapter.capabilities.reportsTokens).toBe(true);
  });

  test("reports progress and tokens as the stream brings them", async () => {
    const adapter = await adapterFor({ default: { actions: [{ run: "echo built" }, { text: "Finished the story" }] } });
    const progress: string[] = [];
    await adapter.run(runOptions(c.model, { onProgress: (p) => progress.push(`${p.kind}:${p.detail}`) }));
    expect(progress.some((p) => p.startsWith("tool:") && p.includes("echo built"))).toBe(true);
    expect(progress.some((p) => p.startsWith("text:Finished the story"))).toBe(true);
    expect(progress.some((p) => p.startsWith("usage:"))).toBe(true);
  });

  test("an API error is error, a 429 is rate-limited with its reset time, a 401 is auth-error", async () => {
    const adapter = await adapterFor({
      sessions: [
        { match: "error", result: { status: "error" } },
        { match: "limit", result: { status: "rate-limit" } },
        { match: "auth", result: { status: "auth" } },
      ],
    });
    const error = await adapter.run(runOptions(c.model, { prompt: "error" }));
    expect(error.outcome).toBe("error");
    expect(error.error).toContain("Internal server error");
    const limited = await adapter.run(runOptions(c.model, { prompt: "limit" }));
    expect(limited.outcome).toBe("rate-limited");
    expect(limited.retryAfterMs).toBe(120_000);
    const auth = await adapter.run(runOptions(c.model, { prompt: "auth" }));
    expect(auth.outcome).toBe("auth-error");
    expect(auth.error).toMatch(/log in|sign in|login/i);
  });

  test("a missing binary is not-found with the npm install command, from run and from isInstalled", async () => {
    const adapter = await adapterFor({}, {}, join(dir, "no-such-cli"));
    const result = await adapter.run(runOptions(c.model));
    expect(result.outcome).toBe("not-found");
    expect(result.error).toContain("npm install -g");
    const check = await adapter.isInstalled();
    expect(check.ok).toBe(false);
    expect(check.fix).toContain("npm install -g");
  });

  test("isInstalled reads the version and the login without a model call", async () => {
    const loginEnv: Record<string, string> = c.cli === "gemini" ? { GEMINI_API_KEY: "fake-key" } : {};
    const check = await (await adapterFor({}, loginEnv)).isInstalled();
    expect(check).toMatchObject({ ok: true, login: "yes" });
    expect(check.version).toContain("-fake");
    const out = await (await adapterFor({}, { NAX_FAKE_AGENT_LOGGED_OUT: "1" })).isInstalled();
    expect(out).toMatchObject({ ok: false, login: "no" });
    expect(out.message).toContain("not logged in");
    expect(await readFakeCliLog(logPath)).toEqual([]);
  });

  test("only allowlisted variables reach the CLI, and the tier's env does", async () => {
    const adapter = await adapterFor({}, { AWS_SECRET_ACCESS_KEY: "nope", GITHUB_TOKEN: "nope", NAX_KEEP: "1" });
    await adapter.run(runOptions(c.model, { env: { TIER_ONLY: "yes" } }));
    const [call] = await readFakeCliLog(logPath);
    expect(call?.envKeys).toContain("NAX_KEEP");
    expect(call?.envKeys).toContain("TIER_ONLY");
    expect(call?.envKeys).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(call?.envKeys).not.toContain("GITHUB_TOKEN");
  });

  test("an abort stops the whole process group: the CLI and the shell command it started", async () => {
    const adapter = await adapterFor({
      default: { actions: [{ run: "sleep 300 >/dev/null 2>&1 & echo $! > child.pid" }, { hang: true }] },
    });
    const controller = new AbortController();
    const running = adapter.run(runOptions(c.model, { signal: controller.signal }));
    const child = await readPidFile(join(workdir, "child.pid"));
    controller.abort();
    const result = await running;
    expect(result.outcome).toBe("aborted");
    const [call] = await readFakeCliLog(logPath);
    expect(await waitUntilGone([child, call?.pid ?? 0])).toBe(true);
  });

  test("silence past the stall timeout is stalled", async () => {
    const adapter = await adapterFor({ default: { actions: [{ hang: true }] } });
    const result = await adapter.run(runOptions(c.model, { stallTimeoutMs: 1500 }));
    expect(result.outcome).toBe("stalled");
    // On a loaded machine the stop may come before the fake logged itself: then there is no pid to check.
    const pids = (await readFakeCliLog(logPath)).map((call) => call.pid);
    expect(await waitUntilGone(pids)).toBe(true);
  });

  test("complete() is refused with the reason: none of these CLIs has a one-shot completion", async () => {
    const adapter = await adapterFor({});
    const result = await adapter.complete("classify", { model: c.model, workdir, timeoutMs: 1000 });
    expect(adapter.capabilities.hasOneShotCompletion).toBe(false);
    expect(result.outcome).toBe("refused");
    expect(result.error).toContain("one-shot");
  });
});

describe.each(CASES.filter((c) => !c.reportsCost))("the $cli adapter without a price", (c) => {
  test("refuses a model its price table lacks, naming the key to add, and spawns nothing", async () => {
    const sys = createSys({ env: fakeCliEnv({ logPath }), naxHome: join(dir, "nax-home") });
    const adapter = c.build(sys, fakeCliPath(c.cli));
    const result = await adapter.run(runOptions("unpriced-model"));
    expect(result.outcome).toBe("refused");
    expect(result.error).toContain(`agents.${c.cli}.pricing["unpriced-model"]`);
    expect(await readFakeCliLog(logPath)).toEqual([]);
  });
});
