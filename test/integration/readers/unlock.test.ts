import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectPaths } from "../../../src/state/paths";
import { createTestIo, DEAD_PID, makeTempDir, writeLock, writeProject } from "../../helpers/state-fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: string;
let lockPath: string;

beforeEach(async () => {
  temp = await makeTempDir("unlock");
  app = await writeProject(temp.path, "app");
  lockPath = projectPaths(app).lock;
});
afterEach(async () => {
  await temp.cleanup();
});

const io = () => createTestIo({ naxHome: join(temp.path, "home"), cwd: temp.path });
const exists = (path: string) => Bun.file(path).exists();

describe("nax unlock", () => {
  test("without a lock it says so and exits 0", async () => {
    const t = io();
    expect(await t.run(["unlock", "-d", app])).toBe(0);
    expect(t.stdout()).toContain("no lock");
  });

  test("removes a lock whose pid is dead, after showing its holder", async () => {
    await writeLock(app, { pid: DEAD_PID, runId: "run-old", feature: "auth" });
    const t = io();
    expect(await t.run(["unlock", "-d", app])).toBe(0);
    expect(t.stdout()).toContain(`pid ${DEAD_PID}`);
    expect(t.stdout()).toContain("removed the stale lock");
    expect(await exists(lockPath)).toBe(false);
  });

  test("removes an unparseable lock", async () => {
    await writeFile(lockPath, "garbage");
    const t = io();
    expect(await t.run(["unlock", "-d", app])).toBe(0);
    expect(await exists(lockPath)).toBe(false);
  });

  test("refuses a live holder with exit 3 and leaves the lock untouched", async () => {
    // This test process is the live holder: its pid is alive and nothing is ever signalled.
    await writeLock(app, { pid: process.pid });
    const before = await readFile(lockPath, "utf8");
    const t = io();
    expect(await t.run(["unlock", "-d", app])).toBe(3);
    expect(t.stderr()).toContain("--force");
    expect(await readFile(lockPath, "utf8")).toBe(before);
  });

  test("--force removes a live holder's lock", async () => {
    await writeLock(app, { pid: process.pid });
    const t = io();
    expect(await t.run(["unlock", "-d", app, "--force"])).toBe(0);
    expect(await exists(lockPath)).toBe(false);
  });

  test("a lock from another host needs --force", async () => {
    await writeLock(app, { pid: DEAD_PID, hostname: "other-machine" });
    const refused = io();
    expect(await refused.run(["unlock", "-d", app])).toBe(3);
    expect(refused.stderr()).toContain("other-machine");
    expect(await exists(lockPath)).toBe(true);
    const forced = io();
    expect(await forced.run(["unlock", "-d", app, "--force"])).toBe(0);
    expect(await exists(lockPath)).toBe(false);
  });

  test("liveness comes from the injected check: the same lock is stale when its pid is reported dead", async () => {
    await writeLock(app, { pid: process.pid });
    const t = createTestIo({ naxHome: join(temp.path, "home"), cwd: app, isPidAlive: () => false });
    expect(await t.run(["unlock"])).toBe(0);
    expect(await exists(lockPath)).toBe(false);
  });
});
