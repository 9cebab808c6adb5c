/**
 * Plugins' context providers behind the context stage's `extraContext`
 * port: each provider's text for the story becomes one section of the
 * prompt's context, headed with the plugin's name. A provider that throws or
 * hangs adds nothing, and a warning names it; the attempt goes on. `nax
 * prompts` shows the same sections (pluginContextSections).
 */
import type { StoryContext } from "../pipeline/stage";
import type { UserStory } from "../prd/schema";
import type { Clock } from "../system/clock";
import { guarded } from "./guard";
import type { LoadedPlugin } from "./load";

/** One provider's text is capped like a context file, so a plugin cannot flood the prompt. */
export const PLUGIN_CONTEXT_CHARS = 20_000;

export interface ContextRequest {
  story: Pick<UserStory, "id" | "title">;
  feature: string;
  workdir: string;
  signal?: AbortSignal;
  /** Where a failing provider is told. */
  warn(message: string, plugin: string): void;
}

/** Every provider's section for one story, in load order; shared by the context stage and `nax prompts`. */
export async function pluginContextSections(
  plugins: readonly LoadedPlugin[],
  clock: Pick<Clock, "sleep">,
  request: ContextRequest,
): Promise<string[]> {
  const sections: string[] = [];
  for (const entry of plugins) {
    const provider = entry.plugin.context;
    if (!provider) continue;
    const input = {
      storyId: request.story.id,
      title: request.story.title,
      feature: request.feature,
      workdir: request.workdir,
    };
    const result = await guarded(clock, (signal) => provider.provide(input, { settings: entry.settings, signal }), {
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (!result.ok) {
      request.warn(
        `plugin ${entry.plugin.name} (${entry.source}): context.provide ${result.error}; its context is left out`,
        entry.plugin.name,
      );
      continue;
    }
    const text = typeof result.value === "string" ? result.value.trim() : "";
    if (text === "") continue;
    const shown = text.length > PLUGIN_CONTEXT_CHARS ? `${text.slice(0, PLUGIN_CONTEXT_CHARS)}\n… (truncated)` : text;
    sections.push(`### From the ${entry.plugin.name} plugin\n${shown}`);
  }
  return sections;
}

/** The context stage's `extraContext` port, or undefined when no plugin provides context. */
export function pluginContext(
  plugins: readonly LoadedPlugin[],
  clock: Pick<Clock, "sleep">,
): ((ctx: StoryContext) => Promise<string[]>) | undefined {
  if (!plugins.some((p) => p.plugin.context !== undefined)) return undefined;
  return (ctx) =>
    pluginContextSections(plugins, clock, {
      story: ctx.story,
      feature: ctx.feature,
      workdir: ctx.workdir,
      signal: ctx.signal,
      warn: (message, plugin) =>
        ctx.logger.warn(message, {
          storyId: ctx.story.id,
          stage: "context",
          data: { plugin, point: "context" },
        }),
    });
}
