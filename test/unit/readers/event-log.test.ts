import { describe, expect, test } from "bun:test";
import { parseEventLog, summarizeEventLog } from "../../../src/readers/event-log";
import { counts, eventLine, eventText } from "../../helpers/state-fixtures";

const RUN = "run-x";

describe("parseEventLog", () => {
  test("counts lines that are not valid event lines instead of failing", () => {
    const text = `${eventText([eventLine(RUN, "run:started")])}not json\n{"ts":1}\n\n`;
    const parsed = parseEventLog(text);
    expect(parsed.lines).toHaveLength(1);
    expect(parsed.invalid).toBe(2);
  });
});

describe("summarizeEventLog", () => {
  test("adds up session costs, keeps the latest counts and the story still in progress", () => {
    const summary = summarizeEventLog([
      eventLine(RUN, "run:started", { pid: 5, hostname: "h", counts: counts(0, 2) }),
      eventLine(RUN, "story:started", { storyId: "A" }),
      eventLine(RUN, "agent:session-completed", { storyId: "A", costUsd: 0.25 }),
      eventLine(RUN, "story:completed", { storyId: "A", counts: counts(1, 2) }),
      eventLine(RUN, "story:started", { storyId: "B" }),
      eventLine(RUN, "agent:session-completed", { storyId: "B", costUsd: 0.5 }),
    ]);
    expect(summary.costUsd).toBe(0.75);
    expect(summary.counts).toEqual(counts(1, 2));
    expect(summary.storyInProgress).toBe("B");
    expect(summary.pid).toBe(5);
    expect(summary.terminal).toBeUndefined();
  });

  test("a finished story is no longer in progress and the terminal line is kept", () => {
    const summary = summarizeEventLog([
      eventLine(RUN, "story:started", { storyId: "A" }),
      eventLine(RUN, "story:failed", { storyId: "A" }),
      eventLine(RUN, "run:completed", { status: "failed" }),
    ]);
    expect(summary.storyInProgress).toBeUndefined();
    expect(summary.terminal?.type).toBe("run:completed");
  });
});
