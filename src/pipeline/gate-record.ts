/**
 * One gate run, recorded twice on purpose: as a `gate:ran` event (the
 * ledger's persisted form, in the event log) and in the attempt's state
 * (`gates`), where landing reads it to decide whether the final tree has a
 * green gate. `edit` stamps the run with the attempt's count of
 * file-changing steps, so "green on the final tree" is a comparison of
 * numbers: a gate at the last edit ran on what was committed.
 */
import type { GateRun, StoryContext, StoryState } from "./stage";

/** The attempt's file-changing steps so far (agent sessions, mechanical fixers). */
export function editsOf(state: StoryState): number {
  return state.edits ?? 0;
}

/** Emits each run's `gate:ran` and returns the patch that appends them to the attempt's gates. */
export function recordGate(ctx: StoryContext, ...runs: Array<Omit<GateRun, "edit">>): Pick<StoryState, "gates"> {
  const entries = runs.map((run): GateRun => ({ ...run, edit: editsOf(ctx.state) }));
  for (const entry of entries) emitGate(ctx, entry);
  return { gates: [...(ctx.state.gates ?? []), ...entries] };
}

function emitGate(ctx: StoryContext, entry: GateRun): void {
  ctx.emit("gate:ran", {
    attempt: ctx.attempt,
    gate: entry.gate,
    command: entry.command,
    exitCode: entry.exitCode,
    passed: entry.passed,
    ...(entry.passedCount === undefined ? {} : { passedCount: entry.passedCount }),
    ...(entry.failedCount === undefined ? {} : { failedCount: entry.failedCount }),
    durationMs: entry.durationMs,
    ...(entry.scope === undefined ? {} : { scope: entry.scope }),
    edit: entry.edit,
    ...(entry.commit === undefined ? {} : { commit: entry.commit }),
  });
}

/**
 * The test gate that proves the attempt's final tree: a passing verify or
 * regression run at the last edit. Lint and typecheck are checks, not proof
 * that the story works.
 */
export function provenBy(state: StoryState): GateRun | undefined {
  const last = editsOf(state);
  return [...(state.gates ?? [])]
    .reverse()
    .find((g) => g.passed && g.edit === last && (g.gate === "verify" || g.gate === "regression"));
}
