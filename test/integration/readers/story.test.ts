/** `nax story reset|skip|pass`: atomic PRD edits under the run lock, refused while a live run holds it. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PrdSchema } from "../../../src/prd/schema";
import { featurePaths, projectPaths } from "../../../src/state/paths";
import { createTestIo, DEAD_PID, makeTempDir, writeLock, writeProject } from "../../helpers/state-fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: string;

beforeEach(async () => {
  temp = await makeTempDir("story");
  app = await writeProject(temp.path, "app", {
    auth: [
      {
        id: "US-001",
        status: "failed",
        attempts: 2,
        priorFailures: [{ attempt: 1, tier: "fast", stage: "verify", summary: "boom" }],
        ticket: "JIRA-7",
      },
      { id: "US-002", dependencies: ["US-001"] },
    ],
    billing: [{ id: "B-1" }],
  });
});
afterEach(async () => {
  await temp.cleanup();
});

const io = () => createTestIo({ naxHome: join(temp.path, "home"), cwd: app, env: { USER: "ada" } });
const readPrd = async (feature = "auth") =>
  PrdSchema.parse(JSON.parse(await readFile(featurePaths(app, feature).prd, "utf8")));
const exists = (path: string) => Bun.file(path).exists();

describe("nax story", () => {
  test("reset sets a failed story back to pending, keeps its attempts, and releases the lock", async () => {
    const t = io();
    expect(await t.run(["story", "reset", "US-001", "-f", "auth"])).toBe(0);
    expect(t.stdout()).toContain("US-001: failed -> pending");
    expect(t.stdout()).toContain("kept 2 attempt(s)");
    const story = (await readPrd()).userStories[0]!;
    expect(story.status).toBe("pending");
    expect(story.attempts).toBe(2);
    expect((story as Record<string, unknown>).ticket).toBe("JIRA-7");
    expect(story.decisions?.[0]).toMatchObject({ action: "reset", by: "ada@test-host", from: "failed" });
    expect(await exists(projectPaths(app).lock)).toBe(false);
  });

  test("reset --clear-attempts clears attempts and recorded failures", async () => {
    const t = io();
    expect(await t.run(["story", "reset", "US-001", "-f", "auth", "--clear-attempts"])).toBe(0);
    const story = (await readPrd()).userStories[0]!;
    expect(story.attempts).toBe(0);
    expect(story.priorFailures).toBeUndefined();
  });

  test("pass needs a reason and records it as a human decision in the story, which status -f shows", async () => {
    const missing = io();
    expect(await missing.run(["story", "pass", "US-001", "-f", "auth"])).toBe(2);
    expect((await readPrd()).userStories[0]?.status).toBe("failed");
    const t = io();
    expect(await t.run(["story", "pass", "US-001", "-f", "auth", "--reason", "fixed by hand in abc123"])).toBe(0);
    const story = (await readPrd()).userStories[0]!;
    expect(story.status).toBe("passed");
    expect(story.decisions?.at(-1)).toMatchObject({
      action: "pass",
      by: "ada@test-host",
      reason: "fixed by hand in abc123",
      at: "2026-03-07T06:00:00.000Z",
    });
    const status = io();
    await status.run(["status", "-f", "auth"]);
    expect(status.stdout()).toMatch(/US-001\s+passed.*\(passed by hand: ada@test-host, "fixed by hand in abc123"\)/);
  });

  test("skip marks the story skipped, so its dependant is no longer blocked", async () => {
    const t = io();
    expect(await t.run(["story", "skip", "US-001", "-f", "auth"])).toBe(0);
    expect((await readPrd()).userStories[0]?.status).toBe("skipped");
    const status = io();
    await status.run(["status", "-f", "auth"]);
    expect(status.stdout()).toMatch(/US-002\s+pending/);
  });

  test("is refused with exit 3 while a live run holds the lock, and prd.json is untouched", async () => {
    await writeLock(app, { pid: process.pid, runId: "run-live", feature: "auth" });
    const before = await readFile(featurePaths(app, "auth").prd, "utf8");
    const t = io();
    expect(await t.run(["story", "reset", "US-001", "-f", "auth"])).toBe(3);
    expect(t.stderr()).toContain("refusing to reset US-001 while a run holds the lock");
    expect(await readFile(featurePaths(app, "auth").prd, "utf8")).toBe(before);
    expect(await exists(projectPaths(app).lock)).toBe(true);
  });

  test("a stale lock is replaced with a warning and removed after the edit", async () => {
    await writeLock(app, { pid: DEAD_PID, runId: "run-dead", feature: "auth" });
    const t = io();
    expect(await t.run(["story", "skip", "US-001", "-f", "auth"])).toBe(0);
    expect(t.stderr()).toContain("stale lock");
    expect(await exists(projectPaths(app).lock)).toBe(false);
  });

  test("an unknown story id is a usage error listing the feature's stories", async () => {
    const t = io();
    expect(await t.run(["story", "skip", "US-999", "-f", "auth"])).toBe(2);
    expect(t.stderr()).toContain('no story "US-999" in feature auth (its stories: US-001, US-002)');
  });

  test("diagnose's fix for a failed story is this command, not a hand edit of prd.json", async () => {
    const t = io();
    await t.run(["diagnose", "-f", "auth", "--json"]);
    const report = JSON.parse(t.stdout()) as { recommendations: string[] };
    expect(report.recommendations.join("\n")).toContain("`nax story reset US-001 -f auth`");
    expect(report.recommendations.join("\n")).not.toContain("prd.json and rerun");
  });

  test("several features and no -f is a usage error naming them", async () => {
    const t = io();
    expect(await t.run(["story", "skip", "US-001"])).toBe(2);
    expect(t.stderr()).toContain("choose one with -f");
  });
});
