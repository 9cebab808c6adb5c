/**
 * Fault suite, hooks on the shutdown path, with `bin/nax.ts` as a process: an
 * on-crash hook that hangs must neither hold the lock nor run into the crash
 * handler's 10 s hard deadline. The hook itself records whether the lock was
 * still there when it started.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HARD_DEADLINE_MS } from "../../src/execution/crash-handler";
import { SHUTDOWN_HOOK_TIMEOUT_MS } from "../../src/subscribers/hooks";
import { readPidFile } from "../fakes/process-probe";
import { type NaxExit, startNax } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its shutdown.
setDefaultTimeout(60_000);

describe("an on-crash hook that hangs, after SIGTERM", () => {
  let project: TestProject;
  let exit: NaxExit;
  let sentAt: number;
  let sawLock: string;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "slow one" }],
      config: { quality: { commands: { test: "true" } } },
    });
    const pidFile = join(project.dir, "..", "agent-child.pid");
    const seen = join(project.dir, "..", "hook-saw-lock");
    // Writes whether nax.lock exists, then hangs far past every deadline.
    const hook = `if [ -e nax.lock ]; then echo held > "${seen}"; else echo free > "${seen}"; fi; exec sleep 60`;
    await project.writeText(
      "nax/hooks.json",
      JSON.stringify({ hooks: { "on-crash": [{ command: ["sh", "-c", hook], timeoutMs: 600_000 }] } }),
    );
    project.git(["commit", "-qam", "on-crash hook"]);
    await project.setScript({ default: { actions: [{ spawnChild: "exec sleep 30", pidFile }, { hang: true }] } });
    const nax = startNax(project, ["run", "-f", "demo"]);
    await readPidFile(pidFile, 15_000);
    sentAt = Date.now();
    nax.kill("SIGTERM");
    exit = await nax.exited;
    sawLock = (await readFile(seen, "utf8")).trim();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the lock was already gone when the hook started", () => {
    expect(sawLock).toBe("free");
  });

  test("nax exits with 143 once the hook's short shutdown bound is over, not at the 10 s hard deadline", async () => {
    expect(exit.code).toBe(143);
    expect(exit.err).not.toContain("could not shut down");
    // The deadline's own message is the real witness; the time only has to stay under it.
    expect(exit.at - sentAt).toBeLessThan(HARD_DEADLINE_MS);
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });

  test("the event log says the hook was stopped, and the run was recorded as crashed", async () => {
    const status = await project.readJson<{ run: { id: string; status: string } }>("nax/status.json");
    expect(status.run.status).toBe("crashed");
    const log = await readFile(join(project.dir, `nax/features/demo/runs/${status.run.id}.jsonl`), "utf8");
    expect(log).toContain(`hook on-crash (sh from`);
    expect(log).toContain(`was stopped after ${SHUTDOWN_HOOK_TIMEOUT_MS}ms`);
  });
});
