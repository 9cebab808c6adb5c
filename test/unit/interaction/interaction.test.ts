import { describe, expect, test } from "bun:test";
import type { Channel, QuestionInput, Respond } from "../../../src/interaction/question";
import { heldClock, interactionWith } from "./fixtures";

const question = (storyId: string, lane: number): QuestionInput => ({
  kind: "tiers-exhausted",
  prompt: `${storyId} spent every tier`,
  choices: ["retry", "skip", "fail"],
  fallback: "fail",
  storyId,
  lane,
});

/** A channel the test answers by hand: every question it was offered, with its `respond`. */
function scriptedChannel(): Channel & { offered: Map<string, Respond>; stopped: string[] } {
  const offered = new Map<string, Respond>();
  const stopped: string[] = [];
  return {
    name: "scripted",
    offered,
    stopped,
    ask(q, respond, signal) {
      offered.set(q.storyId ?? q.id, respond);
      signal.addEventListener("abort", () => stopped.push(q.id), { once: true });
    },
  };
}

/** Lets the asked event reach the channels (a few microtask turns, no timer). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("the Interaction port", () => {
  test("ask resolves only once a channel answers, with interaction:asked then interaction:answered", async () => {
    const channel = scriptedChannel();
    const { interaction, events } = interactionWith([channel]);
    let answered = false;
    const asking = interaction.ask(question("US-001", 1)).then((a) => {
      answered = true;
      return a;
    });
    await settle();
    expect(answered).toBe(false);
    expect(channel.offered.get("US-001")?.({ choice: "skip", channel: "scripted", by: "ann" })).toBe(true);
    const answer = await asking;
    expect(answer).toMatchObject({ choice: "skip", source: "answered", channel: "scripted" });
    expect(events.map((e) => e.type)).toEqual(["interaction:asked", "interaction:answered"]);
    expect(events[1]?.data).toMatchObject({ questionId: answer.questionId, choice: "skip", by: "ann", lane: 1 });
    expect(channel.stopped).toEqual([answer.questionId]);
  });

  test("a reply that is not one of the choices is refused and the question keeps waiting", async () => {
    const channel = scriptedChannel();
    const { interaction } = interactionWith([channel]);
    const asking = interaction.ask(question("US-001", 1));
    await settle();
    const respond = channel.offered.get("US-001");
    expect(respond?.({ choice: "maybe", channel: "scripted" })).toBe(false);
    expect(respond?.({ choice: "retry", channel: "scripted" })).toBe(true);
    expect(respond?.({ choice: "fail", channel: "scripted" })).toBe(false);
    expect((await asking).choice).toBe("retry");
  });

  test("two lanes' questions wait side by side and each gets its own answer", async () => {
    const channel = scriptedChannel();
    const { interaction } = interactionWith([channel]);
    const first = interaction.ask(question("US-001", 1));
    const second = interaction.ask(question("US-002", 2));
    await settle();
    expect([...channel.offered.keys()]).toEqual(["US-001", "US-002"]);
    channel.offered.get("US-002")?.({ choice: "skip", channel: "scripted" });
    expect((await second).choice).toBe("skip");
    channel.offered.get("US-001")?.({ choice: "retry", channel: "scripted" });
    expect((await first).choice).toBe("retry");
  });

  test("no answer within the timeout applies the declared fallback and logs it as interaction:fallback", async () => {
    const clock = heldClock();
    const { interaction, events } = interactionWith([scriptedChannel()], { clock, timeoutSeconds: 60 });
    const asking = interaction.ask(question("US-001", 1));
    await settle();
    clock.expire();
    const answer = await asking;
    expect(answer).toMatchObject({ choice: "fail", source: "fallback" });
    expect(events.map((e) => e.type)).toEqual(["interaction:asked", "interaction:fallback"]);
    expect(events[1]?.data).toMatchObject({ choice: "fail", reason: "no answer in 1m00s", storyId: "US-001" });
  });

  test("a run that stops settles a waiting question with its fallback at once, saying the run stopped", async () => {
    const stop = new AbortController();
    const { interaction, events } = interactionWith([scriptedChannel()], { signal: stop.signal });
    const asking = interaction.ask(question("US-001", 1));
    await settle();
    stop.abort();
    expect((await asking).source).toBe("fallback");
    expect(events[1]?.data).toMatchObject({ reason: "the run stopped" });
  });

  test("a channel that throws is logged by name and the others still answer", async () => {
    const broken: Channel = {
      name: "broken",
      ask() {
        throw new Error("no route to host");
      },
    };
    const channel = scriptedChannel();
    const { interaction, lines } = interactionWith([broken, channel]);
    const asking = interaction.ask(question("US-001", 1));
    await settle();
    channel.offered.get("US-001")?.({ choice: "skip", channel: "scripted" });
    expect((await asking).choice).toBe("skip");
    expect(lines.some((l) => l.includes("the broken channel could not ask") && l.includes("no route to host"))).toBe(
      true,
    );
  });

  test("a question whose fallback is not one of its choices is refused before anything is asked", async () => {
    const { interaction, events } = interactionWith([scriptedChannel()]);
    await expect(interaction.ask({ ...question("US-001", 1), fallback: "later" })).rejects.toThrow(/not one of/);
    expect(events).toEqual([]);
  });

  test("notify reaches every channel that notifies, and a failing one is logged, not thrown", async () => {
    const seen: string[] = [];
    const good: Channel = { name: "good", notify: async (n) => void seen.push(`${n.kind}: ${n.text}`) };
    const bad: Channel = { name: "bad", notify: () => Promise.reject(new Error("HTTP 500")) };
    const { interaction, lines } = interactionWith([good, bad]);
    await interaction.notify({ kind: "finished", text: "run completed" });
    expect(seen).toEqual(["finished: run completed"]);
    expect(lines).toContain("warn: the bad channel could not notify (finished): HTTP 500");
  });
});

describe("the Interaction port when the run ends around a waiting question", () => {
  test("a crash reported by another lane settles the waiting question with its fallback, so shutdown never waits for a person", async () => {
    const { interaction, lines, bus } = interactionWith([scriptedChannel()]);
    const asking = interaction.ask(question("US-001", 1));
    await settle();
    bus.emit("run:crashed", { error: "internal error in lane 2" });
    expect(await asking).toMatchObject({ choice: "fail", source: "fallback" });
    // After the terminal event the bus delivers only log records: the fallback is told as one (the run's logger).
    const { questionId } = await asking;
    expect(lines).toContain(`warn: ${questionId}: no answer (the run ended); the fallback "fail" was applied`);
  });
});
