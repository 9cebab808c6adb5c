/**
 * `nax run --dry-run`: the routing of every story and the order they would
 * run in, computed on an in-memory copy; nothing is written, no lock is taken
 * and no story is marked passed (trap 13). The plan is data (`planDryRun`):
 * `--json` prints it as one JSON document, otherwise it is drawn as text.
 */
import { tierChoice } from "../config/schema";
import { pinOf } from "../pipeline/agent-choice";

const agentAndModel = (c: { agent: string; model: string }) => ({ agent: c.agent, model: c.model });

import { testPolicy } from "../config/test-policy";
import type { Complexity, UserStory } from "../prd/schema";
import { isPrdComplete, plannedOrder } from "../prd/select";
import { classifyByKeywords } from "../routing/keyword";
import { complexityOf, initialTierFor } from "../routing/tier";
import { formatCost } from "../utils/format-cost";
import type { RunSetup } from "./setup";

/** A story's complexity and test strategy before the routing stage runs: from prd.json, else the keywords. */
export function plannedRouting(story: UserStory): { complexity: Complexity; testStrategy: string } {
  return {
    complexity: complexityOf(story),
    testStrategy: story.routing?.testStrategy ?? classifyByKeywords(story).testStrategy,
  };
}

export interface PlannedStory {
  id: string;
  title: string;
  status: UserStory["status"];
  complexity: Complexity;
  tier: string;
  /** The agent the tier (or the story's pin) runs on. */
  agent: string;
  model: string;
  testStrategy: string;
  dependencies: string[];
}

/** The dry run as data: what `--dry-run --json` prints as one JSON document, and what the text view is drawn from. */
export interface DryRunPlan {
  kind: "dry-run";
  v: 1;
  feature: string;
  workdir: string;
  stories: PlannedStory[];
  /** The order stories would run in if each passed on its first attempt. */
  order: string[];
  /** Every story already passed or skipped: nothing to run. */
  complete: boolean;
  limits: { maxIterations: number; costLimit: number };
  /** Said before any session starts (typo-like story keys, ...). */
  warnings: string[];
}

export function planDryRun(setup: RunSetup): DryRunPlan {
  const { prd, config } = setup;
  const stories = prd.userStories.map((story): PlannedStory => {
    const tier = initialTierFor(story, config);
    return {
      id: story.id,
      title: story.title,
      status: story.status,
      ...plannedRouting(story),
      tier,
      ...agentAndModel(tierChoice(config, tier, pinOf(story))),
      dependencies: story.dependencies ?? [],
    };
  });
  const { maxIterations, costLimit } = config.execution;
  return {
    kind: "dry-run",
    v: 1,
    feature: setup.feature,
    workdir: setup.workdir,
    stories,
    order: plannedOrder(prd),
    complete: isPrdComplete(prd),
    limits: { maxIterations, costLimit },
    warnings: [...setup.warnings, ...testPolicyWarnings(setup)],
  };
}

/** What `nax run` would refuse or record as unverified, said by the dry run too (trap 28). */
function testPolicyWarnings(setup: RunSetup): string[] {
  const policy = testPolicy(setup.config, setup.paths.project.config);
  if (policy.kind === "missing") return [`\`nax run\` would refuse to start: ${policy.message}`];
  if (policy.kind === "unverified") return [`stories would pass unverified (${policy.reason})`];
  return [];
}

export function describeDryRun(plan: DryRunPlan): string[] {
  const count = plan.stories.length;
  const lines = [
    `dry run: feature ${plan.feature} in ${plan.workdir} (${count} ${count === 1 ? "story" : "stories"})`,
    ...plan.warnings.map((w) => `warning: ${w}`),
  ];
  for (const s of plan.stories) {
    const deps = s.dependencies.length ? ` after ${s.dependencies.join(", ")}` : "";
    lines.push(
      `  ${s.id}  ${s.status}  ${s.complexity} -> ${s.tier} (${s.agent} ${s.model}), ${s.testStrategy}${deps}: ${s.title}`,
    );
  }
  if (plan.complete) lines.push("every story has already passed or been skipped: nothing to run");
  else lines.push(plan.order.length > 0 ? `plan: ${plan.order.join(" -> ")}` : "plan: no story can run");
  lines.push(
    `limits: ${plan.limits.maxIterations} iterations, ${formatCost(plan.limits.costLimit)}; nothing was written`,
  );
  return lines;
}
