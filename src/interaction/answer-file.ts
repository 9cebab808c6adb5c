/**
 * The run's answers file `nax/features/<f>/runs/<runId>.answers.jsonl`, next
 * to its event log: append-only, one JSON line per answer. `nax answer` from
 * any terminal and the Telegram poller of whichever run holds the bot append
 * to it; the run's `answer-file` channel (always on while questions are
 * asked) reads it. A line for another question, or not yet finished, is left alone.
 */
import { join } from "node:path";
import { z } from "zod";
import type { Clock } from "../system/clock";
import type { Fs } from "../system/fs";
import type { Channel } from "./question";

export const AnswerLineSchema = z.object({
  questionId: z.string(),
  choice: z.string(),
  /** Who answered: a user name, a Telegram user id. */
  by: z.string().optional(),
  /** The channel that carried it (`answer-file` for `nax answer`, `telegram`). */
  channel: z.string().optional(),
  at: z.string(),
});
export type AnswerLine = z.infer<typeof AnswerLineSchema>;

export function answersPath(runsDir: string, runId: string): string {
  return join(runsDir, `${runId}.answers.jsonl`);
}

export async function appendAnswer(fs: Fs, path: string, line: AnswerLine): Promise<void> {
  await fs.appendText(path, `${JSON.stringify(AnswerLineSchema.parse(line))}\n`);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    // A hand-edited line that is not JSON is not an answer; the others still count.
    return undefined;
  }
}

/** Every complete, valid line of the file; a torn last line (a writer mid-append) waits for the next read. */
export async function readAnswers(fs: Fs, path: string): Promise<AnswerLine[]> {
  const text = (await fs.readText(path)) ?? "";
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return complete.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    const parsed = AnswerLineSchema.safeParse(parseJson(line));
    return parsed.success ? [parsed.data] : [];
  });
}

export const ANSWER_POLL_MS = 200;

/** The channel that reads the answers file: the first line naming the question with a valid choice answers it. */
export function createAnswerFileChannel(deps: { fs: Fs; clock: Clock; path: string; pollMs?: number }): Channel {
  return {
    name: "answer-file",
    async ask(question, respond, signal) {
      while (!signal.aborted) {
        const lines = await readAnswers(deps.fs, deps.path);
        for (const line of lines) {
          if (line.questionId !== question.id) continue;
          const by = line.by === undefined ? {} : { by: line.by };
          if (respond({ choice: line.choice, channel: line.channel ?? "answer-file", ...by })) return;
        }
        await deps.clock.sleep(deps.pollMs ?? ANSWER_POLL_MS, signal);
      }
    },
  };
}
