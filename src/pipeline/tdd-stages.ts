/**
 * The TDD strategies' stages, registered by name on the built-in registry
 * (default-pipeline.ts): the three sessions, nax's RED gate with its one
 * send-back, the freeze, GREEN and the tdd-simple RED check on the
 * tests-only state. Their order per strategy is written in strategies.ts.
 */
import type { PipelineDeps } from "./default-pipeline";
import type { StageRegistry } from "./stage-registry";
import { createFreezeTestsStage } from "./stages/tdd-freeze";
import { createGreenStage } from "./stages/tdd-green";
import { createImplementerStage } from "./stages/tdd-implementer";
import { redGate, redoTestsRepair, redTestsOnlyGate, rewriteTestsRepair } from "./stages/tdd-red";
import { createTestWriterStage } from "./stages/tdd-test-writer";
import { createVerifierStage } from "./stages/tdd-verifier";
import type { TddStageDeps } from "./tdd-session";

function tddDeps(deps: PipelineDeps): TddStageDeps {
  if (!deps.tddGit) throw new Error("a TDD strategy's stages need the TDD git service (PipelineDeps.tddGit)");
  return {
    agent: deps.agent,
    budget: deps.budget,
    clock: deps.clock,
    ...(deps.rateLimitGate ? { rateLimitGate: deps.rateLimitGate } : {}),
    tddGit: deps.tddGit,
    tests: deps.tests,
  };
}

export function registerTddStages(registry: StageRegistry<PipelineDeps>): StageRegistry<PipelineDeps> {
  return registry
    .stage("test-writer", (deps) => createTestWriterStage(tddDeps(deps)))
    .gate("red", (deps) => redGate(tddDeps(deps)))
    .repair("rewrite-tests", () => rewriteTestsRepair())
    .gate("red-tests-only", (deps) => redTestsOnlyGate(tddDeps(deps)))
    .repair("redo-tests", (deps) => redoTestsRepair(tddDeps(deps)))
    .stage("freeze-tests", (deps) => createFreezeTestsStage(tddDeps(deps)))
    .stage("implementer", (deps) => createImplementerStage(tddDeps(deps)))
    .stage("green", (deps) => createGreenStage(tddDeps(deps)))
    .stage("verifier", (deps) => createVerifierStage(tddDeps(deps)));
}
