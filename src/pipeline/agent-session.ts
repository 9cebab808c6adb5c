/**
 * One agent session as the stages run it (implement, rectify, autofix,
 * routing). Checks the cost budget before every session, emits
 * `agent:session-started`/`agent:session-completed` once each per session,
 * counts the agent's reported cost, and rides out rate limits: it holds the
 * run-wide gate until the reset (so no lane starts a session before it),
 * waits on it cancellably and retries the same session without spending an
 * attempt, up to `rateLimit.maxRetries`, then asks for a pause. An agent not
 * installed, or rate limited past `rateLimit.maxWaitSeconds` (or past its
 * retries), hands the session to the next agent of `autoMode.fallback`
 * (agent-choice.ts), also without spending an attempt.
 */
import { type AgentPool, singleAgentPool } from "../agents/pool";
import { type AgentAdapter, type AgentResult, refusedResult } from "../agents/types";
import { errorMessage } from "../errors";
import type { Clock } from "../system/clock";
import { formatCost } from "../utils/format-cost";
import { firstChoice, nextFallback, type SessionChoice, switchAgent } from "./agent-choice";
import type { Budget } from "./budget";
import type { GitLike } from "./ports";
import { createRateLimitGate, type RateLimitGate } from "./rate-limit-gate";
import type { StageResult, StoryContext } from "./stage";

export interface AgentSessionDeps {
  /** The default agent; with no pool, every session runs on it. */
  agent: AgentAdapter;
  /** Every agent the run may use (a tier's, a story's pin, the fallbacks). */
  agents?: AgentPool;
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
}

export type SessionOutcome =
  | { kind: "done"; result: AgentResult }
  | { kind: "cost-limit"; detail: string }
  | { kind: "aborted"; detail: string }
  | { kind: "rate-limit-exhausted"; reason: string; result: AgentResult };

const UNUSABLE = new Set(["not-found", "refused", "auth-error"]);

async function invoke(
  ctx: StoryContext,
  agent: AgentAdapter,
  choice: SessionChoice,
  request: SessionRequest,
): Promise<AgentResult> {
  const { config } = ctx;
  const { model, env } = choice;
  // The cost limit must be able to count every session: an agent reporting neither cost nor tokens cannot run.
  if (!agent.capabilities.reportsCost && !agent.capabilities.reportsTokens) {
    return refusedResult(
      `${agent.name} reports neither cost nor tokens, so its sessions could not count against execution.costLimit`,
    );
  }
  const timeoutMs = request.timeoutMs ?? config.execution.sessionTimeoutSeconds * 1000;
  if (request.mode === "complete") {
    return agent.complete(request.prompt, { model, workdir: ctx.workdir, timeoutMs, signal: ctx.signal });
  }
  return agent.run({
    prompt: request.prompt,
    workdir: ctx.workdir,
    model,
    env,
    timeoutMs,
    stallTimeoutMs: config.execution.stallTimeoutSeconds * 1000,
    signal: ctx.signal,
    // The live line shows the tokens the stream reports as they come; the cost only comes with the result.
    onProgress: (progress) => {
      if (progress.usage) ctx.emit("agent:usage", { purpose: request.purpose, ...progress.usage });
    },
  });
}

async function oneSession(
  ctx: StoryContext,
  deps: AgentSessionDeps,
  agent: AgentAdapter,
  choice: SessionChoice,
  request: SessionRequest,
): Promise<AgentResult> {
  const { model, tier } = choice;
  ctx.emit("agent:session-started", { purpose: request.purpose, agent: choice.agent, model, tier });
  const result = await invoke(ctx, agent, choice, request);
  deps.budget.add(result.costUsd, ctx.story.id, result.costEstimated === true);
  // Any session may have changed files: a gate run before it no longer proves the tree (gate-record.ts).
  ctx.state = {
    ...ctx.state,
    costUsd: ctx.state.costUsd + Math.max(0, result.costUsd),
    edits: (ctx.state.edits ?? 0) + 1,
  };
  const diff = await sessionDiff(ctx, deps, request);
  ctx.emit("agent:session-completed", {
    purpose: request.purpose,
    agent: choice.agent,
    ...(diff ? { diff } : {}),
    outcome: result.outcome,
    costUsd: result.costUsd,
    ...(result.costEstimated ? { costEstimated: true } : {}),
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    durationMs: result.durationMs,
    numTurns: result.numTurns,
    ...(result.sessionId === undefined ? {} : { sessionId: result.sessionId }),
    ...(result.error === undefined ? {} : { error: result.error }),
  });
  return result;
}

/** The wait a rate limit asks for: its reset time, else `defaultWaitSeconds`. */
function wantedWaitMs(ctx: StoryContext, result: AgentResult): number {
  const { defaultWaitSeconds } = ctx.config.execution.rateLimit;
  return result.retryAfterMs !== undefined && result.retryAfterMs > 0 ? result.retryAfterMs : defaultWaitSeconds * 1000;
}

function rateLimitWaitMs(ctx: StoryContext, result: AgentResult): number {
  return Math.min(wantedWaitMs(ctx, result), ctx.config.execution.rateLimit.maxWaitSeconds * 1000);
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
  const { maxRetries, maxWaitSeconds } = ctx.config.execution.rateLimit;
  const gate = deps.rateLimitGate ?? createRateLimitGate(deps.clock);
  const pool = deps.agents ?? singleAgentPool(deps.agent);
  let choice = firstChoice(ctx.config, ctx.story, request.tier ?? ctx.tier);
  let rateLimits = 0;
  for (;;) {
    await waitForGate(ctx, gate, request.purpose);
    const overBudget = costLimitOutcome(deps.budget, request.purpose);
    if (overBudget) return overBudget;
    if (ctx.signal.aborted) return { kind: "aborted", detail: `stopped before the ${request.purpose} session` };
    // Another session of this run already found this agent out: move on before spending a session on it.
    const known = pool.unavailable(choice.agent, deps.clock.now());
    const ahead = known && nextFallback(ctx.config, pool, choice, deps.clock.now());
    if (known && ahead) {
      choice = switchAgent(ctx, choice, ahead, known.reason);
      rateLimits = 0;
      continue;
    }
    const result = await oneSession(ctx, deps, pool.get(choice.agent), choice, request);
    if (result.outcome === "not-found") {
      pool.markUnavailable(choice.agent, Number.POSITIVE_INFINITY, `${choice.agent} is not installed`);
      const next = nextFallback(ctx.config, pool, choice, deps.clock.now());
      if (!next) return { kind: "done", result };
      choice = switchAgent(ctx, choice, next, `${choice.agent} is not installed`);
      rateLimits = 0;
      continue;
    }
    if (result.outcome !== "rate-limited") return { kind: "done", result };
    const why = result.error ?? (result.apiErrorStatus ? `API status ${result.apiErrorStatus}` : "rate limited");
    const wanted = wantedWaitMs(ctx, result);
    const pastWait = wanted > maxWaitSeconds * 1000;
    const next =
      pastWait || rateLimits >= maxRetries ? nextFallback(ctx.config, pool, choice, deps.clock.now()) : undefined;
    if (next) {
      const until = new Date(deps.clock.now() + wanted).toISOString();
      const reason = pastWait
        ? `${choice.agent} is rate limited until ${until}, past rateLimit.maxWaitSeconds (${maxWaitSeconds} s): ${why}`
        : `${choice.agent} is still rate limited after ${maxRetries} waits: ${why}`;
      pool.markUnavailable(choice.agent, deps.clock.now() + wanted, `${choice.agent} is rate limited until ${until}`);
      choice = switchAgent(ctx, choice, next, reason);
      rateLimits = 0;
      continue;
    }
    if (rateLimits >= maxRetries) {
      return {
        kind: "rate-limit-exhausted",
        result,
        reason: `still rate limited after ${maxRetries} wait${maxRetries === 1 ? "" : "s"} (${why}); a human must decide when to run again`,
      };
    }
    rateLimits += 1;
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
