import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { resumeInterrupted } from "../../../src/execution/resume";
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

async function setup(stories: StoryFixture[]) {
  const workdir = await writeProject(temp.path, "project");
  await writePrd(workdir, "demo", stories);
  const fs = createNodeFs();
  const path = featurePaths(workdir, "demo").prd;
  const store = createPrdStore(fs, path, parsePrd((await fs.readText(path)) as string, path), () => "now");
  const resume = () => resumeInterrupted({ fs, store, feature: "demo", liveStatusPath: projectPaths(workdir).status });
  const saved = async () => parsePrd(await readFile(path, "utf8"), path).userStories;
  return { workdir, store, resume, saved };
}

const failure = { attempt: 1, tier: "fast", stage: "verify", summary: "2 tests failed", failingTests: ["t1"], at: "x" };

describe("resumeInterrupted", () => {
  test("an in-progress story goes back to pending with its attempts and prior failures kept; passed stories are untouched", async () => {
    const s = await setup([
      { id: "US-001", status: "passed", attempts: 1 },
      { id: "US-002", status: "in-progress", attempts: 1, priorFailures: [failure] },
    ]);
    const messages = await s.resume();
    const [one, two] = await s.saved();
    expect(one).toMatchObject({ status: "passed", attempts: 1 });
    expect(two).toMatchObject({ status: "pending", attempts: 1, priorFailures: [failure] });
    expect(messages).toEqual([
      "US-002 was interrupted in an earlier run; it is resumed with its 1 attempt(s) and 1 prior failure(s) kept",
    ]);
  });

  test("every lane's in-progress story is resumed, named with the killed run the live status describes", async () => {
    const s = await setup([
      { id: "US-001", status: "in-progress", attempts: 0 },
      { id: "US-002", status: "in-progress", attempts: 2 },
    ]);
    await writeLiveStatus(s.workdir, {
      runId: "run-killed",
      feature: "demo",
      status: "running",
      current: current("US-001"),
    });
    const messages = await s.resume();
    expect((await s.saved()).map((story) => story.status)).toEqual(["pending", "pending"]);
    expect(messages.map((m) => m.slice(0, m.indexOf(";")))).toEqual([
      "US-001 was interrupted in run-killed",
      "US-002 was interrupted in run-killed",
    ]);
  });

  test("another feature's unfinished run is not named as the one this feature's stories were interrupted in", async () => {
    const s = await setup([{ id: "US-001", status: "in-progress" }]);
    await writeLiveStatus(s.workdir, {
      runId: "run-other",
      feature: "other",
      status: "crashed",
      current: current("O-1"),
    });
    expect((await s.resume())[0]).toStartWith("US-001 was interrupted in an earlier run;");
  });

  test("nothing in progress: nothing is written and nothing is said, whatever the crashed status names", async () => {
    const s = await setup([{ id: "US-001", status: "pending" }]);
    await writeLiveStatus(s.workdir, {
      runId: "run-stopped",
      feature: "demo",
      status: "crashed",
      current: current("US-001"),
    });
    await writeSnapshot(s.workdir, {
      runId: "run-old",
      feature: "demo",
      status: "crashed",
      current: current("US-001"),
    });
    const before = await readFile(featurePaths(s.workdir, "demo").prd, "utf8");
    expect(await s.resume()).toEqual([]);
    expect(await readFile(featurePaths(s.workdir, "demo").prd, "utf8")).toBe(before);
  });

  test("an unreadable status file does not stop the resume: the PRD alone decides", async () => {
    const s = await setup([{ id: "US-001", status: "in-progress" }]);
    await createNodeFs().writeAtomic(projectPaths(s.workdir).status, "{ not json");
    expect(await s.resume()).toHaveLength(1);
    expect((await s.saved())[0]?.status).toBe("pending");
  });
});
