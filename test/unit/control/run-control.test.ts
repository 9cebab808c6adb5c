import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ControlCommand, controlPaths } from "../../../src/control/command";
import { appendCommand, readCommands } from "../../../src/control/command-file";
import { readPendingCommands } from "../../../src/control/pending";
import { type ControlAbort, createRunControl, type RunControl } from "../../../src/control/run-control";
import { createEventBus } from "../../../src/events/bus";
import type { AnyNaxEvent } from "../../../src/events/events";
import { createMemoryLogger } from "../../../src/logger/logger";
import { parsePrd } from "../../../src/prd/load";
import { createPrdStore, type PrdStore } from "../../../src/prd/store";
import { createManualClock } from "../../../src/system/clock";
import { createNodeFs } from "../../../src/system/fs";
import { until } from "../../helpers/until";

const fs = createNodeFs();
let dir: string;
let store: PrdStore;
let events: AnyNaxEvent[];
let aborted: ControlAbort[];
let control: RunControl;

function prd() {
  return parsePrd(
    JSON.stringify({
      project: "p",
      feature: "demo",
      userStories: ["US-001", "US-002"].map((id) => ({ id, title: id, acceptanceCriteria: ["works"] })),
    }),
    "prd.json",
  );
}

const send = (command: Partial<ControlCommand> & Pick<ControlCommand, "id" | "kind">) =>
  appendCommand(fs, controlPaths(dir), { at: "2026-03-07T05:30:00.000Z", ...command });
const acks = () => events.filter((e) => e.type === "command:applied").map((e) => [e.data.id, e.data.outcome]);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-control-"));
  store = createPrdStore(fs, join(dir, "prd.json"), prd(), () => "2026-03-07T05:30:00.000Z");
  events = [];
  aborted = [];
  const bus = createEventBus({ runId: "run-1", now: () => "t", onSubscriberError: () => undefined });
  bus.onAny((event) => void events.push(event), { name: "test" });
  control = createRunControl({
    fs,
    paths: controlPaths(dir),
    runId: "run-1",
    bus,
    clock: createManualClock(),
    logger: createMemoryLogger(),
    store,
    abortRun: (reason) => void aborted.push(reason),
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the run's control commands", () => {
  test("a skip written twice with the same id is applied once and recorded once", async () => {
    await send({ id: "s-1", kind: "skip", storyId: "US-002" });
    await send({ id: "s-1", kind: "skip", storyId: "US-002" });
    await control.safePoint(new Set(), new AbortController().signal);
    await control.safePoint(new Set(), new AbortController().signal);
    expect(store.story("US-002").status).toBe("skipped");
    expect(acks()).toEqual([["s-1", "applied"]]);
    expect(events.filter((e) => e.type === "command:received")).toHaveLength(1);
    expect(await readPendingCommands(fs, dir)).toEqual([]);
  });

  test("a skip of a story a lane is running waits until that attempt ends; a passed story is not skipped", async () => {
    await send({ id: "s-1", kind: "skip", storyId: "US-001" });
    await send({ id: "s-2", kind: "skip", storyId: "US-002" });
    await store.updateStory("US-002", (s) => ({ ...s, status: "passed" }));
    await control.safePoint(new Set(["US-001"]), new AbortController().signal);
    expect(acks()).toEqual([["s-2", "ignored"]]);
    expect(store.story("US-001").status).toBe("pending");
    await control.safePoint(new Set(), new AbortController().signal);
    expect(acks()).toEqual([
      ["s-2", "ignored"],
      ["s-1", "applied"],
    ]);
    expect(store.story("US-001").status).toBe("skipped");
  });

  test("pause closes the session gate until resume; pause --now aborts the running attempts' signals only", async () => {
    const run = new AbortController();
    const attempt = control.attemptSignal(run.signal);
    await send({ id: "p-1", kind: "pause", now: true });
    // The loop's safe point applies the pause, then holds: no new attempt while paused.
    let held = true;
    const safePoint = control.safePoint(new Set(["US-001"]), run.signal).then(() => {
      held = false;
    });
    await until("the pause to be applied", () => control.paused());
    expect(held).toBe(true);
    expect(attempt.aborted).toBe(true);
    expect(run.signal.aborted).toBe(false);
    expect(control.attemptSignal(run.signal).aborted).toBe(false);
    let opened = false;
    const gate = control.open(run.signal).then(() => {
      opened = true;
    });
    await send({ id: "r-1", kind: "resume" });
    // The safe point applies the resume (the poller would too) and returns once the run is no longer paused.
    await control.safePoint(new Set(), run.signal);
    await Promise.all([gate, safePoint]);
    expect([opened, held]).toEqual([true, false]);
    expect(events.map((e) => e.type).filter((t) => t.startsWith("run:"))).toEqual(["run:paused", "run:resumed"]);
  });

  test("abort is recorded before the run is stopped, with the command's id in the reason", async () => {
    await send({ id: "a-1", kind: "abort" });
    await control.safePoint(new Set(), new AbortController().signal);
    expect(aborted.map((a) => a.message)).toEqual(["stopped by `nax abort` (command a-1)"]);
    expect(acks()).toEqual([["a-1", "applied"]]);
  });

  test("commands still pending when the run ends on its own are acknowledged as expired", async () => {
    await send({ id: "s-1", kind: "skip", storyId: "US-001" });
    await control.finish();
    expect(acks()).toEqual([["s-1", "expired"]]);
    expect(store.story("US-001").status).toBe("pending");
  });

  test("a torn last line and a line that is not a command are skipped; the problem names the file and line", async () => {
    const paths = controlPaths(dir);
    await fs.appendText(paths.commands, '{"nope":1}\n');
    await send({ id: "s-1", kind: "skip", storyId: "US-001" });
    await fs.appendText(paths.commands, '{"id":"half');
    const read = await readCommands(fs, paths);
    expect(read.commands.map((c) => c.id)).toEqual(["s-1"]);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toContain("commands.jsonl:1");
  });
});
