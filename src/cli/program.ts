/**
 * The command registry: one line per command. Each command module exports a
 * `register*` function that declares its options and a plain async action
 * returning an exit code.
 */
import { Command } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { registerAgents } from "./commands/agents";
import { registerAnswer } from "./commands/answer";
import { registerClean } from "./commands/clean";
import { registerConfig } from "./commands/config";
import { registerControl } from "./commands/control";
import { registerDiagnose } from "./commands/diagnose";
import { registerFeatures } from "./commands/features";
import { registerInit } from "./commands/init";
import { registerLogs } from "./commands/logs";
import { registerMigrate } from "./commands/migrate";
import { registerPlan } from "./commands/plan";
import { registerPlugins } from "./commands/plugins";
import { registerPrecheck } from "./commands/precheck";
import { registerPrompts } from "./commands/prompts";
import { registerRun } from "./commands/run";
import { registerRuns } from "./commands/runs";
import { registerSchema } from "./commands/schema";
import { registerStatus } from "./commands/status";
import { registerStory } from "./commands/story";
import { registerUnlock } from "./commands/unlock";
import { registerWorker } from "./commands/worker";
import { checkExclusiveFlags } from "./flag-rules";
import type { CliIo } from "./io";

export interface CommandContext {
  io: CliIo;
  /** Records the command's exit code; main.ts applies it. */
  setExit(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

const COMMANDS: RegisterCommand[] = [
  registerInit,
  registerFeatures,
  registerPlan,
  registerRun,
  registerPrecheck,
  registerAgents,
  registerConfig,
  registerPrompts,
  registerStatus,
  registerControl,
  registerAnswer,
  registerDiagnose,
  registerRuns,
  registerLogs,
  registerUnlock,
  registerMigrate,
  registerSchema,
  registerStory,
  registerClean,
  registerPlugins,
  registerWorker,
];

/** `features list`, not just `list`: the words the user typed. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("nax")
    .description("Orchestrates a coding agent through a PRD's user stories until every story passes.")
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  for (const register of COMMANDS) register(program, { io, setExit });
  // One rule for contradictory flags, whatever the command (flag-rules.ts).
  program.hook("preAction", (_program, action) => checkExclusiveFlags(commandPath(action), action.opts()));
  return program;
}
