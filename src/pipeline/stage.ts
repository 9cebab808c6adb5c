/**
 * The stage contract. A stage is a value built by a factory with its
 * dependencies passed in; it reads the story context and returns an outcome.
 * It never writes status files, prints, or reaches a global bus: the events it
 * may emit go through `ctx.emit`, already scoped to the run and story.
 */
import type { AgentResult } from "../agents/types";
import type { NaxConfig } from "../config/schema";
import type { NaxEventMap, NaxEventType } from "../events/events";
import type { Logger } from "../logger/logger";
import type { Prd, PriorFailure, UserStory } from "../prd/schema";
import type { TddFailureCategory, TddState } from "../tdd/state";
import type { GuardResult } from "../verification/integrity/guards";
import type { ReviewResult, TestRunResult } from "../verification/types";

// The stage names are part of the event schema (stage:started, stage:completed), so events/ owns the list.
export { STAGE_NAMES, type StageName } from "../events/vocabulary";

import type { GateKind } from "../events/evidence-events";
import type { StageName } from "../events/vocabulary";

export interface RoutingDecision {
  complexity: string;
  tier: string;
  model: string;
  testStrategy: string;
  reasoning: string;
}

/** One gate run of this attempt, as the evidence ledger records it (pipeline/gate-record.ts). */
export interface GateRun {
  gate: GateKind;
  command: string;
  exitCode: number | null;
  passed: boolean;
  passedCount?: number;
  failedCount?: number;
  durationMs: number;
  scope?: "scoped" | "full";
  /** The attempt's count of file-changing steps when it ran: equal to the final count means it ran on the final tree. */
  edit: number;
  /** The commit it ran on, when it ran on one (the merged tree at landing). */
  commit?: string;
}

/** What one attempt of one story has learned so far; stages extend it through `patch`. */
export interface StoryState {
  routing?: RoutingDecision;
  contextText?: string;
  prompt?: string;
  agent?: AgentResult;
  verify?: TestRunResult;
  review?: ReviewResult;
  /**
   * Rounds each repair (by its name: rectify, autofix, regression, ...) has
   * used in this attempt. Only the gate/repair combinator (gate-repair.ts)
   * writes it; it checks each repair's cap against it.
   */
  repairs?: Readonly<Record<string, number>>;
  /** Real cost of every agent session in this attempt. */
  costUsd: number;
  /** Commit the attempt started from: the smart test runner diffs against it. */
  baseRef?: string;
  commit?: string;
  /** Failures the last rectify round set out to fix: `abortOnIncreasingFailures` compares against it. */
  lastRectifyFailedCount?: number;
  /** An autofix attempt whose effect the next review decides (mechanical fix commands, then the agent). */
  autofixPending?: { attempt: number; step: "mechanical" | "agent" };
  /**
   * Why the attempt failed when that is not a test or check failure (`no-changes`, trap 28; `merge-conflict`:
   * the merge queue could not resolve it); recorded with the failure.
   */
  failureCategory?: "no-changes" | "merge-conflict" | "test-integrity" | TddFailureCategory;
  /** File-changing steps so far (agent sessions, mechanical fixers); gate runs are stamped with it. */
  edits?: number;
  /** Every gate run of this attempt, in order (the ledger's in-attempt view). */
  gates?: GateRun[];
  /** The test-integrity guards' results for this attempt (stages/integrity.ts). */
  integrity?: GuardResult[];
  /** Why this attempt's tests were not run (`requireTests: false`): it can only pass unverified (trap 28). */
  unverified?: string;
  /** The TDD strategies' progress in this attempt (stages/tdd-*.ts). */
  tdd?: TddState;
  /** The per-story regression gate's last full-suite run (its repair reads it). */
  regression?: TestRunResult;
  /**
   * The worktree's changed paths against `baseRef` (renames' old paths too) as the stage that just ran read
   * them (integrity). `runPipeline` drops it as soon as another stage has run, so a stage that finds it knows
   * nothing has run since and may use it instead of asking git again (completion's no-changes check).
   */
  treeChanges?: { baseRef: string; paths: string[] };
}

export type StageResult =
  | { action: "continue"; patch?: Partial<StoryState> }
  | { action: "retry"; fromStage: StageName; reason: string; patch?: Partial<StoryState> }
  | { action: "escalate" | "fail" | "skip" | "pause"; reason: string; patch?: Partial<StoryState> }
  /** A run-level stop that is not the story's fault and spends no attempt (cost limit, abort). */
  | {
      action: "stop";
      reason: "cost-limit" | "aborted" | "agent-unusable" | "test-command-unusable";
      detail: string;
      patch?: Partial<StoryState>;
    };

/** Events a stage may emit; storyId is filled in for it. */
export type StoryEmitter = <T extends NaxEventType>(type: T, data: Omit<NaxEventMap[T], "storyId">) => void;

export interface StoryContext {
  readonly runId: string;
  readonly feature: string;
  readonly workdir: string;
  readonly config: NaxConfig;
  readonly prd: Prd;
  readonly story: UserStory;
  /** 1-based attempt number for this story across all tiers. */
  readonly attempt: number;
  /** The tier this attempt runs on (the escalation state machine decides it). */
  readonly tier: string;
  readonly priorFailures: PriorFailure[];
  /** The lane (1..`execution.parallel`) the attempt runs on; absent outside the story loop. */
  readonly lane?: number;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly emit: StoryEmitter;
  state: StoryState;
}

export interface Stage {
  readonly name: StageName;
  enabled(ctx: StoryContext): boolean;
  run(ctx: StoryContext): Promise<StageResult>;
}
