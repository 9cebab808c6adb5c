/**
 * Plugins' context providers behind the context stage's `extraContext`
 * port: each provider's text for the story becomes one section of the
 * prompt's context, headed with the plugin's name. A provider that throws or
 * hangs adds nothing, and a warning names it; the attempt goes on.
 */
import type { StoryContext } from "../pipeline/stage";
import type { Clock } from "../system/clock";
import { guarded } from "./guard";
import type { LoadedPlugin } from "./load";

/** One provider's text is capped like a context file, so a plugin cannot flood the prompt. */
export const PLUGIN_CONTEXT_CHARS = 20_000;

export function pluginContext(
  plugins: readonly LoadedPlugin[],
  clock: Pick<Clock, "sleep">,
): ((ctx: StoryContext) => Promise<string[]>) | undefined {
  const providers = plugins.filter((p) => p.plugin.context !== undefined);
  if (providers.length === 0) return undefined;
  return async (ctx) => {
    const sections: string[] = [];
    for (const entry of providers) {
      const provider = entry.plugin.context;
      if (!provider) continue;
      const input = { storyId: ctx.story.id, title: ctx.story.title, feature: ctx.feature, workdir: ctx.workdir };
      const result = await guarded(clock, (signal) => provider.provide(input, { settings: entry.settings, signal }), {
        signal: ctx.signal,
      });
      if (!result.ok) {
        ctx.logger.warn(
          `plugin ${entry.plugin.name} (${entry.source}): context.provide ${result.error}; its context is left out`,
          {
            storyId: ctx.story.id,
            stage: "context",
            data: { plugin: entry.plugin.name, point: "context" },
          },
        );
        continue;
      }
      const text = typeof result.value === "string" ? result.value.trim() : "";
      if (text === "") continue;
      const shown = text.length > PLUGIN_CONTEXT_CHARS ? `${text.slice(0, PLUGIN_CONTEXT_CHARS)}\n… (truncated)` : text;
      sections.push(`### From the ${entry.plugin.name} plugin\n${shown}`);
    }
    return sections;
  };
}
