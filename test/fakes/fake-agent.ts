/**
 * An in-memory AgentAdapter for unit tests: each `run` / `complete` call
 * takes the next scripted result (or calls a scripted function, which may
 * also touch files as a real agent would). A call past the end of the
 * script throws, so an unexpected session fails the test loudly.
 */
import type { AgentAdapter, AgentInstallCheck, AgentResult, AgentRunOptions } from "../../src/agents/types";

export function agentResult(partial: Partial<AgentResult> = {}): AgentResult {
  return {
    outcome: "success",
    costUsd: 0.01,
    inputTokens: 100,
    outputTokens: 50,
    durationMs: 1000,
    numTurns: 1,
    resultText: "done",
    exitCode: 0,
    permissionDenials: 0,
    stderrTail: "",
    ...partial,
  };
}

export type CompleteOptions = Parameters<AgentAdapter["complete"]>[1];
type RunStep =
  | Partial<AgentResult>
  | ((options: AgentRunOptions) => Partial<AgentResult> | Promise<Partial<AgentResult>>);
type CompleteStep =
  | Partial<AgentResult>
  | ((prompt: string, options: CompleteOptions) => Partial<AgentResult> | Promise<Partial<AgentResult>>);

export interface FakeAgent extends AgentAdapter {
  readonly runs: AgentRunOptions[];
  readonly completions: Array<{ prompt: string; options: CompleteOptions }>;
}

export function createFakeAgent(
  script: { name?: string; run?: RunStep[]; complete?: CompleteStep[]; install?: AgentInstallCheck } = {},
): FakeAgent {
  const runs: AgentRunOptions[] = [];
  const completions: Array<{ prompt: string; options: CompleteOptions }> = [];
  const runSteps = [...(script.run ?? [])];
  const completeSteps = [...(script.complete ?? [])];
  return {
    name: script.name ?? "fake",
    capabilities: {
      reportsCost: true,
      reportsTokens: true,
      canResume: false,
      canRestrictEdits: false,
      hasOneShotCompletion: true,
    },
    models: { fast: "fake-fast", balanced: "fake-balanced", powerful: "fake-powerful" },
    runs,
    completions,
    async isInstalled() {
      return script.install ?? { ok: true, version: "fake-1.0" };
    },
    async run(options) {
      runs.push(options);
      const step = runSteps.shift();
      if (step === undefined) throw new Error(`fake agent: no scripted result for run #${runs.length}`);
      return agentResult(typeof step === "function" ? await step(options) : step);
    },
    async complete(prompt, options) {
      completions.push({ prompt, options });
      const step = completeSteps.shift();
      if (step === undefined) throw new Error(`fake agent: no scripted result for complete #${completions.length}`);
      return agentResult(typeof step === "function" ? await step(prompt, options) : step);
    },
  };
}
