/**
 * `nax plan`: from a feature's spec.md to its prd.json. One agent session
 * (the agent's one-shot completion) answers the PRD; an answer that fails
 * validation is sent back once with every error; a second failure is
 * refused with those errors and nothing is written. The cost of every
 * session is reported (and recorded in prd.json as `planned`), and no
 * session starts once the cost limit is spent.
 * Everything that could refuse the plan (config, spec, the current PRD's
 * progress, a live run) is checked before the first session is paid for.
 */
import { resolve } from "node:path";
import { createAgentAdapter } from "../agents/registry";
import type { AgentAdapter } from "../agents/types";
import { loadConfig } from "../config/load";
import { type NaxConfig, tierChoice } from "../config/schema";
import { NaxError } from "../errors";
import { serializePrd } from "../prd/load";
import type { Prd } from "../prd/schema";
import { pickFeature } from "../readers/features";
import { PRD_SCHEMA_POINTER } from "../state/json-schema";
import { inspectLock } from "../state/lock-file";
import { featurePaths, globalPaths, projectNameFor, projectPaths } from "../state/paths";
import { requireWorkdir } from "../state/workdir";
import { createRedactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { formatCost } from "../utils/format-cost";
import { parsePlanAnswer } from "./answer";
import { readCurrentPrd } from "./current-prd";
import { buildPlanPrompt, buildRetryPrompt } from "./prompt";
import { readPlanSpec } from "./spec";

/** Sessions per plan: the first answer, and one retry with its validation errors. */
export const PLAN_SESSIONS = 2;
export const DEFAULT_PLAN_TIER = "powerful";

export interface PlanRequest {
  dir: string;
  feature?: string;
  force: boolean;
  dryRun: boolean;
  /** The tier (or model name) that plans; `powerful` by default. */
  tier?: string;
  /** USD; no session starts once this much was spent. Default: `execution.costLimit`. */
  costLimit?: number;
}

export interface PlanSession {
  outcome: string;
  costUsd: number;
  problems: string[];
}

interface PlanBase {
  feature: string;
  prdPath: string;
  model: string;
  agent: string;
  sessions: PlanSession[];
  costUsd: number;
}

export type PlanReport =
  | (PlanBase & { kind: "planned"; prd: Prd; written: boolean; replaced: string[] })
  | (PlanBase & { kind: "refused"; problems: string[] })
  | (PlanBase & { kind: "agent-failed"; error: string });

export interface PlanDeps {
  /** The agent adapter; built from the config (`autoMode.defaultAgent`, `agents`) when absent. */
  agent?: (config: NaxConfig) => AgentAdapter;
}

function plannerModel(config: NaxConfig, tier: string): string {
  if (!(tier in config.models)) {
    throw new NaxError(
      "USAGE",
      `--tier "${tier}" is not a tier in models (${Object.keys(config.models).join(", ")}); use one of them`,
      { tier },
    );
  }
  // Plan's session runs on the default agent: that agent's model for the tier.
  return tierChoice(config, tier, {}, config.autoMode.defaultAgent).model;
}

async function refuseLiveRun(sys: Sys, lockPath: string, feature: string): Promise<void> {
  const lock = await inspectLock(sys, lockPath);
  if (lock.state === "live" && lock.holder.feature === feature) {
    throw new NaxError(
      "LOCK_HELD",
      `${lockPath}: a run of feature "${feature}" is in progress (pid ${lock.holder.pid}); plan after it ends`,
      { path: lockPath },
    );
  }
}

export async function planFeature(sys: Sys, request: PlanRequest, deps: PlanDeps = {}): Promise<PlanReport> {
  const workdir = await requireWorkdir(sys.fs, resolve(request.dir));
  const project = projectPaths(workdir);
  const { config } = await loadConfig(sys.fs, {
    globalConfig: globalPaths(sys.naxHome).config,
    projectConfig: project.config,
  });
  const feature = await pickFeature(sys.fs, workdir, request.feature);
  const paths = featurePaths(workdir, feature);
  const model = plannerModel(config, request.tier ?? DEFAULT_PLAN_TIER);
  const costLimit = request.costLimit ?? config.execution.costLimit;
  const spec = await readPlanSpec(sys.fs, workdir, feature);
  const current = await readCurrentPrd(sys.fs, paths.prd, request);
  if (!request.dryRun) await refuseLiveRun(sys, project.lock, feature);

  const tierEnvs = Object.values(config.models).flatMap((s) => (typeof s === "string" ? [] : [s.env ?? {}]));
  const redactor = createRedactor([sys.env, ...tierEnvs], config.security.redactEnvNames);
  const agent =
    deps.agent?.(config) ??
    createAgentAdapter(config.autoMode.defaultAgent, {
      sys,
      agents: config.agents,
      legacyPermissionMode: config.execution.permissionMode,
      redactor,
    });
  const first = buildPlanPrompt({ feature, spec, ...(current.previous ? { current: current.previous } : {}) });
  const target = {
    project: projectNameFor(workdir),
    feature,
    nowIso: sys.clock.iso(),
    schemaPointer: PRD_SCHEMA_POINTER,
    ...(current.previous ? { previous: current.previous } : {}),
  };
  const base = { feature, prdPath: paths.prd, model, agent: agent.name, sessions: [] as PlanSession[], costUsd: 0 };
  let prompt = first;
  let problems: string[] = [];
  for (let session = 1; session <= PLAN_SESSIONS; session++) {
    if (base.costUsd >= costLimit) {
      const error = `cost limit reached (${formatCost(base.costUsd)} spent of ${formatCost(costLimit)}) before session ${session}; nothing was written`;
      return { ...base, kind: "agent-failed", error };
    }
    const result = await agent.complete(prompt, {
      model,
      workdir,
      timeoutMs: config.execution.sessionTimeoutSeconds * 1000,
    });
    base.costUsd += result.costUsd;
    if (result.outcome !== "success") {
      base.sessions.push({ outcome: result.outcome, costUsd: result.costUsd, problems: [] });
      const error = `${result.outcome}: ${result.error ?? result.resultText.slice(0, 300)}; nothing was written`;
      return { ...base, kind: "agent-failed", error };
    }
    const answer = parsePlanAnswer(result.resultText, target);
    base.sessions.push({
      outcome: answer.ok ? "valid" : "invalid",
      costUsd: result.costUsd,
      problems: answer.ok ? [] : answer.problems,
    });
    if (answer.ok) {
      const planned = { at: target.nowIso, agent: agent.name, model, sessions: session, costUsd: base.costUsd };
      const prd = { ...answer.prd, planned };
      if (!request.dryRun) await sys.fs.writeAtomic(paths.prd, serializePrd({ ...prd, updatedAt: target.nowIso }));
      return { ...base, kind: "planned", prd, written: !request.dryRun, replaced: current.progress };
    }
    problems = answer.problems;
    prompt = buildRetryPrompt(first, result.resultText, problems);
  }
  return { ...base, kind: "refused", problems };
}
