/**
 * What a run does when the disk fails it, through an injected fs (the real
 * one, with chosen writes failing): a status file that cannot be written warns
 * and is retried, never stopping the run; an unwritable registry never blocks
 * it; a PRD that cannot be saved stops the run cleanly with the previous PRD
 * intact, a terminal status, no lock and a clear message.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { parsePrd } from "../../src/prd/load";
import { prdBytesText } from "../../src/prd/story-text-cache";
import { StatusFileSchema } from "../../src/state/status-file";
import { createNodeFs, type Fs } from "../../src/system/fs";
import { createSys } from "../../src/system/sys";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const STORIES = [
  { id: "US-001", title: "one" },
  { id: "US-002", title: "two", dependencies: ["US-001"] },
];

function diskFull(path: string): Error {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC" });
}

/**
 * The real fs, except that `writeAtomic` fails while `fails(path, nthWriteOfThatPath)` says so;
 * `saved` keeps each path's last content that was written.
 */
function failingFs(fails: (path: string, nth: number) => boolean): Fs & { saved: Map<string, string> } {
  const real = createNodeFs();
  const writes = new Map<string, number>();
  const saved = new Map<string, string>();
  return {
    ...real,
    saved,
    async writeAtomic(path, content) {
      const nth = (writes.get(path) ?? 0) + 1;
      writes.set(path, nth);
      if (fails(path, nth)) throw diskFull(path);
      await real.writeAtomic(path, content);
      saved.set(path, typeof content === "string" ? content : prdBytesText(content));
    },
  };
}

async function start(): Promise<TestProject> {
  project = await createTestProject({
    stories: STORIES,
    config: { quality: { commands: { test: "true" } } },
    script: { default: { actions: [{ append: { path: "src/file.txt", content: "x\n" } }] } },
  });
  return project;
}

describe("a run on a failing disk", () => {
  test("a live status that cannot be written for its first writes warns once, the run completes, and the final status lands", async () => {
    const p = await start();
    const live = join(p.dir, "nax/status.json");
    const fs = failingFs((path, nth) => path === live && nth <= 3);
    const result = await p.nax(["run", "-f", "demo"], { sys: createSys({ env: p.env, naxHome: p.home, fs }) });
    expect(result.code).toBe(0);
    const output = `${result.out}${result.err}`;
    expect(output.match(/status file: could not write/g)).toHaveLength(1);
    expect(output).toContain("no space left on device");
    expect(output).toContain("is writable again");
    for (const path of ["nax/status.json", "nax/features/demo/status.json"]) {
      const status = StatusFileSchema.parse(await p.readJson(path));
      expect(status.run.status).toBe("completed");
      expect(status.progress.passed).toBe(2);
    }
  });

  test("a status file that can never be written does not stop the run", async () => {
    const p = await start();
    const fs = failingFs((path) => path.endsWith("status.json"));
    const result = await p.nax(["run", "-f", "demo"], { sys: createSys({ env: p.env, naxHome: p.home, fs }) });
    expect(result.code).toBe(0);
    expect(parsePrd(await Bun.file(join(p.dir, "nax/features/demo/prd.json")).text(), "prd").userStories).toMatchObject(
      [{ status: "passed" }, { status: "passed" }],
    );
    expect(await exists(join(p.dir, "nax/status.json"))).toBe(false);
  });

  test("an unwritable run registry warns and never blocks the run", async () => {
    const p = await start();
    // The registry only: the attempts' worktrees live under $NAX_HOME/worktrees and are the run's own work.
    const fs = failingFs((path) => path.startsWith(join(p.home, "runs")));
    const result = await p.nax(["run", "-f", "demo"], { sys: createSys({ env: p.env, naxHome: p.home, fs }) });
    expect(result.code).toBe(0);
    expect(`${result.out}${result.err}`).toContain("run registry: could not register this run");
    expect(StatusFileSchema.parse(await p.readJson("nax/status.json")).run.status).toBe("completed");
  });

  test("a PRD save that fails stops the run cleanly: previous PRD intact, terminal status, no lock, a clear message", async () => {
    const p = await start();
    const prdPath = join(p.dir, "nax/features/demo/prd.json");
    // One save for the routing decisions, then two per story (in progress, passed): the fourth is US-002 going in progress.
    const fs = failingFs((path, nth) => path === prdPath && nth >= 4);
    const result = await p.nax(["run", "-f", "demo"], { sys: createSys({ env: p.env, naxHome: p.home, fs }) });
    expect(result.code).toBe(1);
    expect(`${result.out}${result.err}`).toContain("could not save the PRD");
    expect(`${result.out}${result.err}`).toContain("no space left on device");
    const text = await Bun.file(prdPath).text();
    expect(text).toBe(fs.saved.get(prdPath) as string);
    expect(parsePrd(text, "prd.json").userStories.map((s) => s.status)).toEqual(["passed", "pending"]);
    expect(`${result.out}${result.err}`).toContain("prd.json keeps its last good save");
    // The mark is saved while US-002's worktree is made, and awaited before its session: none was paid for,
    // and the worktree where nothing ran is not left behind.
    expect((await p.claudeCalls()).map((call) => call.prompt.match(/# Task: (US-\d+)/)?.[1])).toEqual(["US-001"]);
    const worktrees = Bun.spawnSync(["git", "worktree", "list", "--porcelain"], { cwd: p.dir }).stdout.toString();
    expect(worktrees).not.toContain("US-002");
    for (const path of ["nax/status.json", "nax/features/demo/status.json"]) {
      const status = StatusFileSchema.parse(await p.readJson(path));
      expect(status.run.status).toBe("failed");
      expect(status.run.exitReason).toContain("could not save the PRD");
    }
    expect(await exists(join(p.dir, "nax.lock"))).toBe(false);
  });
});
