/**
 * One session of a TDD role: its prompt (the `Role:` line and what it may
 * touch), the agent session with the role's permission rules, and then the
 * check that matters, nax's own: the session's changes against the commit
 * it started from, judged by the role's path policy. A breach fails the
 * attempt as `isolation-violation` (escalate, or pause per `tdd.onViolation`);
 * the worktree keeps the changes, so closing the attempt keeps them on its
 * attempt ref and nothing of them is merged.
 */
import type { AgentResult } from "../agents/types";
import type { Clock } from "../system/clock";
import { describeBreaches, judgeSessionChanges } from "../tdd/path-policy";
import { disallowedToolsFor } from "../tdd/permission-rules";
import type { PathChange } from "../tdd/session-changes";
import { parseTestStrategy, type Role } from "../tdd/strategies";
import type { TddGit } from "../tdd/tdd-git";
import { type TestPaths, testPathsFor } from "../tdd/test-globs";
import { type AgentSessionDeps, runAgentSession, sessionStopResult } from "./agent-session";
import type { TestRunnerLike } from "./ports";
import type { StageResult, StoryContext } from "./stage";

export interface TddStageDeps extends AgentSessionDeps {
  tddGit: TddGit;
  tests: TestRunnerLike;
  clock: Clock;
}

export type RoleSessionOutcome =
  | { kind: "ok"; result: AgentResult; changes: PathChange[] }
  | { kind: "result"; result: StageResult };

export function strategyOf(ctx: StoryContext) {
  return parseTestStrategy(ctx.state.routing?.testStrategy ?? ctx.story.routing?.testStrategy) ?? "three-session-tdd";
}

export async function testPathsOf(ctx: StoryContext, git: TddGit): Promise<TestPaths & { prefix: string }> {
  const prefix = await git.prefix(ctx.workdir);
  return { ...testPathsFor(ctx.config, prefix), prefix };
}

/** The attempt's outcome for a policy breach; the event says who broke what. */
export function violationResult(ctx: StoryContext, reason: string, agent?: AgentResult): StageResult {
  const action = ctx.config.tdd.onViolation === "pause" ? "pause" : "escalate";
  return {
    action,
    reason,
    patch: { failureCategory: "isolation-violation", ...(agent ? { agent } : {}) },
  };
}

/** Judges what changed since `base` against the role's policy; undefined when the role kept to it. */
export async function checkRolePolicy(
  ctx: StoryContext,
  deps: Pick<TddStageDeps, "tddGit">,
  role: Role,
  base: string,
  agent?: AgentResult,
): Promise<{ changes: PathChange[]; breach?: StageResult }> {
  const paths = await testPathsOf(ctx, deps.tddGit);
  const changes = await deps.tddGit.changes(ctx.workdir, base);
  const verdict = judgeSessionChanges({ role, strategy: strategyOf(ctx), changes, isTest: paths.isTest });
  if (verdict.ok) return { changes };
  ctx.emit("tdd:isolation-violation", {
    role,
    breaches: verdict.breaches.map((b) => ({ path: b.path, kind: b.kind, why: b.why })),
  });
  ctx.logger.warn(describeBreaches(role, verdict.breaches), { storyId: ctx.story.id });
  return { changes, breach: violationResult(ctx, describeBreaches(role, verdict.breaches), agent) };
}

/** Runs the role's session from `base` and checks its changes; an agent error escalates, except the verifier's (nax then judges itself). */
export async function runRoleSession(
  ctx: StoryContext,
  deps: TddStageDeps,
  input: { role: Role; prompt: string; base: string },
): Promise<RoleSessionOutcome> {
  const paths = await testPathsOf(ctx, deps.tddGit);
  const outcome = await runAgentSession(ctx, deps, {
    purpose: input.role,
    prompt: input.prompt,
    disallowedTools: disallowedToolsFor(input.role, paths.globs),
  });
  const stop = sessionStopResult(outcome);
  if (stop) return { kind: "result", result: stop };
  if (outcome.kind !== "done") throw new Error(`unexpected session outcome ${outcome.kind}`);
  const { result } = outcome;
  // Whatever the session's outcome, what it changed is judged first: a failed session that cheated is a cheat.
  const checked = await checkRolePolicy(ctx, deps, input.role, input.base, result);
  if (checked.breach) return { kind: "result", result: checked.breach };
  if (result.outcome !== "success" && input.role !== "verifier") {
    const detail = result.error ?? result.resultText.slice(0, 300);
    return {
      kind: "result",
      result: {
        action: "escalate",
        reason: `${input.role} session ended with ${result.outcome}${detail ? `: ${detail}` : ""}`,
        patch: { agent: result },
      },
    };
  }
  return { kind: "ok", result, changes: checked.changes };
}
