import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProcessGroups, isPidAlive, killIfSame, listDescendants } from "../../../src/system/process-groups";
import { createSpawner } from "../../../src/system/spawn";
import { isGone, readPidFile, waitUntilGone } from "../../fakes/process-probe";

let dir: string;
const env = { PATH: "/usr/local/bin:/usr/bin:/bin" };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-groups-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A group leader this test starts itself, outside any registry. */
function startOwnGroupLeader() {
  return Bun.spawn(["sleep", "300"], { detached: true, stdout: "ignore", stderr: "ignore" });
}

describe("createProcessGroups", () => {
  test("signal refuses pid <= 1 and non-integers and sends nothing (trap 21)", () => {
    const groups = createProcessGroups();
    // SIGCONT: harmless even if a broken guard let it through to kill(-1) or our own group.
    for (const pid of [1, 0, -1, -4242, Number.NaN, 2.5]) {
      groups.add(pid);
      expect(groups.has(pid)).toBe(false);
      expect(groups.signal(pid, "SIGCONT")).toBe(false);
    }
    expect(groups.list()).toEqual([]);
  });

  test("signal refuses a live group this registry did not spawn and leaves it running (trap 21)", async () => {
    const stranger = startOwnGroupLeader();
    try {
      const groups = createProcessGroups();
      expect(groups.signal(stranger.pid, "SIGKILL")).toBe(false);
      expect(groups.signalAll("SIGKILL")).toBe(0);
      expect(isPidAlive(stranger.pid)).toBe(true);
      expect(stranger.exitCode).toBeNull();
    } finally {
      stranger.kill("SIGKILL");
      await stranger.exited;
    }
  });

  test("a group spawned through the spawn helper can be signalled while it runs, and not after", async () => {
    const groups = createProcessGroups();
    const spawn = createSpawner(groups);
    const pending = spawn({ cmd: ["sleep", "300"], cwd: dir, env });
    const [pgid] = groups.list();
    expect(pgid).toBeGreaterThan(1);
    expect(groups.signal(pgid as number, "SIGKILL")).toBe(true);
    const result = await pending;
    expect(result.kind).toBe("exited");
    if (result.kind === "exited") expect(result.signal).toBe("SIGKILL");
    expect(groups.has(pgid as number)).toBe(false);
    expect(groups.signal(pgid as number, "SIGKILL")).toBe(false);
  });

  test("signalAll reaches every registered group and counts them", async () => {
    const groups = createProcessGroups();
    const a = startOwnGroupLeader();
    const b = startOwnGroupLeader();
    groups.add(a.pid);
    groups.add(b.pid);
    expect(groups.signalAll("SIGKILL")).toBe(2);
    await Promise.all([a.exited, b.exited]);
    expect(a.signalCode).toBe("SIGKILL");
    expect(b.signalCode).toBe("SIGKILL");
    // Gone groups are not counted again: ESRCH is not a successful signal.
    expect(groups.signalAll("SIGKILL")).toBe(0);
  });

  test("killAll kills a registered group and the grandchild its leader started in a group of its own", async () => {
    const pidFile = join(dir, "kill-all-grandchild.pid");
    const leader = Bun.spawn(["sh", "-c", `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 300' & wait`], {
      detached: true,
      stdout: "ignore",
      stderr: "ignore",
    });
    const groups = createProcessGroups();
    groups.add(leader.pid);
    const grandchild = await readPidFile(pidFile);
    expect(groups.killAll()).toBe(1);
    await leader.exited;
    expect(leader.signalCode).toBe("SIGKILL");
    // The group kill alone would leave this one running: it is reached as the leader's descendant.
    expect(await waitUntilGone([grandchild])).toBe(true);
  });
});

describe("listDescendants and killIfSame", () => {
  test("find a grandchild that sits in its own process group and kill it", async () => {
    const pidFile = join(dir, "grandchild.pid");
    const parent = Bun.spawn(["sh", "-c", `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 300' & wait`], {
      detached: true,
      stdout: "ignore",
      stderr: "ignore",
    });
    try {
      const grandchild = await readPidFile(pidFile);
      const found = listDescendants(parent.pid);
      const identity = found.find((p) => p.pid === grandchild);
      expect(identity).toBeDefined();
      if (!identity) return;
      expect(killIfSame({ ...identity, startTime: "not-the-same" })).toBe(false);
      expect(isGone(grandchild)).toBe(false);
      expect(killIfSame(identity)).toBe(true);
      expect(await waitUntilGone([grandchild])).toBe(true);
    } finally {
      parent.kill("SIGKILL");
      await parent.exited;
    }
  });

  test("killIfSame refuses pid <= 1 (trap 21)", () => {
    expect(killIfSame({ pid: 1, startTime: "1" })).toBe(false);
    expect(killIfSame({ pid: 0, startTime: "1" })).toBe(false);
    expect(killIfSame({ pid: -1, startTime: "1" })).toBe(false);
  });
});

describe("isPidAlive", () => {
  test("is true for this process and false for invalid pids and a reaped child", async () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isPidAlive(0)).toBe(false);
    expect(isPidAlive(-1)).toBe(false);
    const child = Bun.spawn(["true"]);
    await child.exited;
    expect(isPidAlive(child.pid)).toBe(false);
  });
});
