import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendAnswer, createAnswerFileChannel, readAnswers } from "../../../src/interaction/answer-file";
import { createAutoChannel } from "../../../src/interaction/channels/auto";
import { createCliChannel } from "../../../src/interaction/channels/cli";
import { parseReplyText, type QuestionInput } from "../../../src/interaction/question";
import { createSystemClock } from "../../../src/system/clock";
import { createNodeFs } from "../../../src/system/fs";
import type { TerminalInput } from "../../../src/system/terminal-input";
import { heldClock, interactionWith } from "./fixtures";

const question: QuestionInput = {
  kind: "merge-conflict",
  prompt: "US-004 could not be merged",
  choices: ["retry", "skip", "fail"],
  fallback: "fail",
  storyId: "US-004",
  lane: 1,
};

/** A terminal the test types into. */
function fakeTerminal(isTTY: boolean): TerminalInput & { type(line: string): void; listening(): number } {
  const listeners = new Set<(line: string) => void>();
  return {
    isTTY,
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    type: (line) => {
      for (const l of [...listeners]) l(line);
    },
    listening: () => listeners.size,
  };
}

const turns = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("reply text", () => {
  test("a bare choice, `<id> <choice>` and `/answer <id> <choice>` are read; anything else is not an answer", () => {
    expect(parseReplyText(" Skip ")).toEqual({ choice: "skip" });
    expect(parseReplyText("q-1a2b retry")).toEqual({ questionId: "q-1a2b", choice: "retry" });
    expect(parseReplyText("/answer q-1a2b fail")).toEqual({ questionId: "q-1a2b", choice: "fail" });
    expect(parseReplyText("please skip it")).toBeUndefined();
  });
});

describe("the cli channel", () => {
  test("is off when stdin is not a terminal", () => {
    expect(createCliChannel({ input: fakeTerminal(false), write: () => undefined })).toBeUndefined();
  });

  test("prints the question with its choices, takes a typed choice, and stops reading once answered", async () => {
    const terminal = fakeTerminal(true);
    const printed: string[] = [];
    const cli = createCliChannel({ input: terminal, write: (t) => void printed.push(t) });
    const { interaction } = interactionWith(cli ? [cli] : []);
    const asking = interaction.ask(question);
    await turns();
    expect(printed.join("")).toContain("US-004 could not be merged");
    expect(printed.join("")).toContain("choices: retry, skip, fail");
    terminal.type("maybe");
    expect(printed.at(-1)).toContain('"maybe" is not one of retry, skip, fail');
    terminal.type("skip");
    expect(await asking).toMatchObject({ choice: "skip", channel: "cli" });
    expect(terminal.listening()).toBe(0);
  });

  test("with two questions waiting, a bare choice is refused and `<id> <choice>` answers the one named", async () => {
    const terminal = fakeTerminal(true);
    const printed: string[] = [];
    const cli = createCliChannel({ input: terminal, write: (t) => void printed.push(t) });
    const { interaction, events } = interactionWith(cli ? [cli] : []);
    const first = interaction.ask(question);
    const second = interaction.ask({ ...question, storyId: "US-005", lane: 2 });
    await turns();
    terminal.type("skip");
    expect(printed.at(-1)).toContain('2 questions wait; type "<id> <choice>"');
    const secondId = String(events.filter((e) => e.type === "interaction:asked")[1]?.data.questionId);
    terminal.type(`${secondId} retry`);
    expect(await second).toMatchObject({ questionId: secondId, choice: "retry" });
    terminal.type("fail");
    expect((await first).choice).toBe("fail");
  });
});

describe("the auto channel", () => {
  test("answers at once from its policy, and leaves a kind it does not name to the timeout", async () => {
    const { interaction } = interactionWith([createAutoChannel({ "merge-conflict": "retry" })]);
    expect(await interaction.ask(question)).toMatchObject({ choice: "retry", channel: "auto", source: "answered" });
    const clock = heldClock();
    const other = interactionWith([createAutoChannel({ "cost-threshold": "stop" })], { clock });
    const asking = other.interaction.ask(question);
    await turns();
    clock.expire();
    expect(await asking).toMatchObject({ choice: "fail", source: "fallback" });
  });
});

describe("the answers file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "nax-answers-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("a torn last line and a hand-edited line are skipped; complete lines are read", async () => {
    const path = join(dir, "torn.answers.jsonl");
    await writeFile(path, 'not json\n{"questionId":"q-1","choice":"skip","at":"t"}\n{"questionId":"q-2"');
    expect(await readAnswers(createNodeFs(), path)).toEqual([{ questionId: "q-1", choice: "skip", at: "t" }]);
  });

  test("the channel answers its question from a line appended while it waits, ignoring other questions' lines", async () => {
    const fs = createNodeFs();
    const path = join(dir, "run.answers.jsonl");
    const channel = createAnswerFileChannel({ fs, clock: createSystemClock(), path, pollMs: 10 });
    const { interaction, events } = interactionWith([channel]);
    const asking = interaction.ask(question);
    await turns();
    const first = events[0];
    const id = first?.type === "interaction:asked" ? first.data.questionId : "missing";
    await appendAnswer(fs, path, { questionId: "q-other", choice: "skip", at: "t" });
    await appendAnswer(fs, path, { questionId: id, choice: "retry", by: "ann@host", channel: "answer-file", at: "t" });
    expect(await asking).toMatchObject({ questionId: id, choice: "retry", channel: "answer-file" });
    expect(events.at(-1)?.data).toMatchObject({ by: "ann@host" });
  });
});
