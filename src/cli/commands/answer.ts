/**
 * `nax answer <id> <choice> [-d dir]`: answers a question a live run waits
 * on, from any terminal. The question is looked up in `nax/status.json` (the
 * choice checked against its choices) and the answer appended to that run's
 * answers file next to its event log, which the run reads within a moment.
 * Exit 0 once written; 2 (usage) when no such question waits or the choice is not offered.
 */
import { resolve } from "node:path";
import { NaxError } from "../../errors";
import { answersPath, appendAnswer } from "../../interaction/answer-file";
import { readJsonAs } from "../../readers/read-json";
import { featurePaths, projectPaths } from "../../state/paths";
import { StatusFileSchema } from "../../state/status-file";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface AnswerOptions {
  dir?: string;
}

export async function answerCommand(io: CliIo, id: string, choice: string, options: AnswerOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const statusPath = projectPaths(workdir).status;
  const read = await readJsonAs(io.sys.fs, statusPath, StatusFileSchema);
  const status = read.kind === "ok" ? read.value : undefined;
  const waiting = status?.run.status === "running" ? (status.questions ?? []) : [];
  const question = waiting.find((q) => q.id === id);
  if (!status || !question) {
    const listed = waiting.map((q) => `${q.id} (${q.choices.join("/")})`).join(", ");
    throw new NaxError(
      "USAGE",
      `no question ${id} is waiting in ${statusPath}${listed ? `; waiting: ${listed}` : "; no run is waiting for an answer"}`,
    );
  }
  const picked = choice.toLowerCase();
  if (!question.choices.includes(picked))
    throw new NaxError("USAGE", `"${choice}" is not a choice of ${id}; choose one of ${question.choices.join(", ")}`);
  const path = answersPath(featurePaths(workdir, status.run.feature).runsDir, status.run.id);
  const by = `${io.sys.env.USER ?? io.sys.env.LOGNAME ?? "someone"}@${io.sys.hostname}`;
  await appendAnswer(io.sys.fs, path, {
    questionId: id,
    choice: picked,
    by,
    channel: "answer-file",
    at: io.sys.clock.iso(),
  });
  io.out(`answered ${id}: ${picked} (run ${status.run.id} picks it up within a second)`);
  return 0;
}

export const registerAnswer: RegisterCommand = (program, ctx) => {
  program
    .command("answer <id> <choice>")
    .description("answer a question a running nax waits on (see nax status)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .action(async (id: string, choice: string, options: AnswerOptions) => {
      ctx.setExit(await answerCommand(ctx.io, id, choice, options));
    });
};
