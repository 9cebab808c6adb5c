/**
 * The Interaction port: `ask(question) → answer`. Asking is one
 * `emitAsync("interaction:asked")` (trap 2): the run's interaction
 * subscriber, which is `concurrent` so that two lanes' questions wait side
 * by side, offers the question on every channel and settles it with the
 * first valid reply or, when the timeout passes (or the run stops), with the
 * question's declared fallback, emitting `interaction:answered` or
 * `interaction:fallback`. Only then does `emitAsync` return, so the asking
 * lane cannot race past the answer; every other lane keeps running.
 */
import { errorMessage } from "../errors";
import type { Detach, EventBus } from "../events/bus";
import type { NaxEvent } from "../events/events";
import type { Logger } from "../logger/logger";
import { formatDuration } from "../subscribers/format";
import type { Clock } from "../system/clock";
import {
  type Answer,
  type Channel,
  type Notification,
  type Question,
  type QuestionInput,
  questionId,
  type Reply,
} from "./question";

export interface Interaction {
  ask(input: QuestionInput): Promise<Answer>;
  notify(notification: Omit<Notification, "runId" | "feature">): Promise<void>;
  /** Stops every channel's server or poller. */
  close(): Promise<void>;
}

export interface InteractionDeps {
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  uuid: () => string;
  runId: string;
  feature: string;
  timeoutSeconds: number;
  channels: readonly Channel[];
  /** The run's signal: a stopping run settles every waiting question with its fallback at once. */
  signal: AbortSignal;
}

type Asked = NaxEvent<"interaction:asked">;

function questionOf(event: Asked, deps: InteractionDeps): Question {
  const d = event.data;
  return {
    id: d.questionId,
    runId: deps.runId,
    feature: deps.feature,
    kind: d.kind,
    prompt: d.prompt,
    choices: d.choices,
    fallback: d.fallback,
    timeoutSeconds: d.timeoutSeconds,
    expiresAt: d.expiresAt,
    ...(d.storyId === undefined ? {} : { storyId: d.storyId }),
    ...(d.lane === undefined ? {} : { lane: d.lane }),
  };
}

/** Waits for the first valid reply on any channel, the timeout, or the run's stop; the channels are stopped after. */
async function settle(q: Question, deps: InteractionDeps): Promise<{ reply?: Reply; reason?: string }> {
  const done = new AbortController();
  const stop = () => done.abort();
  deps.signal.addEventListener("abort", stop, { once: true });
  let reply: Reply | undefined;
  const replied = new Promise<void>((resolve) => {
    const respond = (r: Reply): boolean => {
      if (reply !== undefined || done.signal.aborted || !q.choices.includes(r.choice)) return false;
      reply = r;
      resolve();
      return true;
    };
    for (const channel of deps.channels) {
      if (!channel.ask) continue;
      Promise.resolve()
        .then(() => channel.ask?.(q, respond, done.signal))
        .catch((error: unknown) =>
          deps.logger.warn(`the ${channel.name} channel could not ask ${q.id}: ${errorMessage(error)}`),
        );
    }
  });
  const timedOut = deps.clock.sleep(q.timeoutSeconds * 1000, done.signal);
  await Promise.race([replied, timedOut]);
  const stopped = deps.signal.aborted && reply === undefined;
  done.abort();
  deps.signal.removeEventListener("abort", stop);
  if (reply) return { reply };
  return { reason: stopped ? "the run stopped" : `no answer in ${formatDuration(q.timeoutSeconds * 1000)}` };
}

export function createInteraction(input: InteractionDeps): Interaction {
  const settled = new Map<string, Answer>();
  const { bus } = input;
  // A run that ended (a crash in another lane) settles what still waits: its shutdown must not wait for a person.
  const ended = new AbortController();
  const deps = { ...input, signal: AbortSignal.any([input.signal, ended.signal]) };
  const end = () => ended.abort();

  const onAsked = async (event: Asked) => {
    const q = questionOf(event, deps);
    const where = { ...(q.storyId === undefined ? {} : { storyId: q.storyId }), ...(q.lane ? { lane: q.lane } : {}) };
    const result = await settle(q, deps);
    if (result.reply) {
      const { choice, channel, by } = result.reply;
      settled.set(q.id, { questionId: q.id, choice, source: "answered", channel });
      bus.emit("interaction:answered", { questionId: q.id, choice, channel, ...(by ? { by } : {}), ...where });
      return;
    }
    settled.set(q.id, { questionId: q.id, choice: q.fallback, source: "fallback" });
    // After the run's terminal event only log records are still delivered: the fallback is told as one.
    if (ended.signal.aborted)
      deps.logger.warn(
        `${q.id}: no answer (the run ended); the fallback "${q.fallback}" was applied`,
        q.storyId === undefined ? {} : { storyId: q.storyId },
      );
    bus.emit("interaction:fallback", {
      questionId: q.id,
      choice: q.fallback,
      reason: result.reason ?? "no answer",
      ...where,
    });
  };
  const detaches: Detach[] = [
    bus.on("interaction:asked", onAsked, { name: "interaction", concurrent: true }),
    bus.on("run:crashed", end, { name: "interaction-end" }),
    bus.on("run:completed", end, { name: "interaction-end" }),
  ];

  return {
    async ask(input) {
      if (!input.choices.includes(input.fallback))
        throw new Error(`question fallback "${input.fallback}" is not one of ${input.choices.join(", ")}`);
      const id = questionId(deps.uuid);
      const expiresAt = new Date(deps.clock.now() + deps.timeoutSeconds * 1000).toISOString();
      await bus.emitAsync("interaction:asked", {
        questionId: id,
        kind: input.kind,
        prompt: input.prompt,
        choices: [...input.choices],
        fallback: input.fallback,
        timeoutSeconds: deps.timeoutSeconds,
        expiresAt,
        channels: deps.channels.filter((c) => c.ask).map((c) => c.name),
        ...(input.storyId === undefined ? {} : { storyId: input.storyId }),
        ...(input.lane === undefined ? {} : { lane: input.lane }),
      });
      const answer = settled.get(id);
      settled.delete(id);
      if (answer) return answer;
      // The bus had already ended (a crash unwinding): no one could have answered.
      deps.logger.warn(`${id} could not be asked (the run is over); its fallback "${input.fallback}" applies`);
      return { questionId: id, choice: input.fallback, source: "fallback" };
    },
    async notify(notification) {
      const full: Notification = { ...notification, runId: deps.runId, feature: deps.feature };
      await Promise.all(
        deps.channels.map(async (channel) => {
          if (!channel.notify) return;
          await channel.notify(full).catch((error: unknown) => {
            deps.logger.warn(`the ${channel.name} channel could not notify (${full.kind}): ${errorMessage(error)}`);
          });
        }),
      );
    },
    async close() {
      end();
      for (const detach of detaches) detach();
      await Promise.all(deps.channels.map((c) => c.close?.()));
    },
  };
}
