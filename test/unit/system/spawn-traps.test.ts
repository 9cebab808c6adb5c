/**
 * The spawn helper against two of the reference's traps that only show under
 * timing: a timeout that rejects after the race settled (trap 3), and shared
 * bookkeeping corrupted by many children finishing together (trap 5).
 */
import { describe, expect, test } from "bun:test";
import { dirname, resolve } from "node:path";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createSpawner } from "../../../src/system/spawn";

const env = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` };
const SPAWN = resolve(import.meta.dir, "../../../src/system/spawn.ts");
const GROUPS = resolve(import.meta.dir, "../../../src/system/process-groups.ts");

describe("spawn under timing traps", () => {
  test("a call that settled before its timeouts leaves nothing that rejects later, even with its stdin write cut short (trap 3)", async () => {
    // In a process of its own, so an unhandled rejection is seen by a handler we control, and time can pass.
    const inner = [
      `import { createSpawner } from ${JSON.stringify(SPAWN)};`,
      `import { createProcessGroups } from ${JSON.stringify(GROUPS)};`,
      "let unhandled = 0;",
      "process.on('unhandledRejection', () => { unhandled++; });",
      "const spawn = createSpawner(createProcessGroups());",
      "const env = { PATH: process.env.PATH };",
      "const fast = await spawn({ cmd: ['true'], cwd: '/', env, timeoutMs: 150, stallTimeoutMs: 150 });",
      // Exits without reading 4 MB of stdin: the pending write fails after the call has settled.
      "const deaf = await spawn({ cmd: ['true'], cwd: '/', env, stdin: 'x'.repeat(4 << 20), timeoutMs: 150 });",
      // Past every timer the calls armed: a rejecting timeout would have fired by now.
      "await new Promise((r) => setTimeout(r, 400));",
      "console.log(JSON.stringify({ fast: fast.kind, deaf: deaf.kind, unhandled }));",
    ].join("\n");
    const outcome = await createSpawner(createProcessGroups())({
      cmd: [process.execPath, "-e", inner],
      cwd: "/",
      env,
      timeoutMs: 20_000,
    });
    expect(outcome.kind).toBe("exited");
    if (outcome.kind !== "exited") return;
    expect(outcome.exitCode).toBe(0);
    expect(JSON.parse(outcome.stdout.trim())).toEqual({ fast: "exited", deaf: "exited", unhandled: 0 });
  });

  test("twenty children finishing together leave the process-group registry exactly empty, each one tracked while it ran (trap 5)", async () => {
    const groups = createProcessGroups();
    const spawn = createSpawner(groups);
    const seen = new Set<number>();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        spawn({
          cmd: ["sh", "-c", `echo ${i}`],
          cwd: "/",
          env,
          onStdoutLine: () => {
            for (const pgid of groups.list()) seen.add(pgid);
          },
        }),
      ),
    );
    const pids = results.map((r) => (r.kind === "exited" ? r.pid : -1));
    expect(new Set(pids).size).toBe(20);
    expect(pids.every((pid) => seen.has(pid))).toBe(true);
    expect(groups.list()).toEqual([]);
  });
});
