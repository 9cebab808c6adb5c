import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { RESUME_KEEP, resumeInterrupted } from "../../../src/execution/resume";
import type { Git } from "../../../src/git/git";
import { parsePrd } from "../../../src/prd/load";
import { createPrdStore } from "../../../src/prd/store";
import { featurePaths, projectPaths } from "../../../src/state/paths";
import { createNodeFs } from "../../../src/system/fs";
import {
  makeTempDir,
  type StoryFixture,
  writeLiveStatus,
  writePrd,
  writeProject,
  writeSnapshot,
} from "../../helpers/state-fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir("nax-resume-");
});
afterEach(async () => {
  await temp.cleanup();
});

const current = (storyId: string) => ({
  storyId,
  title: "t",
  complexity: "simple",
  testStrategy: "test-after",
  model: "haiku",
  tier: "fast",
  attempt: 2,
  phase: "agent",
});

/** A git double: `dirty` says whether the tree has changes outside the kept paths; stashes are recorded. */
function fakeGit(dirty: boolean) {
  const stashes: { message: string; keep: readonly string[] | undefined }[] = [];
  const git: Pick<Git, "isRepo" | "isClean" | "stash"> = {
    isRepo: async () => true,
    isClean: async (_cwd, keep) => {
      expect(keep).toEqual(RESUME_KEEP);
      return !dirty;
    },
    stash: async (_cwd, message, keep) => {
      stashes.push({ message, keep });
      return "0123456789abcdef0123456789abcdef01234567";
    },
  };
  return { git, stashes };
}

async function setup(stories: StoryFixture[], dirty: boolean) {
  const workdir = await writeProject(temp.path, "project");
  await writePrd(workdir, "demo", stories);
  const fs = createNodeFs();
  const path = featurePaths(workdir, "demo").prd;
  const store = createPrdStore(fs, path, parsePrd((await fs.readText(path)) as string, path), () => "now");
  const { git, stashes } = fakeGit(dirty);
  const resume = () =>
    resumeInterrupted({
      fs,
      git,
      store,
      workdir,
      feature: "demo",
      liveStatusPath: projectPaths(workdir).status,
    });
  const saved = async () => parsePrd(await readFile(path, "utf8"), path).userStories;
  return { workdir, store, stashes, resume, saved };
}

const failure = { attempt: 1, tier: "fast", stage: "verify", summary: "2 tests failed", failingTests: ["t1"], at: "x" };

describe("resumeInterrupted", () => {
  test("an in-progress story goes back to pending with its attempts and prior failures kept; passed stories are untouched", async () => {
    const s = await setup(
      [
        { id: "US-001", status: "passed", attempts: 1 },
        { id: "US-002", status: "in-progress", attempts: 1, priorFailures: [failure] },
      ],
      false,
    );
    const messages = await s.resume();
    const [one, two] = await s.saved();
    expect(one).toMatchObject({ status: "passed", attempts: 1 });
    expect(two).toMatchObject({ status: "pending", attempts: 1, priorFailures: [failure] });
    expect(messages.join("\n")).toContain("US-002 was interrupted");
    expect(s.stashes).toEqual([]);
  });

  test("with a dirty tree, the killed run's leftovers go to a stash named after the story and the run that left them", async () => {
    const s = await setup([{ id: "US-001", status: "in-progress", attempts: 0 }], true);
    await writeLiveStatus(s.workdir, {
      runId: "run-killed",
      feature: "demo",
      status: "running",
      current: current("US-001"),
    });
    const messages = await s.resume();
    expect(s.stashes).toEqual([{ message: "nax: uncommitted work of US-001 from run-killed", keep: RESUME_KEEP }]);
    expect(messages.join("\n")).toContain(
      'stashed as "nax: uncommitted work of US-001 from run-killed" (0123456789ab)',
    );
  });

  test("after a graceful stop the story is already pending: the crashed live status's current story still marks its leftovers", async () => {
    const s = await setup([{ id: "US-001", status: "pending", attempts: 0 }], true);
    await writeLiveStatus(s.workdir, {
      runId: "run-stopped",
      feature: "demo",
      status: "crashed",
      current: current("US-001"),
    });
    expect(await s.resume()).toHaveLength(1);
    expect(s.stashes.map((x) => x.message)).toEqual(["nax: uncommitted work of US-001 from run-stopped"]);
    expect((await s.saved())[0]?.status).toBe("pending");
  });

  test("another feature's interrupted story leaves its work in the same tree: it is stashed, that PRD left alone", async () => {
    const s = await setup([{ id: "US-001", status: "pending" }], true);
    await writeLiveStatus(s.workdir, {
      runId: "run-other",
      feature: "other",
      status: "running",
      current: current("O-1"),
    });
    await s.resume();
    expect(s.stashes.map((x) => x.message)).toEqual(["nax: uncommitted work of O-1 from run-other"]);
    expect((await s.saved())[0]?.status).toBe("pending");
  });

  test("a dirty tree with no interrupted story is the user's own work and is left alone", async () => {
    const s = await setup([{ id: "US-001", status: "pending" }], true);
    await writeLiveStatus(s.workdir, { runId: "run-done", feature: "other", status: "completed", current: null });
    // A crashed snapshot of this feature is history: a later run (the live status) finished since.
    await writeSnapshot(s.workdir, {
      runId: "run-old",
      feature: "demo",
      status: "crashed",
      current: current("US-001"),
    });
    expect(await s.resume()).toEqual([]);
    expect(s.stashes).toEqual([]);
  });

  test("a crashed run's current story that has since passed is not resumed", async () => {
    const s = await setup([{ id: "US-001", status: "passed", attempts: 1 }], true);
    await writeLiveStatus(s.workdir, {
      runId: "run-old",
      feature: "demo",
      status: "crashed",
      current: current("US-001"),
    });
    expect(await s.resume()).toEqual([]);
    expect(s.stashes).toEqual([]);
  });

  test("an unreadable status file does not stop the resume: the PRD alone decides", async () => {
    const s = await setup([{ id: "US-001", status: "in-progress" }], true);
    await createNodeFs().writeAtomic(projectPaths(s.workdir).status, "{ not json");
    await s.resume();
    expect(s.stashes.map((x) => x.message)).toEqual(["nax: uncommitted work of US-001 from an earlier run"]);
  });
});
