/**
 * Plugin review gates behind the review stage's ReviewerLike port: after the
 * lint and typecheck commands, each plugin's `reviewer` judges the attempt's
 * worktree. A failing gate is one more failed check, named `plugin:<name>`,
 * whose output is the plugin's repair text, so autofix hands it to the agent
 * and the story escalates like any failing check. A gate that throws or
 * hangs fails (a gate that cannot judge is not a pass) and says so.
 */
import type { ReviewerLike } from "../pipeline/ports";
import type { Clock } from "../system/clock";
import type { CommandCheckResult } from "../verification/types";
import { guarded } from "./guard";
import type { LoadedPlugin } from "./load";

export function withPluginGates(
  base: ReviewerLike,
  plugins: readonly LoadedPlugin[],
  clock: Pick<Clock, "now" | "sleep">,
): ReviewerLike {
  const gates = plugins.filter((p) => p.plugin.reviewer !== undefined);
  if (gates.length === 0) return base;
  return {
    extraGates: () => gates.map((g) => g.plugin.name),
    runFixCommands: (options) => base.runFixCommands(options),
    async review(options) {
      const result = await base.review(options);
      const checks: CommandCheckResult[] = [...result.checks];
      for (const entry of gates) {
        if (options.signal.aborted) break;
        const reviewer = entry.plugin.reviewer;
        if (!reviewer) continue;
        const started = clock.now();
        const judged = await guarded(
          clock,
          (signal) => reviewer.review({ cwd: options.cwd }, { settings: entry.settings, signal }),
          { timeoutMs: options.timeoutMs, signal: options.signal },
        );
        const verdict = judged.ok
          ? judged.value
          : { passed: false, output: `the ${entry.plugin.name} review gate ${judged.error}` };
        checks.push({
          name: `plugin:${entry.plugin.name}`,
          command: `the ${entry.plugin.name} plugin's review (${entry.source})`,
          passed: verdict.passed === true,
          exitCode: null,
          termination: options.signal.aborted ? "aborted" : "exited",
          output: verdict.repair ?? verdict.output ?? "",
          durationMs: Math.max(0, clock.now() - started),
        });
      }
      return { passed: checks.every((c) => c.passed), checks };
    },
  };
}
