/**
 * The acceptance-test service's surface for the execution layer and the
 * CLI: preparing the tests before a run, the gates, and the state file.
 */

export { type FinalGateResult, finalAcceptanceGate, type GateDeps, storyAcceptanceGate } from "./gate";
export { type AcceptanceDeps, type PrepareResult, prepareAcceptance } from "./generate";
