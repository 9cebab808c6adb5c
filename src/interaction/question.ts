/**
 * What a question is, what answers it, and what a channel must do: the types
 * the Interaction port, its channels and its triggers share. A question
 * names its story and lane (absent for a run-wide one), its choices and the
 * fallback applied when no one answers; a channel may answer it, notify, or both.
 */
import type { QuestionKind } from "../events/interaction-events";

export type { QuestionKind };

export interface QuestionInput {
  kind: QuestionKind;
  prompt: string;
  choices: readonly string[];
  /** One of `choices`: applied (and logged as `interaction:fallback`) when no one answers in time. */
  fallback: string;
  storyId?: string;
  lane?: number;
}

export interface Question extends QuestionInput {
  id: string;
  runId: string;
  feature: string;
  timeoutSeconds: number;
  expiresAt: string;
}

export interface Answer {
  questionId: string;
  choice: string;
  /** `answered`: a person chose; `fallback`: no one did and the declared fallback was applied. */
  source: "answered" | "fallback";
  channel?: string;
}

export interface Reply {
  choice: string;
  /** The channel that carried it (`cli`, `webhook`, `telegram`, `auto`, `answer-file`). */
  channel: string;
  by?: string;
}

/** Returns false when the reply was refused (not one of the choices, or the question is already settled). */
export type Respond = (reply: Reply) => boolean;

export type NotificationKind = "finished" | "failed" | "stalled" | "needs-you";

export interface Notification {
  kind: NotificationKind;
  runId: string;
  feature: string;
  text: string;
  storyId?: string;
}

export interface Channel {
  readonly name: string;
  /** Offers the question to a person; calls `respond` when one answers. Stops when `signal` aborts. */
  ask?(question: Question, respond: Respond, signal: AbortSignal): Promise<void> | void;
  /** Tells without asking; a failure is logged by the caller, never thrown into the run. */
  notify?(notification: Notification): Promise<void>;
  /** Stops servers and pollers when the run ends. */
  close?(): Promise<void>;
}

/** A short id that is unique across runs on one machine (telegram replies are routed by it). */
export function questionId(uuid: () => string): string {
  return `q-${uuid().replaceAll("-", "").slice(0, 10)}`;
}

/** How a question reads on a channel that shows plain text. */
export function questionText(q: Question): string {
  const where = q.storyId ? `${q.storyId}${q.lane ? ` (lane ${q.lane})` : ""}: ` : "";
  return [
    `nax ${q.feature}: ${where}${q.prompt}`,
    `choices: ${q.choices.join(", ")} (no answer by ${q.expiresAt}: ${q.fallback})`,
    `answer: nax answer ${q.id} <choice>`,
  ].join("\n");
}

/** `skip`, `q-1a2b skip` or `/answer q-1a2b skip`: the question id (when given) and the choice. */
export function parseReplyText(text: string): { questionId?: string; choice: string } | undefined {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0 && w !== "/answer");
  if (words.length === 1) return { choice: (words[0] as string).toLowerCase() };
  if (words.length === 2 && /^q-[0-9a-z]+$/i.test(words[0] as string))
    return { questionId: words[0] as string, choice: (words[1] as string).toLowerCase() };
  return undefined;
}
