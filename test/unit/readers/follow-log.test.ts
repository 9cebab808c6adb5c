import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type FollowLiveness, followLog } from "../../../src/readers/follow-log";
import type { EventLine } from "../../../src/state/event-line";
import { cancellableSleep } from "../../../src/system/clock";
import { createNodeFs } from "../../../src/system/fs";
import { eventLine, eventText, makeTempDir } from "../../helpers/state-fixtures";
import { until } from "../../helpers/until";

const RUN = "run-2026-03-07T05-00-00-000Z";
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let path: string;

beforeEach(async () => {
  temp = await makeTempDir("follow");
  path = join(temp.path, `${RUN}.jsonl`);
});
afterEach(async () => {
  await temp.cleanup();
});

function start(checkAlive: () => Promise<FollowLiveness>, signal?: AbortSignal) {
  const seen: EventLine[] = [];
  let polls = 0;
  const done = followLog({
    fs: createNodeFs(),
    clock: {
      sleep: (ms, s) => {
        polls++;
        return cancellableSleep(ms, s);
      },
    },
    path,
    pollMs: 1,
    onLine: (line) => seen.push(line),
    checkAlive,
    signal,
  });
  return { seen, done, polls: () => polls };
}

describe("followLog", () => {
  test("a half-written line is delivered once, when its newline arrives", async () => {
    const line = JSON.stringify(eventLine(RUN, "story:started", { storyId: "US-001" }));
    await writeFile(path, line.slice(0, 20));
    const f = start(async () => ({ alive: true }));
    await until("three polls", () => f.polls() >= 3, 5_000, 2);
    expect(f.seen).toHaveLength(0);
    await appendFile(path, `${line.slice(20)}\n`);
    await until("the first line", () => f.seen.length === 1, 5_000, 2);
    await appendFile(path, eventText([eventLine(RUN, "run:completed", { status: "completed" })]));
    const end = await f.done;
    expect(end.kind).toBe("terminal");
    expect(f.seen.map((l) => l.type)).toEqual(["story:started", "run:completed"]);
  });

  test("only the appended bytes are read on each poll, and multi-byte text survives the offsets", async () => {
    const real = createNodeFs();
    const offsets: number[] = [];
    const seen: EventLine[] = [];
    await writeFile(path, eventText([eventLine(RUN, "log", { message: "first — é → ✓" })]));
    const done = followLog({
      fs: {
        stat: real.stat,
        readTextFrom: (p, offset) => {
          offsets.push(offset);
          return real.readTextFrom(p, offset);
        },
      },
      clock: { sleep: (ms, s) => cancellableSleep(ms, s) },
      path,
      pollMs: 1,
      onLine: (line) => seen.push(line),
      checkAlive: async () => ({ alive: true }),
    });
    await until("the first line", () => seen.length === 1, 5_000, 2);
    await appendFile(path, eventText([eventLine(RUN, "log", { message: "second ✓" })]));
    await until("the second line", () => seen.length === 2, 5_000, 2);
    await appendFile(path, eventText([eventLine(RUN, "run:completed", { status: "completed" })]));
    expect((await done).kind).toBe("terminal");
    expect(offsets[0]).toBe(0);
    expect(offsets.slice(1).every((offset) => offset > 0)).toBe(true);
    expect(seen[0]?.message).toBe("first — é → ✓");
    expect(seen[1]?.message).toBe("second ✓");
  });

  test("lines after the terminal line are not delivered", async () => {
    await writeFile(path, eventText([eventLine(RUN, "run:crashed", {}), eventLine(RUN, "log", {})]));
    const f = start(async () => ({ alive: true }));
    expect((await f.done).kind).toBe("terminal");
    expect(f.seen.map((l) => l.type)).toEqual(["run:crashed"]);
  });

  test("a dead process ends the follow only after it is seen dead on several polls in a row", async () => {
    await writeFile(path, eventText([eventLine(RUN, "run:started", {})]));
    const answers: FollowLiveness[] = [
      { alive: false },
      { alive: true },
      { alive: false },
      { alive: false },
      { alive: false, reason: "pid 7 is gone" },
    ];
    let asked = 0;
    const f = start(async () => answers[asked++] ?? { alive: true });
    const end = await f.done;
    expect(end).toEqual({ kind: "process-gone", reason: "pid 7 is gone" });
    expect(asked).toBe(5);
  });

  test("an unknown liveness keeps waiting, and an abort ends the follow", async () => {
    const controller = new AbortController();
    const f = start(async () => ({ alive: undefined }), controller.signal);
    await until("five polls", () => f.polls() >= 5, 5_000, 2);
    controller.abort();
    expect((await f.done).kind).toBe("aborted");
  });
});
