/**
 * `nax accept list | show <AC> | override <AC> --reason | amend <AC> --reason | rerun`:
 * each acceptance criterion's state, its test and the story that owns it;
 * a person's override or amendment, recorded with who, when and why, each
 * under the run lock (a live run makes them refuse, exit 3); and a rerun of
 * every acceptance test on the checkout.
 */
import { resolve } from "node:path";
import {
  amendCriterion,
  entryNamed,
  openAccept,
  overrideCriterion,
  requireState,
  rerunAcceptance,
} from "../../acceptance/commands";
import { type AcceptanceEntry, criterionKey, displayState } from "../../acceptance/state";
import { isNaxError, NaxError } from "../../errors";
import { acquireLock } from "../../execution/lock";
import { projectPaths } from "../../state/paths";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

interface AcceptOptions {
  dir?: string;
  feature?: string;
  reason?: string;
  json?: boolean;
}

function whoIsDeciding(io: CliIo): string {
  return `${io.sys.env.USER || io.sys.env.LOGNAME || "unknown user"}@${io.sys.hostname}`;
}

function row(e: AcceptanceEntry): string {
  return `${criterionKey(e).padEnd(16)} ${displayState(e).padEnd(15)} ${(e.test ?? "(no test)").padEnd(36)} ${e.storyId}`;
}

function detail(e: AcceptanceEntry): string[] {
  const lines = [
    `${criterionKey(e)}: ${e.text}`,
    `  state:     ${displayState(e)}${e.override ? ` (the test says ${e.state})` : ""}`,
    `  story:     ${e.storyId}`,
    `  test:      ${e.test ?? "(none)"}${e.hash ? ` (frozen at blob ${e.hash.slice(0, 12)})` : ""}`,
    `  evidence:  ${e.evidence || "(none)"}`,
  ];
  if (e.brokenBy) lines.push(`  broken by: the merge of ${e.brokenBy}`);
  if (e.override) lines.push(`  override:  by ${e.override.by} at ${e.override.at}: ${e.override.reason}`);
  for (const a of e.amendments) lines.push(`  amended:   by ${a.by} at ${a.at}: ${a.reason}`);
  if (e.state === "already-passing" && !e.override) {
    lines.push(`  decide:    nax accept amend ${criterionKey(e)} --reason … (a test that fails first) or override it`);
  }
  return lines;
}

function requireReason(options: AcceptOptions, name: string): string {
  const reason = (options.reason ?? "").trim();
  if (reason === "") throw new NaxError("USAGE", `--reason is empty; say why ${name} is being changed`);
  return reason;
}

async function underLock<T>(io: CliIo, workdir: string, feature: string, what: string, task: () => Promise<T>) {
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(io.sys, {
      path: projectPaths(workdir).lock,
      runId: `accept-${what}`,
      feature,
      startedAt: io.sys.clock.iso(),
      onStale: (message) => io.err(`nax: warning: ${message}`),
    });
  } catch (error) {
    if (!isNaxError(error, "LOCK_HELD")) throw error;
    throw new NaxError("LOCK_HELD", `refusing to ${what} while a run holds the lock: ${error.message}`, {
      cause: error,
    });
  }
  try {
    return await task();
  } finally {
    await lock.release();
  }
}

const withCommon = <T extends { option: (flags: string, description: string) => T }>(command: T): T =>
  command
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature (default: the live run's, or the only one)")
    .option("--json", "print JSON");

export const registerAccept: RegisterCommand = (program, ctx) => {
  const io = ctx.io;
  const print = (options: AcceptOptions, json: unknown, lines: string[]) => {
    if (options.json) io.out(JSON.stringify(json, null, 2));
    else for (const line of lines) io.out(line);
  };
  const accept = program.command("accept").description("acceptance criteria: their tests, states and decisions");
  withCommon(accept.command("list"))
    .description(
      "each criterion's state (red-confirmed, passing, failing, already-passing, overridden), test and story",
    )
    .action(async (options: AcceptOptions) => {
      const a = await openAccept(io.sys, resolve(io.cwd, options.dir ?? "."), options.feature);
      const state = await requireState(a);
      print(options, state, [
        `${"CRITERION".padEnd(16)} ${"STATE".padEnd(15)} ${"TEST".padEnd(36)} STORY`,
        ...state.criteria.map(row),
      ]);
    });
  withCommon(accept.command("show <criterion>"))
    .description("one criterion: its text, state, test with its frozen hash, evidence, owner and decisions")
    .action(async (name: string, options: AcceptOptions) => {
      const a = await openAccept(io.sys, resolve(io.cwd, options.dir ?? "."), options.feature);
      const { entry } = await entryNamed(a, name);
      print(options, entry, detail(entry));
    });
  withCommon(accept.command("override <criterion>"))
    .description("let a failing or flagged criterion through, as your recorded decision (a run that needs it exits 4)")
    .requiredOption("--reason <text>", "why; recorded with who and when")
    .action(async (name: string, options: AcceptOptions) => {
      const reason = requireReason(options, name);
      const a = await openAccept(io.sys, resolve(io.cwd, options.dir ?? "."), options.feature);
      const entry = await underLock(io, a.workdir, a.feature, `override ${name}`, () =>
        overrideCriterion(a, name, reason, whoIsDeciding(io)),
      );
      print(options, entry, [`${criterionKey(entry)}: overridden (saved ${a.statePath})`]);
    });
  withCommon(accept.command("amend <criterion>"))
    .description("rewrite only this criterion's test with one agent session, judge and commit it, record the reason")
    .requiredOption("--reason <text>", "what is wrong with the test; told to the agent and recorded")
    .action(async (name: string, options: AcceptOptions) => {
      const reason = requireReason(options, name);
      const a = await openAccept(io.sys, resolve(io.cwd, options.dir ?? "."), options.feature);
      const report = await underLock(io, a.workdir, a.feature, `amend ${name}`, () =>
        amendCriterion(a, name, reason, whoIsDeciding(io)),
      );
      const key = criterionKey(report.entry);
      if (report.kind === "refused") {
        print(options, report, [`${key}: not amended: ${report.problem}`]);
        ctx.setExit(1);
        return;
      }
      print(options, report, [
        `${key}: amended, now ${displayState(report.entry)} (commit ${report.commit.slice(0, 12)})`,
        ...detail(report.entry).slice(1),
      ]);
    });
  withCommon(accept.command("rerun"))
    .description("run every acceptance test on the checkout as it is and record what each does")
    .action(async (options: AcceptOptions) => {
      const a = await openAccept(io.sys, resolve(io.cwd, options.dir ?? "."), options.feature);
      const entries = await rerunAcceptance(a);
      print(options, entries, entries.map(row));
      if (entries.some((e) => e.state === "failing" && !e.override)) ctx.setExit(1);
    });
};
