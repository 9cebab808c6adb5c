import { afterEach, describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/main";
import { StatusFileSchema } from "../../src/state/status-file";
import { isPidAlive } from "../../src/system/process-groups";
import { createTestProject, exists, type TestProject } from "../helpers/project";
import { until } from "../helpers/until";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe("interrupting a run", () => {
  test("SIGINT while the agent works stops it, records the crash, releases the lock and exits 130", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "slow" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ hang: true }] } },
    });
    const p = project;
    const target = new EventEmitter();
    const exits: number[] = [];
    const running = p.nax(["run", "-f", "demo"], { process: { target, exit: (code) => void exits.push(code) } });
    await until("the agent session", async () => (await p.claudeCalls()).length === 1, 10_000, 20);
    target.emit("SIGINT");
    const result = await running;

    expect(result.code).toBe(130);
    expect(exits).toEqual([]);
    const [call] = await p.claudeCalls();
    expect(isPidAlive(call?.pid ?? 0)).toBe(false);
    for (const path of ["nax/status.json", "nax/features/demo/status.json"]) {
      const status = StatusFileSchema.parse(await p.readJson(path));
      expect(status.run.status).toBe("crashed");
      expect(status.run.crashSignal).toBe("SIGINT");
    }
    expect(await exists(join(p.dir, "nax.lock"))).toBe(false);
    const prd = await p.readJson<{ userStories: { status: string; attempts: number }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(target.listenerCount("SIGINT")).toBe(0);
  });

  test("in a terminal, Ctrl-C clears the live progress line before the interrupt message is printed", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "slow" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ hang: true }] } },
    });
    const p = project;
    const target = new EventEmitter();
    // stdout and stderr in one record, in the order a terminal would show them.
    const screen: { stream: "out" | "err"; text: string }[] = [];
    const io: CliIo = {
      sys: p.sys,
      cwd: p.dir,
      isTTY: true,
      columns: () => 80,
      out: (text) => void screen.push({ stream: "out", text: `${text}\n` }),
      err: (text) => void screen.push({ stream: "err", text: `${text}\n` }),
      write: (text) => void screen.push({ stream: "out", text }),
      process: { target, exit: () => undefined },
    };
    const running = runCli(["bun", "nax", "run", "-f", "demo"], io);
    await until("the live line", async () => screen.some((s) => s.text.includes("[1/1] US-001")), 10_000, 20);
    target.emit("SIGINT");
    expect(await running).toBe(130);

    const interrupt = screen.findIndex((s) => s.stream === "err" && s.text.includes("SIGINT received"));
    expect(interrupt).toBeGreaterThan(0);
    // Everything on stdout before the message ends with the line cleared: the message starts on a clean row.
    const before = screen.slice(0, interrupt).filter((s) => s.stream === "out");
    expect(before.at(-1)?.text).toBe("\r\x1b[2K");
  });

  test("status and diagnose report a Ctrl-C as 'interrupted by SIGINT (Ctrl-C)', not as a WARNING crash or a missing final event", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "slow" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ hang: true }] } },
    });
    const p = project;
    const target = new EventEmitter();
    const running = p.nax(["run", "-f", "demo"], { process: { target, exit: () => undefined } });
    await until("the agent session", async () => (await p.claudeCalls()).length === 1, 10_000, 20);
    target.emit("SIGINT");
    expect((await running).code).toBe(130);

    const status = await p.nax(["status"]);
    expect(status.out).toContain("interrupted by SIGINT (Ctrl-C) while working on US-001");
    expect(status.out).not.toContain("WARNING");
    expect(status.out).not.toContain("crashed");
    const diagnose = await p.nax(["diagnose", "-f", "demo", "--json"]);
    const report = JSON.parse(diagnose.out);
    expect(report.run).toMatchObject({
      state: "interrupted",
      signal: "SIGINT",
      exitReason: "interrupted by SIGINT (Ctrl-C)",
    });
    expect(report.findings.map((f: { pattern: string }) => f.pattern)).toEqual(["interrupted-run"]);
    const text = await p.nax(["diagnose", "-f", "demo"]);
    expect(text.out).toContain("interrupted by SIGINT (Ctrl-C)");
    expect(text.out).not.toContain("stopped without a final event");
  });
});
