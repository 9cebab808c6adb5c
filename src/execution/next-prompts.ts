/**
 * `nax prompts`: the prompt of each runnable story's next attempt, built by
 * the run's own code (the context stage's `buildStoryContext`, the prompt
 * stage's `attemptPrompt`, the escalation ladder for the tier) without
 * calling an agent or writing anything. Stories come in the dry run's plan
 * order, and each story's prompt sees the PRD as the run would show it then:
 * the stories planned before it passed, itself in progress. That is exact for
 * the next story; for later ones it assumes each earlier story passes first
 * time (a failure adds prior failures to that story's own later prompts).
 */
import type { NaxConfig } from "../config/schema";
import { modelForTier } from "../config/schema";
import { NaxError } from "../errors";
import { buildStoryContext } from "../pipeline/stages/context";
import { attemptPrompt } from "../pipeline/stages/prompt";
import { pluginContextSections } from "../plugins/context";
import type { Prd, UserStory } from "../prd/schema";
import { plannedOrder } from "../prd/select";
import { givenDecision, keywordDecision, persistedDecision, type RoutingDecision } from "../routing/router";
import { createRedactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { createEscalationRecord, planNextAttempt, startTierOf } from "./escalation";
import { loadRunSetup } from "./setup";

export interface PromptsRequest {
  dir: string;
  feature?: string;
  storyId?: string;
}

export interface NextPrompt {
  storyId: string;
  attempt: number;
  tier: string;
  model: string;
  testStrategy: string;
  prompt: string;
  /** What the preview cannot know exactly, and context files left out. */
  notes: string[];
}

export interface PromptsReport {
  feature: string;
  prompts: NextPrompt[];
}

/** The PRD as the run shows it in this story's attempt, if the stories planned before it passed. */
function prdAt(prd: Prd, before: ReadonlySet<string>, storyId: string): Prd {
  return {
    ...prd,
    userStories: prd.userStories.map((s) =>
      s.id === storyId ? { ...s, status: "in-progress" } : before.has(s.id) ? { ...s, status: "passed" } : s,
    ),
  };
}

/**
 * The decision the run's routing step would use, as that step makes it (routing/router.ts): the PRD's own,
 * else one persisted for this exact story text and config, else keywords. Under `llm` a story without either
 * is routed by a model call at run time, which the preview does not make: it says so.
 */
function previewDecision(story: UserStory, config: NaxConfig): { decision: RoutingDecision; notes: string[] } {
  const known = givenDecision(story, config) ?? persistedDecision(story, config);
  if (known) return { decision: known, notes: [] };
  const notes =
    config.routing.strategy === "llm"
      ? [
          'routing.strategy is "llm": the run asks a model for the complexity and test strategy; shown here from the keyword classifier',
        ]
      : [];
  return { decision: keywordDecision(story, config), notes };
}

export async function previewPrompts(sys: Sys, request: PromptsRequest): Promise<PromptsReport> {
  const setup = await loadRunSetup(sys, {
    dir: request.dir,
    ...(request.feature === undefined ? {} : { feature: request.feature }),
    dryRun: true,
    force: false,
    cliOverrides: {},
  });
  const { prd, config, workdir } = setup;
  const order = plannedOrder(prd);
  if (request.storyId !== undefined && !order.includes(request.storyId)) {
    const story = prd.userStories.find((s) => s.id === request.storyId);
    const why = story
      ? `is ${story.status}${story.status === "pending" ? " and waits for a dependency that cannot pass" : ""}, so it has no next attempt`
      : `is not in ${setup.paths.feature.prd}`;
    throw new NaxError("USAGE", `story ${request.storyId} ${why}; runnable stories: ${order.join(", ") || "none"}`);
  }
  const tierEnvs = Object.values(config.models).flatMap((spec) => (typeof spec === "string" ? [] : [spec.env ?? {}]));
  // The agent adapter redacts the prompt it sends with the run's redactor: so does the preview.
  const redactor = createRedactor([sys.env, ...tierEnvs], config.security.redactEnvNames);
  const prompts: NextPrompt[] = [];
  const before = new Set<string>();
  for (const id of order) {
    const at = prdAt(prd, before, id);
    before.add(id);
    if (request.storyId !== undefined && id !== request.storyId) continue;
    const story = at.userStories.find((s) => s.id === id) as UserStory;
    const routed = previewDecision(story, config);
    const record = createEscalationRecord(
      story,
      config.autoMode.escalation,
      startTierOf(story, () => routed.decision.tier),
    );
    const plan = planNextAttempt(record, story.attempts);
    if (plan.kind === "exhausted") continue;
    const { testStrategy } = routed.decision;
    const context = await buildStoryContext({
      prd: at,
      story,
      feature: setup.feature,
      workdir,
      readText: (path) => sys.fs.readText(path),
    });
    const pluginNotes: string[] = [];
    const extra = await pluginContextSections(setup.plugins.loaded, sys.clock, {
      story,
      feature: setup.feature,
      workdir,
      warn: (message) => void pluginNotes.push(message),
    });
    const contextText = [context.text, ...extra].join("\n\n");
    const prompt = attemptPrompt({ story, config, contextText, testStrategy });
    prompts.push({
      storyId: id,
      attempt: plan.attempt,
      tier: plan.tier,
      model: modelForTier(config, plan.tier).model,
      testStrategy,
      prompt: redactor.text(prompt),
      notes: [...routed.notes, ...context.notes.map((n) => `context file ${n.slice(2)}`), ...pluginNotes],
    });
  }
  return { feature: setup.feature, prompts };
}
