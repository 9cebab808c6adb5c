/**
 * The small interfaces the stages depend on. The real services (verification,
 * git, the PRD store) satisfy them and the composition root wires them; unit
 * tests pass in-memory fakes.
 */

import type { NaxConfig } from "../config/schema";
import type { DiffStat, FileChange } from "../git/file-changes";
import type { ReviewResult, TestRunResult } from "../verification/types";
import type { RoutingDecision } from "./stage";

export interface TestRunOptions {
  cwd: string;
  command: string;
  scope: "scoped" | "full";
  timeoutMs: number;
  signal: AbortSignal;
}

export interface TestRunnerLike {
  run(options: TestRunOptions): Promise<TestRunResult>;
}

/** What the smart test runner chose to run; `none` when no test command is configured. */
export type TestPlanLike =
  | { scope: "scoped" | "full"; command: string; reason: string }
  | { scope: "none"; reason: string };

/** Picks the scoped or the full test command from what changed since `baseRef` (the smart test runner). */
export interface TestPlanner {
  plan(input: {
    cwd: string;
    baseRef?: string;
    smartTestRunner: NaxConfig["execution"]["smartTestRunner"];
    commands: NaxConfig["quality"]["commands"];
  }): Promise<TestPlanLike>;
}

export interface ReviewOptions {
  cwd: string;
  commands: NaxConfig["quality"]["commands"];
  requireLint: boolean;
  requireTypecheck: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface ReviewerLike {
  review(options: ReviewOptions): Promise<ReviewResult>;
  /** Gates beyond lint and typecheck (plugins): the review runs for them even with neither command required. */
  extraGates?(): string[];
  /** Runs the configured mechanical fixers (lintFix, then formatFix); what it reports is only logged. */
  runFixCommands(options: {
    cwd: string;
    commands: NaxConfig["quality"]["commands"];
    timeoutMs: number;
    signal: AbortSignal;
  }): Promise<unknown>;
}

export interface CommitStoryOptions {
  cwd: string;
  storyId: string;
  title: string;
  runId: string;
  /** False when the story passed without its tests being run: the commit says `Nax-Verified: no` (trap 28). */
  verified?: boolean;
}

export interface CommitStoryResult {
  /** False when there was nothing to commit. */
  committed: boolean;
  sha: string | undefined;
}

export interface GitLike {
  /** The current commit; undefined in a repo without commits. */
  head(cwd: string): Promise<string | undefined>;
  commitStory(options: CommitStoryOptions): Promise<CommitStoryResult>;
  /** Files changed since `baseRef` plus untracked ones, relative to cwd; absent means "cannot tell". */
  changedFiles?(cwd: string, baseRef: string): Promise<string[]>;
  /** Each path's change since `baseRef` (renames, deletions, untracked); absent: the integrity guards cannot run. */
  fileChanges?(cwd: string, baseRef: string): Promise<FileChange[]>;
  /** A file's text at `ref`; absent: the integrity guards cannot run. */
  fileAt?(cwd: string, ref: string, path: string): Promise<string | undefined>;
  /** Changes since `baseRef`, for the ledger's per-session diff stat; absent: no diff stat. */
  diffStat?(cwd: string, baseRef: string): Promise<DiffStat>;
}

/** The execution layer's PRD writer: saves prd.json atomically with the story passed. */
export interface PrdCompletion {
  markPassed(
    storyId: string,
    details: { routing: RoutingDecision | undefined; attempts: number; cost: number; verified: boolean },
  ): Promise<void>;
}

/** Reads a text file; undefined when it does not exist. */
export type ReadText = (path: string) => Promise<string | undefined>;
