/**
 * `parseTestOutput`: picks the parser for a test command (by the command's
 * words first, then by the output's own marks) and decodes the output. When
 * no parser claims it the result says `parser: "exit-code"`: the caller then
 * has only the exit code to go on.
 */
import type { TestFailure } from "../types";
import { bunParser } from "./bun";
import { cargoParser } from "./cargo";
import { goParser } from "./go";
import { jestParser } from "./jest";
import { mochaParser } from "./mocha";
import { nodeTestParser } from "./node-test";
import { pytestParser } from "./pytest";
import type { ParseContext, ParserName, TestOutputParser } from "./types";
import { vitestParser } from "./vitest";

export type { ParserName, RunnerName } from "./types";

export interface ParsedTestOutput {
  parser: ParserName | "exit-code";
  passedCount: number;
  failedCount: number;
  failures: TestFailure[];
  /** The runner's summary was found: the counts can be trusted. */
  recognised: boolean;
  /** Set when the exit code and the parsed counts disagree, to say so in the summary. */
  contradiction?: string;
  /** Where the counts come from: the runner's machine-readable report, or its text output. */
  source?: "report" | "output";
}

/** Order matters for output sniffing: vitest before jest, whose words it partly shares. */
const PARSERS: TestOutputParser[] = [
  vitestParser,
  jestParser,
  bunParser,
  pytestParser,
  goParser,
  mochaParser,
  nodeTestParser,
  cargoParser,
];

/** Whitespace-split words of a shell command, enough to spot the runner's name. */
function commandWords(command: string): string[] {
  return command.split(/\s+/).filter((word) => word.length > 0);
}

export function detectRunner(command: string, output = ""): TestOutputParser | undefined {
  const words = commandWords(command);
  return PARSERS.find((parser) => parser.matchesCommand(words)) ?? PARSERS.find((parser) => parser.recognises(output));
}

export function describeContradiction(
  exitCode: number | null,
  failedCount: number,
  recognised: boolean,
): string | undefined {
  if (!recognised || exitCode === null) return undefined;
  if (exitCode === 0 && failedCount > 0) {
    return `the command exited 0 but its output reports ${failedCount} failing test(s)`;
  }
  if (exitCode !== 0 && failedCount === 0) {
    return `the command exited ${exitCode} but its output reports no failing test (a crash, a failed setup or a coverage threshold?)`;
  }
  return undefined;
}

/** Runners that print absolute paths (mocha's stack, node's `location:`, vitest's report): relative to the project, as the prompt lists files. */
export function relativeTo(cwd: string | undefined, failures: TestFailure[]): TestFailure[] {
  if (!cwd) return failures;
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return failures.map((failure) =>
    failure.file?.startsWith(prefix) ? { ...failure, file: failure.file.slice(prefix.length) } : failure,
  );
}

export function parseTestOutput(input: {
  command: string;
  output: string;
  exitCode: number | null;
  /** The project folder: absolute file paths under it are made relative. */
  cwd?: string;
  context?: ParseContext;
}): ParsedTestOutput {
  const parser = detectRunner(input.command, input.output);
  if (!parser) return { parser: "exit-code", passedCount: 0, failedCount: 0, failures: [], recognised: false };
  const parsed = parser.parse(input.output, input.context);
  const counts = { ...parsed, failures: relativeTo(input.cwd, parsed.failures) };
  const contradiction = describeContradiction(input.exitCode, counts.failedCount, counts.recognised);
  return { parser: parser.name, ...counts, ...(contradiction ? { contradiction } : {}) };
}
