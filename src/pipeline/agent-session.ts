/**
 * One agent session as the stages run it (implement, rectify, autofix,
 * routing). Checks the cost budget before every session, emits
 * `agent:session-started`/`agent:session-completed` once each per session,
 * counts the agent's reported cost, and rides out rate limits: it holds the
 * run-wide gate until the reset (so no lane starts a session before it),
 * waits on it cancellably and retries the same session without spending an
 * attempt, up to `rateLimit.maxRetries`, then asks for a pause.
 */
import type { AgentAdapter, AgentResult } from "../agents/types";
import { modelForTier } from "../config/schema";
import { errorMessage } from "../errors";
import type { Clock } from "../system/clock";
import { formatCost } from "../utils/format-cost";
import type { Budget } from "./budget";
import type { GitLike } from "./ports";
import { createRateLimitGate, type RateLimitGate } from "./rate-limit-gate";
import type { StageResult, StoryContext } from "./stage";

export interface AgentSessionDeps {
  agent: AgentAdapter;
  budget: Budget;
  clock: Clock;
  /** Shared by every lane of the run; absent: a gate of this session's own (unit tests). */
  rateLimitGate?: RateLimitGate;
  /** The story's changes since its base after a session (the ledger's diff stat); absent: none recorded. */
  diffStat?: GitLike["diffStat"];
}

/** The diff stat after a coding session; a git failure only loses the figure, never the session. */
async function sessionDiff(ctx: StoryContext, deps: AgentSessionDeps, request: SessionRequest) {
  const base = ctx.state.baseRef;
  if (request.mode === "complete" || !deps.diffStat || base === undefined) return undefined;
  return deps.diffStat(ctx.workdir, base).catch((error: unknown) => {
    ctx.logger.debug(`no diff stat after the ${request.purpose} session: ${errorMessage(error)}`, {
      storyId: ctx.story.id,
    });
    return undefined;
  });
}

// Part of the event schema (agent:session-* events), so events/ owns the list.
import type { SessionPurpose } from "../events/vocabulary";

export type { SessionPurpose };

export interface SessionRequest {
  purpose: SessionPurpose;
  prompt: string;
  /** `complete` is a one-shot call (routing); `run` is a coding session. */
  mode?: "run" | "complete";
  /** Defaults to the attempt's tier. */
  tier?: string;
  /** Defaults to `execution.sessionTimeoutSeconds`. */
  timeoutMs?: number;
  /** Edits the agent CLI refuses up front (a TDD role's permission rules); nax checks the diff regardless. */
  disallowedTools?: readonly string[];
}

export type SessionOutcome =
  | { kind: "done"; result: AgentResult }
  | { kind: "cost-limit"; detail: string }
  | { kind: "aborted"; detail: string }
  | { kind: "rate-limit-exhausted"; reason: string; result: AgentResult };

const UNUSABLE = new Set(["not-found", "root-refused", "auth-error"]);

async function invoke(ctx: StoryContext, deps: AgentSessionDeps, request: SessionRequest): Promise<AgentResult> {
  const { config } = ctx;
  const { model, env } = modelForTier(config, request.tier ?? ctx.tier);
  const timeoutMs = request.timeoutMs ?? config.execution.sessionTimeoutSeconds * 1000;
  if (request.mode === "complete") {
    return deps.agent.complete(request.prompt, { model, workdir: ctx.workdir, timeoutMs, signal: ctx.signal });
  }
  return deps.agent.run({
    prompt: request.prompt,
    workdir: ctx.workdir,
    model,
    env,
    timeoutMs,
    stallTimeoutMs: config.execution.stallTimeoutSeconds * 1000,
    signal: ctx.signal,
    permissionMode: config.execution.permissionMode,
    ...(request.disallowedTools ? { disallowedTools: request.disallowedTools } : {}),
    // The live line shows the tokens the stream reports as they come; the cost only comes with the result.
    onProgress: (progress) => {
      if (progress.usage) ctx.emit("agent:usage", { purpose: request.purpose, ...progress.usage });
    },
  });
}

async function oneSession(ctx: StoryContext, deps: AgentSessionDeps, request: SessionRequest): Promise<AgentResult> {
  const tier = request.tier ?? ctx.tier;
  const { model } = modelForTier(ctx.config, tier);
  ctx.emit("agent:session-started", { purpose: request.purpose, model, tier });
  const result = await invoke(ctx, deps, request);
  deps.budget.add(result.costUsd, ctx.story.id);
  // Any session may have changed files: a gate run before it no longer proves the tree (gate-record.ts).
  ctx.state = {
    ...ctx.state,
    costUsd: ctx.state.costUsd + Math.max(0, result.costUsd),
    edits: (ctx.state.edits ?? 0) + 1,
  };
  const diff = await sessionDiff(ctx, deps, request);
  ctx.emit("agent:session-completed", {
    purpose: request.purpose,
    ...(diff ? { diff } : {}),
    outcome: result.outcome,
    costUsd: result.costUsd,
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    durationMs: result.durationMs,
    numTurns: result.numTurns,
    ...(result.sessionId === undefined ? {} : { sessionId: result.sessionId }),
    ...(result.error === undefined ? {} : { error: result.error }),
  });
  return result;
}

function rateLimitWaitMs(ctx: StoryContext, result: AgentResult): number {
  const { defaultWaitSeconds, maxWaitSeconds } = ctx.config.execution.rateLimit;
  const wanted =
    result.retryAfterMs !== undefined && result.retryAfterMs > 0 ? result.retryAfterMs : defaultWaitSeconds * 1000;
  return Math.min(wanted, maxWaitSeconds * 1000);
}

/**
 * The cost-limit outcome when the budget is already spent, else undefined.
 * Checked before every session; a repair stage also asks before it announces
 * a round, so no `rectify:started` is emitted for a session that cannot start.
 */
export function costLimitOutcome(
  budget: Budget,
  purpose: SessionPurpose,
): Extract<SessionOutcome, { kind: "cost-limit" }> | undefined {
  const spent = budget.spent();
  if (spent < budget.limit) return undefined;
  return {
    kind: "cost-limit",
    detail: `${formatCost(spent)} spent of ${formatCost(budget.limit)} before the ${purpose} session`,
  };
}

export async function runAgentSession(
  ctx: StoryContext,
  deps: AgentSessionDeps,
  request: SessionRequest,
): Promise<SessionOutcome> {
  const { maxRetries } = ctx.config.execution.rateLimit;
  const gate = deps.rateLimitGate ?? createRateLimitGate(deps.clock);
  for (let rateLimits = 0; ; rateLimits++) {
    await waitForGate(ctx, gate, request.purpose);
    const overBudget = costLimitOutcome(deps.budget, request.purpose);
    if (overBudget) return overBudget;
    if (ctx.signal.aborted) return { kind: "aborted", detail: `stopped before the ${request.purpose} session` };
    const result = await oneSession(ctx, deps, request);
    if (result.outcome !== "rate-limited") return { kind: "done", result };
    const why = result.error ?? (result.apiErrorStatus ? `API status ${result.apiErrorStatus}` : "rate limited");
    if (rateLimits >= maxRetries) {
      return {
        kind: "rate-limit-exhausted",
        result,
        reason: `still rate limited after ${maxRetries} wait${maxRetries === 1 ? "" : "s"} (${why}); a human must decide when to run again`,
      };
    }
    const waitMs = rateLimitWaitMs(ctx, result);
    const resetAt = deps.clock.now() + waitMs;
    const until = new Date(resetAt).toISOString();
    ctx.emit("agent:rate-limited", { waitMs, until, reason: why });
    ctx.logger.warn(`rate limited (${why}); waiting ${Math.round(waitMs / 1000)} s until ${until}`, {
      storyId: ctx.story.id,
    });
    // Held before waiting, so every other lane's next session waits for the same reset.
    gate.holdUntil(resetAt);
    await deps.clock.sleep(waitMs, ctx.signal);
  }
}

/** Waits while another lane's (or this session's) rate limit holds the gate; says so once, since nothing else would. */
async function waitForGate(ctx: StoryContext, gate: RateLimitGate, purpose: SessionPurpose): Promise<void> {
  const held = gate.heldUntil();
  if (held === undefined) return;
  ctx.logger.debug(`${purpose} session waits for the rate limit reset at ${new Date(held).toISOString()}`, {
    storyId: ctx.story.id,
  });
  await gate.open(ctx.signal);
}

/**
 * The stage result for outcomes no stage may treat as the story's fault:
 * budget, abort, rate-limit exhaustion and an unusable agent. Undefined when
 * the session ran and the stage should judge the result itself.
 */
export function sessionStopResult(outcome: SessionOutcome): StageResult | undefined {
  switch (outcome.kind) {
    case "cost-limit":
      return { action: "stop", reason: "cost-limit", detail: outcome.detail };
    case "aborted":
      return { action: "stop", reason: "aborted", detail: outcome.detail };
    case "rate-limit-exhausted":
      return { action: "pause", reason: outcome.reason, patch: { agent: outcome.result } };
    case "done": {
      const { result } = outcome;
      if (result.outcome === "aborted")
        return { action: "stop", reason: "aborted", detail: "the agent session was stopped" };
      if (UNUSABLE.has(result.outcome)) {
        const detail = result.error ?? `the agent cannot run (${result.outcome})`;
        return { action: "stop", reason: "agent-unusable", detail, patch: { agent: result } };
      }
      return undefined;
    }
  }
}
