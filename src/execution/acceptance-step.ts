/**
 * The acceptance steps around the story loop (README "Acceptance tests"):
 * before any story, the tests are written, confirmed RED and frozen (a test
 * that cannot be RED stops the run here, before any story is paid for);
 * after a completed loop, the full acceptance suite decides the outcome,
 * with up to `acceptance.maxFixAttempts` rounds of fix stories (one per
 * failing criterion) and the loop run again before it fails the run. A
 * run that passed only because a person overrode a failing criterion says so
 * and exits with its own code (EXIT_ON_OVERRIDE).
 */
import type { FinalGateResult, PrepareResult } from "../acceptance/index";
import type { Logger } from "../logger/logger";
import type { LoopResult } from "./story-loop";

/** `nax run`'s exit code when the outcome depended on an override (README "Commands"). */
export const EXIT_ON_OVERRIDE = 4;

export interface AcceptanceServices {
  prepare(signal: AbortSignal): Promise<PrepareResult>;
  finalGate(signal: AbortSignal): Promise<FinalGateResult>;
  readonly maxFixAttempts: number;
  /** One fix story per failing criterion, appended to the PRD; their ids. */
  addFixes(failing: Extract<FinalGateResult, { passed: false }>["failing"]): Promise<string[]>;
}

export type AcceptedLoop = LoopResult & { overridden?: string[] };

export async function runWithAcceptance(
  acceptance: AcceptanceServices | undefined,
  logger: Logger,
  signal: AbortSignal,
  runLoop: () => Promise<LoopResult>,
): Promise<AcceptedLoop> {
  if (!acceptance) return runLoop();
  const prepared = await acceptance.prepare(signal);
  if (signal.aborted) return { status: "aborted", detail: "stopped while writing the acceptance tests", iterations: 0 };
  if (!prepared.ok) return { status: "failed", exitReason: prepared.reason, iterations: 0 };
  for (const key of prepared.flagged) {
    logger.warn(
      `${key}: its acceptance test already passes before any story; kept in the gate, waiting for your decision (\`nax accept show ${key}\`)`,
    );
  }
  let loop = await runLoop();
  let iterations = loop.iterations;
  let final: FinalGateResult;
  for (let round = 1; ; round++) {
    if (loop.status !== "completed") return { ...loop, iterations };
    final = await acceptance.finalGate(signal);
    if (signal.aborted) return { status: "aborted", detail: "stopped during the final acceptance gate", iterations };
    if (final.passed) break;
    if (round > acceptance.maxFixAttempts) {
      const rounds = round > 1 ? ` (after ${round - 1} fix round${round > 2 ? "s" : ""})` : "";
      return { status: "failed", exitReason: `${final.reason}${rounds}`, iterations };
    }
    const ids = await acceptance.addFixes(final.failing);
    logger.warn(
      `${final.reason}; fix round ${round} of ${acceptance.maxFixAttempts}: ${ids.join(", ")} added to the PRD`,
    );
    loop = await runLoop();
    iterations += loop.iterations;
  }
  if (final.overridden.length === 0) return { ...loop, iterations };
  const exitReason = `completed on override: ${final.overridden.join(", ")} fail but were overridden (\`nax accept list\`)`;
  logger.warn(exitReason);
  return { ...loop, iterations, exitReason, overridden: final.overridden };
}
