/**
 * The gate/repair combinator: one gate (verify, review, the regression gate)
 * paired with the repair that acts on its failure (rectify, autofix, a retry
 * from rectify). The combinator owns what every pair used to spread over its
 * stages: when the repair runs (the gate's result, left as data, needs it),
 * the round counter (`state.repairs[name]`), the cap check, and the
 * "disabled" short cut. A repair only says how to run one round and how to
 * escalate once its rounds are used up. Repair always runs before anything
 * escalates (trap 11), because a gate never escalates on its own result.
 */
import type { NaxConfig } from "../config/schema";
import { defineStage, type StageSpec } from "./define-stage";
import type { Stage, StageName, StageResult, StoryContext, StoryState } from "./stage";

export interface Repair {
  /** The counter key (and, unless `inline`, the repair stage's name). */
  readonly name: StageName;
  /**
   * Decided inside the gate's own stage instead of a stage of its own (the
   * regression gate's repair is a retry from rectify: no stage of its own).
   */
  readonly inline?: boolean;
  /** The gate's result in `state` asks for a repair. */
  needsRepair(state: StoryState): boolean;
  /** A round left open whose effect the next run decides (autofix's two steps). */
  pending?(state: StoryState): boolean;
  /** Settles an open round; `undefined` means: start a new round if the cap allows. */
  settle?(ctx: StoryContext): Promise<StageResult | undefined>;
  /** The repair is switched off: the escalation to return at once. */
  disabled?(ctx: StoryContext): StageResult | undefined;
  /** Rounds allowed in one attempt. */
  cap(config: NaxConfig): number;
  /** What to return when `used` rounds reached the cap. */
  exhausted(ctx: StoryContext, used: number): StageResult;
  /** A last check before a round that spends nothing (rectify's "worse", the cost limit). */
  before?(ctx: StoryContext): StageResult | undefined;
  /** Runs round number `round` (1-based); the combinator records it. */
  round(ctx: StoryContext, round: number): Promise<StageResult>;
}

/** Rounds the named repair has used in this attempt. */
export function repairsUsed(state: StoryState, name: string): number {
  return state.repairs?.[name] ?? 0;
}

function withRound(state: StoryState, result: StageResult, name: string, round: number): StageResult {
  const repairs = { ...state.repairs, ...result.patch?.repairs, [name]: round };
  return { ...result, patch: { ...result.patch, repairs } } as StageResult;
}

async function decide(ctx: StoryContext, repair: Repair): Promise<StageResult> {
  const settled = await repair.settle?.(ctx);
  if (settled) return settled;
  if (!repair.needsRepair(ctx.state)) return { action: "continue" };
  const off = repair.disabled?.(ctx);
  if (off) return off;
  const used = repairsUsed(ctx.state, repair.name);
  if (used >= repair.cap(ctx.config)) return repair.exhausted(ctx, used);
  const early = repair.before?.(ctx);
  if (early) return early;
  const result = await repair.round(ctx, used + 1);
  return withRound(ctx.state, result, repair.name, used + 1);
}

function mergePatches(first: StageResult, second: StageResult): StageResult {
  if (!first.patch) return second;
  return { ...second, patch: { ...first.patch, ...second.patch } } as StageResult;
}

/** The gate's own stage with the repair decided right after its check, in the same stage. */
function inlinePair(gate: StageSpec, repair: Repair): Stage {
  return defineStage({
    ...gate,
    async run(ctx) {
      const checked = await gate.run(ctx);
      if (checked.action !== "continue") return checked;
      const view: StoryContext = { ...ctx, state: { ...ctx.state, ...checked.patch } };
      if (!repair.needsRepair(view.state)) return checked;
      return mergePatches(checked, await decide(view, repair));
    },
  });
}

/**
 * The stages of one gate/repair pair, in order: the gate, then (unless the
 * repair is inline) the repair stage, enabled only when the gate's result
 * asks for it or a round is still open.
 */
export function gateWithRepair(gate: StageSpec, repair: Repair): Stage[] {
  if (repair.inline) return [inlinePair(gate, repair)];
  const repairStage = defineStage({
    name: repair.name,
    clock: gate.clock,
    enabled: (ctx) => repair.needsRepair(ctx.state) || (repair.pending?.(ctx.state) ?? false),
    run: (ctx) => decide(ctx, repair),
  });
  return [defineStage(gate), repairStage];
}
