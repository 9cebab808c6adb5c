/**
 * Stages by name. A pipeline is data (a strategy's ordered steps, see
 * strategies.ts); this registry turns the names into stage values with the
 * run's dependencies. It is a value built per composition (never a mutable
 * module global): the built-ins are registered by default-pipeline.ts, and a
 * new stage, gate or repair is one more `stage()`, `gate()` or `repair()`
 * call, with no closed union to edit.
 */
import { STAGE_NAME_PATTERN } from "../events/vocabulary";
import { defineStage, type StageSpec } from "./define-stage";
import { gateWithRepair, type Repair } from "./gate-repair";
import type { Stage } from "./stage";

/**
 * One step of a pipeline: a registered stage or gate by name, or a gate
 * paired with a registered repair (the combinator owns the repair's cap).
 */
export type PipelineStep = string | { readonly gate: string; readonly repair: string };

export interface StageRegistry<D> {
  /** A stage built by its factory (routing, agent, completion, ...). */
  stage(name: string, factory: (deps: D) => Stage): StageRegistry<D>;
  /** A gate: a stage spec whose result is left as data, so a repair can be paired with it. */
  gate(name: string, factory: (deps: D) => StageSpec): StageRegistry<D>;
  /** A repair, paired with a gate in a step `{ gate, repair }`. */
  repair(name: string, factory: (deps: D) => Repair): StageRegistry<D>;
  has(name: string): boolean;
  /** The stages of these steps, in order; an unknown or duplicate name is a programming error and throws. */
  build(steps: readonly PipelineStep[], deps: D): Stage[];
}

type Entry<D> =
  | { kind: "stage"; factory: (deps: D) => Stage }
  | { kind: "gate"; factory: (deps: D) => StageSpec }
  | { kind: "repair"; factory: (deps: D) => Repair };

function stepName(step: PipelineStep): string {
  return typeof step === "string" ? step : `${step.gate}+${step.repair}`;
}

export function createStageRegistry<D>(): StageRegistry<D> {
  // Repairs have their own namespace: the regression gate's repair is also called "regression".
  const stageEntries = new Map<string, Entry<D>>();
  const repairEntries = new Map<string, Entry<D>>();
  const add = (name: string, entry: Entry<D>): StageRegistry<D> => {
    if (!STAGE_NAME_PATTERN.test(name))
      throw new Error(`stage name "${name}" must be lowercase words joined by dashes`);
    const entries = entry.kind === "repair" ? repairEntries : stageEntries;
    if (entries.has(name)) throw new Error(`${entry.kind} "${name}" is registered twice`);
    entries.set(name, entry);
    return registry;
  };
  const lookup = <K extends Entry<D>["kind"]>(name: string, kinds: K[], step: PipelineStep) => {
    const entry = (kinds.includes("repair" as K) ? repairEntries : stageEntries).get(name);
    if (!entry) throw new Error(`pipeline step "${stepName(step)}" names "${name}", which is not registered`);
    if (!kinds.includes(entry.kind as K)) {
      throw new Error(`pipeline step "${stepName(step)}": "${name}" is a ${entry.kind}, not a ${kinds.join(" or ")}`);
    }
    return entry as Extract<Entry<D>, { kind: K }>;
  };
  const registry: StageRegistry<D> = {
    stage: (name, factory) => add(name, { kind: "stage", factory }),
    gate: (name, factory) => add(name, { kind: "gate", factory }),
    repair: (name, factory) => add(name, { kind: "repair", factory }),
    has: (name) => stageEntries.has(name) || repairEntries.has(name),
    build(steps, deps) {
      const stages: Stage[] = [];
      for (const step of steps) {
        if (typeof step === "string") {
          const entry = lookup(step, ["stage", "gate"], step);
          stages.push(entry.kind === "stage" ? entry.factory(deps) : defineStage(entry.factory(deps)));
          continue;
        }
        const gate = lookup(step.gate, ["gate"], step).factory(deps);
        const repair = lookup(step.repair, ["repair"], step).factory(deps);
        stages.push(...gateWithRepair(gate, repair));
      }
      const names = stages.map((s) => s.name);
      const twice = names.find((name, i) => names.indexOf(name) !== i);
      // retry targets a stage by name: two stages with one name would make "retry from" ambiguous.
      if (twice) throw new Error(`stage "${twice}" appears twice in one pipeline`);
      return stages;
    },
  };
  return registry;
}
