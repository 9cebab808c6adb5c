import { describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNaxError } from "../../../src/errors";
import { acquireLock, inspectLock } from "../../../src/execution/lock";
import { LockFileSchema } from "../../../src/state/lock-file";
import { createNodeFs, type Fs } from "../../../src/system/fs";
import { createSys, type Sys } from "../../../src/system/sys";

const OUR_PID = 5000;

interface Fixture {
  dir: string;
  path: string;
  sys(overrides?: { alive?: number[]; fs?: Fs; hostname?: string }): Sys;
  [Symbol.asyncDispose](): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), "nax-lock-"));
  return {
    dir,
    path: join(dir, "nax.lock"),
    sys: (o = {}) =>
      createSys({
        fs: o.fs ?? createNodeFs(),
        hostname: o.hostname ?? "host-a",
        pid: OUR_PID,
        naxHome: join(dir, "nax-home"),
        env: {},
        isPidAlive: (pid) => pid === OUR_PID || (o.alive ?? []).includes(pid),
      }),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

const holder = (pid: number, hostname = "host-a", runId = "run-2026-03-07T05-00-00-000Z") =>
  `${JSON.stringify({ pid, hostname, runId, feature: "billing", startedAt: "2026-03-07T05:00:00.000Z" })}\n`;

const acquireOptions = (path: string, extra: { force?: boolean; onStale?: (m: string) => void } = {}) => ({
  path,
  runId: "run-2026-03-07T05-30-00-000Z",
  feature: "auth",
  startedAt: "2026-03-07T05:30:00.000Z",
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected the lock to be refused");
    },
    (error: Error) => error,
  );
}

describe("acquireLock", () => {
  test("takes a free lock and writes our pid, host, run id, feature and start time", async () => {
    await using f = await fixture();
    const held = await acquireLock(f.sys(), acquireOptions(f.path));
    const record = LockFileSchema.parse(JSON.parse((await Bun.file(f.path).text()) || "{}"));
    expect(record).toEqual({
      pid: OUR_PID,
      hostname: "host-a",
      runId: "run-2026-03-07T05-30-00-000Z",
      feature: "auth",
      startedAt: "2026-03-07T05:30:00.000Z",
    });
    expect(held.record).toEqual(record);
    // The lock is created complete (temp file + hard link), and the temp file does not stay behind.
    expect(await readdir(f.dir)).toEqual(["nax.lock"]);
  });

  test("a corrupt lock file is stale, is replaced with a warning, and never blocks forever (trap 6)", async () => {
    await using f = await fixture();
    await Bun.write(f.path, "{ this is not json");
    expect(await inspectLock(f.sys(), f.path)).toEqual({
      state: "stale",
      reason: "unparseable",
      raw: "{ this is not json",
    });
    const warnings: string[] = [];
    const held = await acquireLock(f.sys(), acquireOptions(f.path, { onStale: (m) => warnings.push(m) }));
    expect(held.record.pid).toBe(OUR_PID);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("unreadable");
  });

  test("a lock whose holder pid is dead on this host is stale and replaced", async () => {
    await using f = await fixture();
    await Bun.write(f.path, holder(777));
    const warnings: string[] = [];
    await acquireLock(f.sys(), acquireOptions(f.path, { onStale: (m) => warnings.push(m) }));
    expect(JSON.parse(await Bun.file(f.path).text()).pid).toBe(OUR_PID);
    expect(warnings[0]).toContain("pid 777");
  });

  test("a holder pid that exists but belongs to another user (EPERM, so isPidAlive is true) is live and refuses", async () => {
    await using f = await fixture();
    await Bun.write(f.path, holder(1234));
    const sys = f.sys({ alive: [1234] });
    expect((await inspectLock(sys, f.path)).state).toBe("live");
    const error = await refusal(acquireLock(sys, acquireOptions(f.path)));
    expect(isNaxError(error, "LOCK_HELD")).toBe(true);
    expect(error.message).toContain("pid 1234");
    expect(error.message).toContain('feature "billing"');
    expect(error.message).toContain("2026-03-07T05:00:00.000Z");
  });

  test("a nax 0.22 lock ({pid, timestamp}) with a live pid is never replaced: both runs would share one tree", async () => {
    await using f = await fixture();
    const reference = JSON.stringify({ pid: 4321, timestamp: Date.parse("2026-03-07T04:00:00.000Z") });
    await Bun.write(f.path, reference);
    const sys = f.sys({ alive: [4321] });
    expect((await inspectLock(sys, f.path)).state).toBe("live");
    const error = await refusal(acquireLock(sys, acquireOptions(f.path)));
    expect(isNaxError(error, "LOCK_HELD")).toBe(true);
    expect(error.message).toContain("pid 4321");
    expect(error.message).toContain("2026-03-07T04:00:00.000Z");
    expect(await Bun.file(f.path).text()).toBe(reference);
  });

  test("a lock of any shape with a readable pid that is dead is stale, and replaced naming that pid", async () => {
    await using f = await fixture();
    await Bun.write(f.path, JSON.stringify({ pid: 4321, timestamp: "yesterday", extra: true }));
    const warnings: string[] = [];
    await acquireLock(f.sys(), acquireOptions(f.path, { onStale: (m) => warnings.push(m) }));
    expect(JSON.parse(await Bun.file(f.path).text()).pid).toBe(OUR_PID);
    expect(warnings[0]).toContain("pid 4321");
  });

  test("a lock from another host is never judged: it needs --force, and --force replaces it", async () => {
    await using f = await fixture();
    await Bun.write(f.path, holder(1234, "host-b"));
    const error = await refusal(acquireLock(f.sys(), acquireOptions(f.path)));
    expect(isNaxError(error, "LOCK_HELD")).toBe(true);
    expect(error.message).toContain("--force");

    const warnings: string[] = [];
    await acquireLock(f.sys(), acquireOptions(f.path, { force: true, onStale: (m) => warnings.push(m) }));
    expect(JSON.parse(await Bun.file(f.path).text())).toMatchObject({ pid: OUR_PID, hostname: "host-a" });
    expect(warnings[0]).toContain("another host");
  });

  test("two runs racing for a free lock: exactly one wins (exclusive create)", async () => {
    await using f = await fixture();
    // Each run sees the other as alive, as two live processes on one host would.
    const first = f.sys({ alive: [6000] });
    const second = createSys({
      fs: createNodeFs(),
      hostname: "host-a",
      pid: 6000,
      naxHome: join(f.dir, "nax-home"),
      env: {},
      isPidAlive: (pid) => pid === OUR_PID || pid === 6000,
    });
    const results = await Promise.allSettled([
      acquireLock(first, acquireOptions(f.path)),
      acquireLock(second, { ...acquireOptions(f.path), runId: "run-2026-03-07T05-30-00-001Z" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isNaxError((lost[0] as PromiseRejectedResult).reason, "LOCK_HELD")).toBe(true);
  });

  test("a refused acquire leaves the holder's lock file byte-identical (trap 24)", async () => {
    await using f = await fixture();
    const original = '{"pid":1234,  "hostname":"host-a","runId":"run-x","feature":"billing","startedAt":"then"}';
    await Bun.write(f.path, original);
    await refusal(acquireLock(f.sys({ alive: [1234] }), acquireOptions(f.path)));
    expect(await Bun.file(f.path).text()).toBe(original);
  });

  test("a stale lock that another run replaces while we judge it is not removed: that run keeps it", async () => {
    await using f = await fixture();
    await Bun.write(f.path, holder(777));
    const inner = createNodeFs();
    const rival = holder(2222, "host-a", "run-rival");
    let raced = false;
    // Between our read of the dead holder's lock and our removal of it, a rival run replaces it with its own.
    const racingFs: Fs = {
      ...inner,
      async readText(path) {
        const text = await inner.readText(path);
        if (!raced && path === f.path) {
          raced = true;
          await inner.writeAtomic(path, rival);
        }
        return text;
      },
    };
    const error = await refusal(acquireLock(f.sys({ fs: racingFs, alive: [2222] }), acquireOptions(f.path)));
    expect(isNaxError(error, "LOCK_HELD")).toBe(true);
    expect(await Bun.file(f.path).text()).toBe(rival);
  });
});

describe("HeldLock.release", () => {
  test("removes our own lock, and a second release is harmless", async () => {
    await using f = await fixture();
    const held = await acquireLock(f.sys(), acquireOptions(f.path));
    await held.release();
    expect(await Bun.file(f.path).exists()).toBe(false);
    await held.release();
    expect(await Bun.file(f.path).exists()).toBe(false);
  });

  test("never removes a lock that is no longer ours", async () => {
    await using f = await fixture();
    const held = await acquireLock(f.sys(), acquireOptions(f.path));
    // Someone forced the lock away from us (e.g. `nax unlock` then a new run).
    const theirs = holder(9999, "host-a", "run-theirs");
    await Bun.write(f.path, theirs);
    await held.release();
    expect(await Bun.file(f.path).text()).toBe(theirs);
  });
});
