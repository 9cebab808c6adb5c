/**
 * What every test-output parser returns, and the shape of a parser. A parser
 * only decodes text; deciding pass or fail is the test runner's job.
 */
import type { TestFailure } from "../types";

/** The runners whose commands nax can also scope to files (scoped-command.ts). */
export type RunnerName = "bun" | "jest" | "vitest" | "pytest" | "go";
/** Every runner whose output nax reads. */
export type ParserName = RunnerName | "mocha" | "node" | "cargo";

export interface ParsedCounts {
  passedCount: number;
  failedCount: number;
  failures: TestFailure[];
  /** True only when the runner's closing summary was found, so the counts can be trusted. */
  recognised: boolean;
}

/** What the output alone cannot say. */
export interface ParseContext {
  /** The `module` path of the project's go.mod: turns `pkg` import paths into folders. */
  goModule?: string;
}

export interface TestOutputParser {
  readonly name: ParserName;
  /** The command names this runner (`bun test`, `npx jest`, `python -m pytest`, `go test`). */
  matchesCommand(words: string[]): boolean;
  /** The output carries this runner's unmistakable marks (used when the command says nothing). */
  recognises(output: string): boolean;
  parse(output: string, context?: ParseContext): ParsedCounts;
}
