/**
 * The telegram channel against a local fake of the Bot API (127.0.0.1 only):
 * replies are accepted only from allow-listed users, and two runs sharing
 * one bot token have one poller between them, each getting its own answers
 * through its own answers file.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answersPath, createAnswerFileChannel } from "../../../src/interaction/answer-file";
import { createTelegramChannel } from "../../../src/interaction/channels/telegram";
import { botDir, createBotShare } from "../../../src/interaction/channels/telegram-shared";
import type { Interaction } from "../../../src/interaction/interaction";
import type { QuestionInput } from "../../../src/interaction/question";
import { createSystemClock } from "../../../src/system/clock";
import { createNodeFs } from "../../../src/system/fs";
import { type FakeTelegram, startFakeTelegram } from "../../helpers/fake-telegram";
import { until } from "../../helpers/until";
import { interactionWith, recordingLogger } from "./fixtures";

const TOKEN = "123456:test-bot-token";
const ALLOWED = 42;
const question: QuestionInput = {
  kind: "tiers-exhausted",
  prompt: "US-001 spent every tier",
  choices: ["retry", "skip", "fail"],
  fallback: "fail",
  storyId: "US-001",
  lane: 1,
};

let home: string;
let bot: FakeTelegram;
const open: Interaction[] = [];

/** One run's interaction: its answers file channel and a telegram channel on the shared bot. */
function startRun(runId: string) {
  const fs = createNodeFs();
  const clock = createSystemClock();
  const path = answersPath(join(home, "projects", runId), runId);
  const me = { pid: process.pid, hostname: "test-host", runId };
  const share = createBotShare({ fs, dir: botDir(home, TOKEN), isPidAlive: () => true, me });
  const { logger, lines: logLines } = recordingLogger();
  const telegram = createTelegramChannel({
    apiBaseUrl: bot.baseUrl,
    token: TOKEN,
    chatId: 777,
    allowedUserIds: [ALLOWED],
    pollSeconds: 0,
    // Tags each request with its run, so the test can see which run polled.
    fetch: (url, init) => fetch(url, { ...init, headers: { ...(init.headers as object), "x-test-run": runId } }),
    fs,
    clock,
    logger,
    share,
    answersPath: path,
    runId,
  });
  const made = interactionWith([createAnswerFileChannel({ fs, clock, path, pollMs: 20 }), telegram], { clock });
  open.push(made.interaction);
  return { ...made, path, logLines };
}

const questionIdIn = (text: string | undefined) => text?.match(/\bq-[0-9a-z]+\b/)?.[0] ?? "missing";

// Each test gets its own NAX_HOME: the bot's shared offset belongs to one fake.
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "nax-telegram-"));
});
afterEach(async () => {
  await Promise.all(open.map((i) => i.close()));
  open.length = 0;
  await bot?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("the telegram channel", () => {
  test("a reply from a user not on the allow-list is ignored; the allow-listed user's reply answers (trap 35)", async () => {
    bot = startFakeTelegram();
    const run = startRun("run-a");
    const asking = run.interaction.ask(question);
    await until("the question was sent to the chat", () => bot.sent.length === 1, 5000);
    const id = questionIdIn(bot.sent[0]?.text);
    expect(bot.sent[0]).toMatchObject({ token: TOKEN, chatId: 777 });
    expect(bot.sent[0]?.text).toContain("choices: retry, skip, fail");
    bot.push(TOKEN, 999, `${id} skip`);
    bot.push(TOKEN, ALLOWED, `${id} retry`);
    const answer = await asking;
    expect(answer).toMatchObject({ questionId: id, choice: "retry", source: "answered", channel: "telegram" });
    expect(run.events.find((e) => e.type === "interaction:answered")?.data).toMatchObject({
      by: `telegram:${ALLOWED}`,
    });
    expect(run.logLines.some((l) => l.includes("user 999 (not in allowedUserIds) was ignored"))).toBe(true);
    expect(await readFile(run.path, "utf8")).not.toContain('"skip"');
  });

  test("two runs sharing one bot have one poller, and each gets its own answer", async () => {
    bot = startFakeTelegram();
    const a = startRun("run-b1");
    const b = startRun("run-b2");
    const askA = a.interaction.ask(question);
    const askB = b.interaction.ask({ ...question, prompt: "US-009 spent every tier", storyId: "US-009" });
    await until("both questions were sent", () => bot.sent.length === 2, 5000);
    await until("someone polls", () => bot.polls.length >= 2, 5000);
    const idA = questionIdIn(bot.sent.find((m) => m.text.includes("US-001 spent"))?.text);
    const idB = questionIdIn(bot.sent.find((m) => m.text.includes("US-009 spent"))?.text);
    expect(idA).not.toBe(idB);
    bot.push(TOKEN, ALLOWED, `${idB} skip`);
    bot.push(TOKEN, ALLOWED, `${idA} fail`);
    expect(await askB).toMatchObject({ questionId: idB, choice: "skip", channel: "telegram" });
    expect(await askA).toMatchObject({ questionId: idA, choice: "fail", channel: "telegram" });
    const pollers = new Set(bot.polls.map((p) => p.run));
    expect(pollers.size).toBe(1);
    expect(await readFile(a.path, "utf8")).not.toContain(idB);
    expect(await readFile(b.path, "utf8")).not.toContain(idA);
  });

  test("when the polling run has nothing left to ask, the other run takes the bot over and still gets its answer", async () => {
    bot = startFakeTelegram();
    const a = startRun("run-c1");
    const askA = a.interaction.ask(question);
    await until("run-c1 polls", () => bot.polls.some((p) => p.run === "run-c1"), 5000);
    const b = startRun("run-c2");
    const askB = b.interaction.ask({ ...question, prompt: "US-009 spent every tier", storyId: "US-009" });
    await until("both questions were sent", () => bot.sent.length === 2, 5000);
    const idA = questionIdIn(bot.sent[0]?.text);
    const idB = questionIdIn(bot.sent[1]?.text);
    bot.push(TOKEN, ALLOWED, `${idA} retry`);
    expect((await askA).choice).toBe("retry");
    await until("run-c2 took over the polling", () => bot.polls.some((p) => p.run === "run-c2"), 5000);
    bot.push(TOKEN, ALLOWED, `${idB} skip`);
    expect(await askB).toMatchObject({ questionId: idB, choice: "skip" });
  });

  test("a bare choice sent as a reply to the question's message answers that question", async () => {
    bot = startFakeTelegram();
    const run = startRun("run-d");
    const asking = run.interaction.ask(question);
    await until("the question was sent to the chat", () => bot.sent.length === 1, 5000);
    bot.push(TOKEN, ALLOWED, "Skip", bot.sent[0]?.text);
    expect(await asking).toMatchObject({ questionId: questionIdIn(bot.sent[0]?.text), choice: "skip" });
  });
});
