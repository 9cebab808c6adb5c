/**
 * A closed stdout (trap 31, docs/traps.md), with `bin/nax.ts` as a real
 * process in a real shell pipeline: `nax run | head -1` must finish the run,
 * release the lock and log nothing after a terminal event; readers whose
 * reader went away exit 0 without a word on stderr, like git.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { EventLine } from "../../src/state/event-line";
import { NAX_BIN } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";
import { readEvents, readStatus } from "../helpers/read-run";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run.
setDefaultTimeout(60_000);

interface PipeResult {
  /** nax's own exit code (PIPESTATUS[0]), not the pipe reader's. */
  naxCode: number;
  /** What the pipe reader printed. */
  shown: string;
  err: string;
}

/** `nax <args> | <reader>` through bash, so the pipe closes the way a user's does. */
async function piped(project: TestProject, args: string[], reader: string): Promise<PipeResult> {
  const script = `"$0" "$@" | ${reader}; echo "nax-exit=\${PIPESTATUS[0]}" >&2`;
  const proc = Bun.spawn(["bash", "-c", script, process.execPath, NAX_BIN, ...args], {
    cwd: project.dir,
    env: project.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [shown, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  const match = /nax-exit=(\d+)/.exec(err);
  if (!match) throw new Error(`no exit code reported: ${err}`);
  return { naxCode: Number(match[1]), shown, err: err.replace(match[0], "").trim() };
}

const TERMINAL = new Set(["run:completed", "run:crashed"]);

function afterTerminal(events: EventLine[]): EventLine[] {
  const end = events.findIndex((event) => TERMINAL.has(event.type));
  return end < 0 ? [] : events.slice(end + 1).filter((event) => event.type !== "log");
}

describe("nax run | head -1", () => {
  let project: TestProject;
  let result: PipeResult;
  let events: EventLine[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [{ match: "# Task: US-002", actions: [{ write: { path: "src/two.txt", content: "two\n" } }] }],
        default: { actions: [{ write: { path: "src/one.txt", content: "one\n" } }] },
      },
    });
    result = await piped(project, ["run", "-f", "demo"], "head -1");
    events = await readEvents(project);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("head shows the first line and the run still completes every story with exit 0", async () => {
    expect(result.shown.trim().split("\n")).toHaveLength(1);
    expect(result.shown).toContain("run started");
    expect(result.naxCode).toBe(0);
    const status = await readStatus(project);
    expect(status.run.status).toBe("completed");
    expect(status.progress.passed).toBe(2);
  });

  test("the lock is released", async () => {
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });

  test("the event log has no crash, ends with run:completed, and nothing follows it", () => {
    expect(events.map((event) => event.type)).not.toContain("run:crashed");
    expect(events.filter((event) => event.type === "run:completed")).toHaveLength(1);
    expect(afterTerminal(events)).toEqual([]);
  });

  test("nothing about the closed pipe reaches stderr", () => {
    expect(result.err).not.toContain("EPIPE");
    expect(result.err).not.toContain("internal error");
  });

  describe("readers whose reader went away exit 0 quietly", () => {
    // `true` reads nothing and exits at once: every write nax makes meets a closed pipe.
    for (const args of [["logs"], ["logs", "--json"], ["features", "list"], ["runs"], ["status"]]) {
      test(`nax ${args.join(" ")} | true`, async () => {
        const reader = await piped(project, args, "true");
        expect(reader.naxCode).toBe(0);
        expect(reader.err).toBe("");
      });
    }
  });
});
