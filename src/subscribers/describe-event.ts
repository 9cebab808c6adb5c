/**
 * What an event means to a person: a level and one line of text. Pure, and
 * exhaustive over the event map (the table below will not compile until a new
 * event type is described), so the event log, `nax logs` and the console
 * reporter all say the same thing about the same event.
 */
import { describeCommand } from "../control/command";
import type { AnyNaxEvent, LogLevel, NaxEvent, NaxEventType } from "../events/events";
import type { StoryCounts } from "../prd/counts";
import { formatCost, formatDuration, plural } from "./format";

export interface EventDescription {
  level: LogLevel;
  message: string;
  storyId?: string;
  stage?: string;
}

type Describers = { [K in NaxEventType]: (event: NaxEvent<K>) => EventDescription };

export function describeProgress(counts: StoryCounts): string {
  const parts = [
    `${counts.passed}/${counts.total} passed${counts.unverified ? ` (${counts.unverified} unverified)` : ""}`,
  ];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.paused) parts.push(`${counts.paused} paused`);
  if (counts.blocked) parts.push(`${counts.blocked} blocked`);
  if (counts.skipped) parts.push(`${counts.skipped} skipped`);
  if (counts.pending) parts.push(`${counts.pending} pending`);
  return parts.join(", ");
}

const info = (message: string, stage?: string): EventDescription =>
  stage ? { level: "info", message, stage } : { level: "info", message };
const warn = (message: string): EventDescription => ({ level: "warn", message });
const debug = (message: string, stage?: string): EventDescription =>
  stage ? { level: "debug", message, stage } : { level: "debug", message };
const repair = (attempt: number, passed: boolean) => `attempt ${attempt} ${passed ? "fixed it" : "did not fix it"}`;

/** `12 passed, 1 failed`, or what a runner judged by its exit code alone reported: nothing countable. */
function testCounts(passed: number, failed: number): string {
  return passed + failed > 0 ? `${passed} passed, ${failed} failed` : "no test counts in the output";
}

const DESCRIBERS: Describers = {
  "run:started": ({ data: d }) =>
    info(`run started${d.dryRun ? " (dry run)" : ""}: feature ${d.feature}, ${describeProgress(d.counts)}`),
  "routing:completed": ({ data: d }) => {
    const fresh = d.decisions.filter((x) => x.fresh).length;
    const spent = d.costUsd > 0 ? `, ${formatCost(d.costUsd)} (${d.costSource.replaceAll("-", " ")})` : "";
    return info(
      `routed ${d.decisions.length} ${d.decisions.length === 1 ? "story" : "stories"} (${d.strategy}): ${fresh} decided now, ${d.decisions.length - fresh} given or reused${spent}`,
    );
  },
  "run:completed": ({ data: d }) => ({
    level: d.status === "completed" ? "info" : d.status === "stalled" ? "warn" : "error",
    message: `run ${d.status}${d.exitReason ? ` (${d.exitReason})` : ""}: ${describeProgress(d.counts)} in ${formatDuration(d.durationMs)}, ${formatCost(d.costSpent)}${d.costEstimated ? ` (${formatCost(d.costEstimated)} estimated from tokens)` : ""}`,
  }),
  "run:paused": ({ data: d }) => warn(`run paused: ${d.reason}`),
  "run:resumed": ({ data: d }) => info(`run resumed after ${formatDuration(d.pausedMs)}: ${d.reason}`),
  "command:received": ({ data: d }) => info(`command ${d.id} received: ${describeCommand(d)}`),
  "command:applied": ({ data: d }) =>
    (d.outcome === "applied" ? info : warn)(`command ${d.id} (${describeCommand(d)}) ${d.outcome}: ${d.detail}`),
  "run:crashed": ({ data: d }) => {
    const cause = [d.signal ? `signal ${d.signal}` : undefined, d.error].filter(Boolean).join(": ");
    const message = `run crashed${d.storyId ? ` during ${d.storyId}` : ""}${cause ? ` (${cause})` : ""}`;
    return { level: "error", message };
  },
  "story:started": ({ data: d }) =>
    info(`${d.storyId} started (attempt ${d.attempt}, ${d.tier}/${d.model}, ${d.complexity}): ${d.title}`),
  "story:completed": ({ data: d }) => {
    const commit = d.commit ? `, commit ${d.commit.slice(0, 8)}` : "";
    return info(
      `${d.storyId} passed in ${plural(d.attempts, "attempt")} (${formatDuration(d.durationMs)}, ${formatCost(d.costUsd)}${commit})`,
    );
  },
  "story:failed": ({ data: d }) => ({
    level: "error",
    message: `${d.storyId} failed after ${plural(d.attempts, "attempt")}${d.stage ? ` at ${d.stage}` : ""}: ${d.reason}`,
  }),
  "story:paused": ({ data: d }) => warn(`${d.storyId} paused: ${d.reason}`),
  "story:escalated": ({ data: d }) => warn(`${d.storyId} escalated ${d.fromTier} → ${d.toTier}: ${d.reason}`),
  "stage:started": ({ data: d }) => debug(`${d.storyId} ${d.stage} started`, d.stage),
  "stage:completed": ({ data: d }) =>
    debug(
      `${d.storyId} ${d.stage} → ${d.action} in ${formatDuration(d.durationMs)}${d.reason ? `: ${d.reason}` : ""}`,
      d.stage,
    ),
  "agent:session-started": ({ data: d }) =>
    debug(`${d.storyId} agent session (${d.purpose}) started on ${d.tier}/${d.model}`, "agent"),
  "agent:session-completed": ({ data: d }) => ({
    level: d.error ? "warn" : "info",
    message: `${d.storyId} agent session (${d.purpose}) ${d.outcome}${d.error ? `: ${d.error}` : ""} (${formatCost(d.costUsd)}${d.costEstimated ? " estimated from tokens" : ""}, ${plural(d.numTurns, "turn")}, ${formatDuration(d.durationMs)})`,
  }),
  "agent:usage": ({ data: d }) =>
    debug(
      `${d.storyId} agent session (${d.purpose}): ${d.inputTokens} input, ${d.outputTokens} output tokens so far`,
      "agent",
    ),
  "agent:rate-limited": ({ data: d }) =>
    warn(`${d.storyId} rate limited (${d.reason}); waiting ${formatDuration(d.waitMs)} until ${d.until}`),
  "agent:switched": ({ data: d }) => warn(`${d.storyId} switched agent ${d.from} → ${d.to} (${d.model}): ${d.reason}`),
  "verify:completed": ({ data: d }) => ({
    level: d.passed ? "info" : "warn",
    message: `${d.storyId} tests ${d.passed ? "passed" : "failed"} (${d.scope}: ${testCounts(d.passedCount, d.failedCount)}, ${formatDuration(d.durationMs)})`,
    stage: "verify",
  }),
  "rectify:started": ({ data: d }) =>
    info(`${d.storyId} rectify attempt ${d.attempt} started (${plural(d.failingTests, "failing test")})`, "rectify"),
  // `passed` is the agent session's outcome: whether the tests pass is the next verify's to say.
  "rectify:completed": ({ data: d }) =>
    d.passed
      ? info(`${d.storyId} rectify attempt ${d.attempt} done; verifying again`, "rectify")
      : info(`${d.storyId} rectify attempt ${d.attempt}: the agent session did not succeed`, "rectify"),
  "autofix:started": ({ data: d }) =>
    info(`${d.storyId} autofix attempt ${d.attempt} started${d.problems ? ` (${d.problems} failing)` : ""}`, "autofix"),
  "autofix:completed": ({ data: d }) =>
    info(`${d.storyId} autofix ${repair(d.attempt, d.passed)}${d.mechanical ? " (mechanical)" : ""}`, "autofix"),
  "regression:detected": ({ data: d }) => {
    const tests = d.failingTests.length > 0 ? `: ${d.failingTests.slice(0, 5).join(", ")}` : "";
    return warn(`${d.mode} regression gate failed (stories ${d.storyIds.join(", ") || "unknown"})${tests}`);
  },
  "guards:checked": ({ data: d }) => {
    const tripped = d.results.filter((r) => !r.passed);
    if (tripped.length === 0)
      return info(`${d.storyId} test-integrity guards passed (${d.results.length} run)`, "integrity");
    const first = tripped[0]?.evidence[0];
    const where = first ? `: ${first.file}${first.line === undefined ? "" : `:${first.line}`} ${first.what}` : "";
    return {
      level: "warn",
      message: `${d.storyId} test-integrity: ${tripped.map((r) => r.guard).join(", ")} tripped${where}`,
      stage: "integrity",
    };
  },
  "gate:ran": ({ data: d }) => {
    const counts = d.passedCount === undefined ? "" : `, ${testCounts(d.passedCount, d.failedCount ?? 0)}`;
    const on = d.commit ? ` on ${d.commit.slice(0, 12)}` : "";
    return debug(
      `${d.storyId} ${d.gate} gate ${d.passed ? "green" : "red"} (exit ${d.exitCode ?? "none"}${counts}, ${formatDuration(d.durationMs)})${on}: ${d.command}`,
    );
  },
  "ledger:sealed": ({ data: d }) =>
    info(
      `${d.storyId} ${d.where} commit ${d.commit.slice(0, 12)} ${d.provenBy ? `proven by a green ${d.provenBy} gate` : "has no green gate of its own"}`,
    ),
  "worker:started": ({ data: d }) =>
    info(
      `worker: ${d.storyId} of ${d.feature} at ${d.baseCommit.slice(0, 12)} (budget $${d.maxCostUsd}, until ${d.deadline})`,
    ),
  "worker:heartbeat": ({ data: d }) =>
    debug(`worker: ${d.storyId} alive after ${Math.round(d.elapsedMs / 1000)}s, $${d.costUsd.toFixed(2)} spent`),
  "interaction:asked": ({ data: d }) =>
    warn(
      `${d.storyId ? `${d.storyId} waits for an answer` : "the run asks"} (${d.questionId}): ${d.prompt} [${d.choices.join("/")}]; \`nax answer ${d.questionId} <choice>\`, else ${d.fallback} in ${formatDuration(d.timeoutSeconds * 1000)}`,
    ),
  "interaction:answered": ({ data: d }) =>
    info(`${d.questionId} answered "${d.choice}" via ${d.channel}${d.by ? ` by ${d.by}` : ""}`),
  "interaction:fallback": ({ data: d }) =>
    warn(`${d.questionId}: no answer (${d.reason}); the fallback "${d.choice}" was applied`),
  heartbeat: ({ data: d }) => debug(`heartbeat${d.phase ? ` (${d.phase})` : ""}`, d.phase),
  log: ({ data: d }) => {
    const out: EventDescription = { level: d.level, message: d.message };
    if (d.stage !== undefined) out.stage = d.stage;
    return out;
  },
};

export function describeEvent(event: AnyNaxEvent): EventDescription {
  const describe = DESCRIBERS[event.type] as (e: AnyNaxEvent) => EventDescription;
  const description = describe(event);
  const storyId = "storyId" in event.data ? event.data.storyId : undefined;
  return storyId !== undefined && description.storyId === undefined ? { ...description, storyId } : description;
}
