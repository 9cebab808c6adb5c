/**
 * The context stage: gathers what the agent should read first. The PRD's
 * feature line and the stories around this one (prompt/orientation.ts), the feature's spec.md (the
 * one `nax features create` wrote, once the user has filled it in), then each of the story's
 * `contextFiles`, capped per file and in total; a missing file or a path that
 * leaves the workdir is noted, never read. It also records the commit the
 * attempt starts from (when the story loop did not), so verification can
 * tell what the agent changed. It only reads. `buildStoryContext` is the
 * text itself, which `nax prompts` shares.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { errorMessage } from "../../errors";
import { type Prd, storyContextFiles, type UserStory } from "../../prd/schema";
import { isTemplateSpec } from "../../prd/template";
import { orientationText } from "../../prompt/orientation";
import { featurePaths } from "../../state/paths";
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { GitLike, ReadText } from "../ports";
import type { Stage, StoryContext } from "../stage";

export interface ContextLimits {
  perFileChars: number;
  totalChars: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { perFileChars: 20_000, totalChars: 60_000 };

export interface ContextStageDeps {
  readText: ReadText;
  clock: Pick<Clock, "now">;
  /** For the attempt's base commit; without it verification diffs nothing and runs the full suite. */
  git?: Pick<GitLike, "head">;
  limits?: ContextLimits;
  /** Context from elsewhere (plugins' context providers), appended as sections; never throws. */
  extraContext?: (ctx: StoryContext) => Promise<string[]>;
}

/** What the context text is made of: the same for the run and for `nax prompts`. */
export interface StoryContextInput {
  prd: Prd;
  story: UserStory;
  feature: string;
  workdir: string;
  readText: ReadText;
  limits?: ContextLimits;
}

/** The path inside the workdir, or undefined when it would leave it. */
export function insideWorkdir(workdir: string, path: string): string | undefined {
  const absolute = resolve(workdir, path);
  const rel = relative(workdir, absolute);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return absolute;
}

function capped(text: string, cap: number): string {
  return text.length > cap ? `${text.slice(0, cap)}\n… (truncated: ${text.length - cap} more characters)` : text;
}

/** The feature's spec.md, unless it is missing or still the template; it counts against the total budget. */
async function readSpec(input: StoryContextInput, limits: ContextLimits): Promise<string | undefined> {
  const path = featurePaths(input.workdir, input.feature).spec;
  const text = await input.readText(path);
  if (text === undefined || isTemplateSpec(text)) return undefined;
  const shown = capped(text.trim(), Math.min(limits.perFileChars, limits.totalChars));
  return `### Feature spec (${relative(input.workdir, path)})\n${shown}`;
}

async function readFiles(input: StoryContextInput): Promise<{ sections: string[]; notes: string[] }> {
  const limits = input.limits ?? DEFAULT_CONTEXT_LIMITS;
  const sections: string[] = [];
  const notes: string[] = [];
  let budget = limits.totalChars;
  const spec = await readSpec(input, limits);
  if (spec) {
    sections.push(spec);
    budget -= spec.length;
  }
  for (const file of storyContextFiles(input.story)) {
    const absolute = insideWorkdir(input.workdir, file);
    if (!absolute) {
      notes.push(`- ${file}: skipped, outside the project folder`);
      continue;
    }
    if (budget <= 0) {
      notes.push(`- ${file}: skipped, context size limit reached`);
      continue;
    }
    const text = await input.readText(absolute);
    if (text === undefined) {
      notes.push(`- ${file}: not found`);
      continue;
    }
    const cap = Math.min(limits.perFileChars, budget);
    const shown = capped(text, cap);
    budget -= Math.min(text.length, cap);
    sections.push(`### ${file}\n\`\`\`\n${shown}\n\`\`\``);
  }
  if (notes.length > 0) sections.push(`Context files not included:\n${notes.join("\n")}`);
  return { sections, notes };
}

/** The context text of an attempt, and the context files left out (for a warning); reads only. */
export async function buildStoryContext(input: StoryContextInput): Promise<{ text: string; notes: string[] }> {
  const { sections, notes } = await readFiles(input);
  return { text: [orientationText(input.prd, input.story), ...sections].join("\n\n"), notes };
}

async function baseRefFor(ctx: StoryContext, deps: ContextStageDeps): Promise<string | undefined> {
  if (ctx.state.baseRef !== undefined || !deps.git) return ctx.state.baseRef;
  try {
    return await deps.git.head(ctx.workdir);
  } catch (error) {
    // Not knowing the base only costs the smart test runner its narrowing: the full suite runs.
    ctx.logger.warn(`no base commit for this attempt: ${errorMessage(error)}`, {
      storyId: ctx.story.id,
      stage: "context",
    });
    return undefined;
  }
}

export function createContextStage(deps: ContextStageDeps): Stage {
  return defineStage({
    name: "context",
    clock: deps.clock,
    async run(ctx) {
      const { text, notes } = await buildStoryContext({
        prd: ctx.prd,
        story: ctx.story,
        feature: ctx.feature,
        workdir: ctx.workdir,
        readText: deps.readText,
        ...(deps.limits ? { limits: deps.limits } : {}),
      });
      if (notes.length > 0) {
        ctx.logger.warn(`context files not included:\n${notes.join("\n")}`, {
          storyId: ctx.story.id,
          stage: "context",
        });
      }
      const extra = (await deps.extraContext?.(ctx)) ?? [];
      const contextText = [text, ...extra].join("\n\n");
      const baseRef = await baseRefFor(ctx, deps);
      return { action: "continue", patch: { contextText, ...(baseRef ? { baseRef } : {}) } };
    },
  });
}
