import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventEnvelopeSchema } from "../../../src/events/envelope";
import { EVENT_TYPES, EVENTS } from "../../../src/events/events";
import { parseEventLog } from "../../../src/readers/event-log";
import { StoredEventLineSchema } from "../../../src/state/event-line";
import { toEnvelope } from "../../../src/subscribers/envelope";
import { SAMPLE_PAYLOADS } from "../../helpers/event-samples";

const at = "2026-03-07T06:00:00.000Z";

describe("the event definitions", () => {
  test("every event type is defined once, with a description and a payload schema that accepts its sample", () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENTS.length);
    expect([...EVENT_TYPES].sort() as string[]).toEqual(Object.keys(SAMPLE_PAYLOADS).sort());
    for (const def of EVENTS) {
      expect(def.description.length).toBeGreaterThan(10);
      expect({ type: def.type, ok: def.payload.safeParse(SAMPLE_PAYLOADS[def.type]).success }).toEqual({
        type: def.type,
        ok: true,
      });
    }
  });

  test("the README's Events section lists every event, and no event that does not exist", async () => {
    const readme = await readFile(join(import.meta.dir, "../../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Events"), readme.indexOf("\n## ", readme.indexOf("## Events") + 1));
    const listed = [...section.matchAll(/^\| `([a-z-]+(?::[a-z-]+)?)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...EVENT_TYPES].sort() as string[]);
  });

  test("no payload field has a secret-looking name, so redaction never replaces a field its schema needs", () => {
    const secretLooking = /(api[-_]?key|secret|password|authorization|credential|token$|^env$)/i;
    const keys = EVENTS.flatMap((def) => Object.keys(def.payload.shape).map((key) => `${def.type}.${key}`));
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((key) => secretLooking.test(key.split(".")[1] ?? ""))).toEqual([]);
  });

  test("a stage name that is not lowercase words joined by dashes, or an unknown agent outcome, is refused", () => {
    const stage = EVENTS.find((d) => d.type === "stage:started");
    const session = EVENTS.find((d) => d.type === "agent:session-completed");
    expect(stage?.payload.safeParse({ storyId: "A", stage: "Deploy Now!" }).success).toBe(false);
    expect(
      session?.payload.safeParse({ ...SAMPLE_PAYLOADS["agent:session-completed"], outcome: "exploded" }).success,
    ).toBe(false);
  });
});

describe("the envelope", () => {
  test("a bus event becomes envelope v1 with its level, message and story, and secrets redacted", () => {
    const envelope = toEnvelope({
      type: "log",
      runId: "run-1",
      seq: 3,
      at,
      data: { level: "warn", message: "careful", storyId: "US-001", data: { apiKey: "sk-ant-1" } },
    });
    expect(envelope).toEqual({
      v: 1,
      type: "log",
      runId: "run-1",
      seq: 3,
      at,
      level: "warn",
      message: "careful",
      storyId: "US-001",
      data: { level: "warn", message: "careful", storyId: "US-001", data: { apiKey: "[redacted]" } },
    });
  });

  test("an event whose payload breaks its schema is refused with the event named, never written half-right", () => {
    const broken = { ...SAMPLE_PAYLOADS["story:started"], attempt: 0 };
    expect(() => toEnvelope({ type: "story:started", runId: "run-1", seq: 9, at, data: broken })).toThrow(
      /story:started #9 breaks its schema: data.attempt/,
    );
  });

  test("a line written before the envelope was versioned is read as envelope v1, a log line's fields put back in its payload", () => {
    const old = {
      ts: at,
      seq: 4,
      runId: "run-old",
      type: "log",
      level: "warn",
      message: "lint skipped",
      storyId: "US-001",
      stage: "review",
      data: { reason: "no command" },
    };
    expect(StoredEventLineSchema.parse(old)).toEqual({
      v: 1,
      type: "log",
      runId: "run-old",
      seq: 4,
      at,
      level: "warn",
      message: "lint skipped",
      storyId: "US-001",
      stage: "review",
      data: {
        level: "warn",
        message: "lint skipped",
        storyId: "US-001",
        stage: "review",
        data: { reason: "no command" },
      },
    });
    const oldStage = { ...old, type: "stage:started", level: "debug", data: { storyId: "US-001", stage: "review" } };
    expect(StoredEventLineSchema.parse(oldStage)).toMatchObject({ v: 1, at, data: { stage: "review" } });
  });

  test("a reader counts malformed lines as unreadable instead of failing: bad JSON, unknown type, wrong payload, no version", () => {
    const good = toEnvelope({ type: "heartbeat", runId: "r", seq: 1, at, data: {} });
    const lines = [
      JSON.stringify(good),
      "{not json",
      JSON.stringify({ ...good, type: "story:exploded" }),
      JSON.stringify({ ...good, type: "stage:started", data: { storyId: "A", stage: "Deploy Now!" } }),
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ts: at, seq: 2, runId: "r", type: "run:started", level: "info", message: "m", data: {} }),
    ];
    const parsed = parseEventLog(`${lines.join("\n")}\n`);
    expect(parsed.lines).toEqual([EventEnvelopeSchema.parse(good)]);
    expect(parsed.invalid).toBe(5);
  });
});
