/**
 * The `telegram` channel, over the Bot API with `fetch` (its base URL is
 * configurable): questions and notifications are sent with `sendMessage`;
 * replies come by long polling `getUpdates`. One poller per bot token on the
 * machine (telegram-shared.ts): whichever run holds the lock polls for all of
 * them and appends each reply to the answers file of the run whose question
 * it names, so two runs sharing a bot each get their own answers. A reply
 * from a user not in `allowedUserIds` is ignored.
 */
import { errorMessage } from "../../errors";
import type { Logger } from "../../logger/logger";
import type { Clock } from "../../system/clock";
import type { Fs } from "../../system/fs";
import type { Fetch } from "../../system/http";
import { appendAnswer } from "../answer-file";
import { type Channel, parseReplyText, questionText } from "../question";
import type { BotShare } from "./telegram-shared";

export interface TelegramDeps {
  apiBaseUrl: string;
  token: string;
  chatId: string | number;
  allowedUserIds: readonly number[];
  pollSeconds: number;
  fetch: Fetch;
  fs: Fs;
  clock: Clock;
  logger: Logger;
  share: BotShare;
  /** This run's answers file: where its questions' replies are appended. */
  answersPath: string;
  runId: string;
}

interface Update {
  update_id: number;
  message?: { text?: string; from?: { id?: number }; reply_to_message?: { text?: string } };
}

const LOCK_RETRY_MS = 1000;
const EMPTY_POLL_GAP_MS = 250;
const ERROR_BACKOFF_MS = 2000;

export function createTelegramChannel(deps: TelegramDeps): Channel {
  const waiting = new Set<string>();
  const closed = new AbortController();
  let polling: Promise<void> | undefined;

  const call = async (method: string, body: Record<string, unknown>): Promise<unknown> => {
    const response = await deps.fetch(`${deps.apiBaseUrl}/bot${deps.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      // A long poll may take `pollSeconds`; nothing may hang past that (or past the channel's close).
      signal: AbortSignal.any([closed.signal, AbortSignal.timeout((deps.pollSeconds + 10) * 1000)]),
    });
    const json = (await response.json()) as { ok?: boolean; result?: unknown; description?: string };
    if (!response.ok || json.ok !== true)
      throw new Error(`${method}: ${json.description ?? `HTTP ${response.status}`}`);
    return json.result;
  };
  const send = (text: string) => call("sendMessage", { chat_id: deps.chatId, text });

  const route = async (update: Update) => {
    const message = update.message;
    if (!message?.text) return;
    const from = message.from?.id;
    if (from === undefined || !deps.allowedUserIds.includes(from)) {
      deps.logger.info(`telegram: a reply from user ${from ?? "unknown"} (not in allowedUserIds) was ignored`);
      return;
    }
    const parsed = parseReplyText(message.text);
    const id = parsed?.questionId ?? message.reply_to_message?.text?.match(/\bq-[0-9a-z]+\b/i)?.[0];
    if (!parsed || !id) return;
    const target = await deps.share.routeOf(id);
    if (!target) return;
    await appendAnswer(deps.fs, target.answersPath, {
      questionId: id,
      choice: parsed.choice,
      by: `telegram:${from}`,
      channel: "telegram",
      at: deps.clock.iso(),
    });
  };

  const pollOnce = async () => {
    const offset = await deps.share.readOffset();
    const updates = (await call("getUpdates", {
      offset,
      timeout: deps.pollSeconds,
      allowed_updates: ["message"],
    })) as Update[];
    let next = offset;
    for (const update of updates) {
      await route(update);
      next = Math.max(next, update.update_id + 1);
    }
    if (next !== offset) await deps.share.writeOffset(next);
    else await deps.clock.sleep(EMPTY_POLL_GAP_MS, closed.signal);
  };

  const poll = async () => {
    while (waiting.size > 0 && !closed.signal.aborted) {
      if (!(await deps.share.holdPoller())) {
        await deps.clock.sleep(LOCK_RETRY_MS, closed.signal);
        continue;
      }
      await pollOnce().catch(async (error: unknown) => {
        if (closed.signal.aborted) return;
        deps.logger.warn(`telegram: getUpdates failed: ${errorMessage(error)}`);
        await deps.clock.sleep(ERROR_BACKOFF_MS, closed.signal);
      });
    }
    // Another run's questions may still wait: the lock goes so that run can take over.
    await deps.share.releasePoller();
    polling = undefined;
  };

  return {
    name: "telegram",
    async ask(question, _respond, signal) {
      // The reply comes back through this run's answers file (the answer-file channel reads it).
      await deps.share.route(question.id, { answersPath: deps.answersPath, runId: deps.runId });
      waiting.add(question.id);
      signal.addEventListener(
        "abort",
        () => {
          waiting.delete(question.id);
          deps.share.unroute(question.id).catch((error: unknown) => {
            deps.logger.warn(`telegram: could not forget ${question.id}: ${errorMessage(error)}`);
          });
        },
        { once: true },
      );
      polling ??= poll();
      await send(`${questionText(question)}\nreply: ${question.id} <choice>`);
    },
    async notify(notification) {
      await send(`nax ${notification.feature}: ${notification.text}`);
    },
    async close() {
      closed.abort();
      await polling;
    },
  };
}
