import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createSpawner, type SpawnOptions, type SpawnResult } from "../../../src/system/spawn";
import { readPidFile, waitUntilGone } from "../../fakes/process-probe";

let dir: string;
const env = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-spawn-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(cmd: string[], options: Partial<SpawnOptions> = {}) {
  const groups = createProcessGroups();
  const spawn = createSpawner(groups);
  return { groups, result: spawn({ cmd, cwd: dir, env, ...options }) };
}

function exited(result: SpawnResult) {
  if (result.kind !== "exited") throw new Error(`expected an exited result, got ${result.kind}`);
  return result;
}

describe("createSpawner", () => {
  test("a child printing 2 MB on stdout and on stderr completes and keeps only a capped tail (traps 1, 26)", async () => {
    const script = "head -c 2097152 /dev/zero | tr '\\0' a; head -c 2097152 /dev/zero | tr '\\0' b >&2; printf END";
    const started = Date.now();
    const result = exited(await run(["sh", "-c", script], { maxBufferBytes: 64 * 1024, timeoutMs: 20_000 }).result);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(result.stdout.endsWith("aaaEND")).toBe(true);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stderr.length).toBeLessThanOrEqual(64 * 1024);
    expect(result.stderr.endsWith("bbb")).toBe(true);
    expect(result.stderrTruncated).toBe(true);
  });

  test("a child that writes a lot before reading a large stdin does not deadlock", async () => {
    const script = "head -c 1048576 /dev/zero | tr '\\0' x; wc -c";
    const input = "y".repeat(1024 * 1024);
    const result = exited(await run(["sh", "-c", script], { stdin: input, timeoutMs: 20_000 }).result);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().endsWith("1048576")).toBe(true);
  });

  test("a child that exits without reading its stdin is a normal exit, not a throw", async () => {
    const result = exited(await run(["sh", "-c", "exit 3"], { stdin: "z".repeat(2 * 1024 * 1024) }).result);
    expect(result.exitCode).toBe(3);
  });

  test("lines are delivered to onStdoutLine as they arrive, the last one without a newline too", async () => {
    const lines: string[] = [];
    const script = "printf 'one\\ntwo\\n'; printf three";
    exited(await run(["sh", "-c", script], { onStdoutLine: (line) => lines.push(line) }).result);
    expect(lines).toEqual(["one", "two", "three"]);
  });

  test("a throwing line callback fails the call after the child is gone, without stopping the drain: drain errors surface, never swallowed (trap 7)", async () => {
    const script = "echo first; head -c 1048576 /dev/zero | tr '\\0' q; echo; echo last";
    const pending = run(["sh", "-c", script], {
      onStdoutLine: () => {
        throw new Error("callback broke");
      },
      timeoutMs: 20_000,
    }).result;
    await expect(pending).rejects.toThrow("callback broke");
  });

  test("a timed-out child and its grandchild in its own process group are both gone afterwards", async () => {
    const pidFile = join(dir, "grandchild-timeout.pid");
    const script = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 300' >/dev/null 2>&1 & sleep 300`;
    const { result } = run(["sh", "-c", script], { timeoutMs: 1500, killGraceMs: 300 });
    const grandchild = await readPidFile(pidFile);
    const outcome = await result;
    expect(outcome.kind).toBe("timeout");
    if (outcome.kind !== "timeout") return;
    expect(outcome.reason).toBe("wall");
    expect(await waitUntilGone([outcome.pid, grandchild])).toBe(true);
  });

  test("a child that ignores SIGINT is killed with SIGKILL after the grace period", async () => {
    const { result } = run(["sh", "-c", "trap '' INT; sleep 300 & wait; sleep 300"], {
      timeoutMs: 200,
      killGraceMs: 200,
    });
    const outcome = await result;
    expect(outcome.kind).toBe("timeout");
    if (outcome.kind === "timeout") expect(await waitUntilGone([outcome.pid])).toBe(true);
  });

  test("the stall timeout fires when the child goes silent", async () => {
    const started = Date.now();
    const outcome = await run(["sh", "-c", "echo hello; exec sleep 300"], {
      stallTimeoutMs: 300,
      timeoutMs: 60_000,
      killGraceMs: 200,
    }).result;
    expect(outcome.kind).toBe("timeout");
    if (outcome.kind !== "timeout") return;
    expect(outcome.reason).toBe("stall");
    expect(outcome.stdout).toBe("hello\n");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("output keeps a slow child alive past the stall timeout", async () => {
    const script = "for i in 1 2 3 4 5 6; do echo tick; sleep 0.1; done";
    const outcome = await run(["sh", "-c", script], { stallTimeoutMs: 1500 }).result;
    expect(exited(outcome).stdout.split("\n").filter(Boolean)).toHaveLength(6);
  });

  test("an abort signal stops the child and reports aborted", async () => {
    const controller = new AbortController();
    const { result } = run(["sleep", "300"], { signal: controller.signal, killGraceMs: 200 });
    controller.abort();
    const outcome = await result;
    expect(outcome.kind).toBe("aborted");
    if (outcome.kind === "aborted") expect(await waitUntilGone([outcome.pid])).toBe(true);
  });

  test("timers are cleared: a process that spawned a fast child with long timeouts exits at once (trap 9)", async () => {
    const spawnModule = resolve(import.meta.dir, "../../../src/system/spawn.ts");
    const groupsModule = resolve(import.meta.dir, "../../../src/system/process-groups.ts");
    const inner = [
      `import { createSpawner } from ${JSON.stringify(spawnModule)};`,
      `import { createProcessGroups } from ${JSON.stringify(groupsModule)};`,
      "const spawn = createSpawner(createProcessGroups());",
      "const r = await spawn({ cmd: ['true'], cwd: '/', env: { PATH: process.env.PATH }, timeoutMs: 60000, stallTimeoutMs: 60000 });",
      "console.log(r.kind);",
    ].join("\n");
    const started = Date.now();
    const outcome = exited(await run([process.execPath, "-e", inner], { timeoutMs: 20_000 }).result);
    expect(outcome.stdout.trim()).toBe("exited");
    // The inner process would linger for 60 s if a timer outlived the call.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test("a grandchild in its own group holding the pipes open does not hang the call", async () => {
    // The grandchild ends by itself a few seconds later: the test signals nothing it did not start.
    const script = "setsid sh -c 'exec sleep 6' & echo started";
    const started = Date.now();
    const outcome = exited(await run(["sh", "-c", script]).result);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe("started\n");
  });

  test("a missing program is a typed not-found result", async () => {
    const outcome = await run([join(dir, "no-such-program")]).result;
    expect(outcome.kind).toBe("not-found");
    if (outcome.kind === "not-found") expect(outcome.command).toBe(join(dir, "no-such-program"));
    expect((await run(["nax-no-such-command-on-path"]).result).kind).toBe("not-found");
  });

  test("a missing working directory is an error naming it, not a missing program", async () => {
    const spawn = createSpawner(createProcessGroups());
    const missing = join(dir, "does-not-exist");
    await expect(spawn({ cmd: ["true"], cwd: missing, env })).rejects.toThrow(missing);
  });

  test("a finished child's group is no longer in the registry", async () => {
    const { groups, result } = run(["true"]);
    const outcome = exited(await result);
    expect(groups.has(outcome.pid)).toBe(false);
  });
});

describe("TailBuffer", () => {
  test("keeps exactly the last `limit` characters when a small chunk follows a big one", async () => {
    const { TailBuffer } = await import("../../../src/system/spawn");
    const buffer = new TailBuffer(10);
    buffer.push("a".repeat(100));
    buffer.push("END");
    expect(buffer.text()).toBe("aaaaaaaEND");
    expect(buffer.truncated).toBe(true);
  });

  test("is not truncated while under its limit", async () => {
    const { TailBuffer } = await import("../../../src/system/spawn");
    const buffer = new TailBuffer(10);
    buffer.push("abc");
    buffer.push("def");
    expect(buffer.text()).toBe("abcdef");
    expect(buffer.truncated).toBe(false);
  });
});
