/**
 * What `nax logs` reads: which run is meant (a registry id or unique prefix
 * from any directory), and which of its event lines to show. Pure filters;
 * the registry lookup is the only I/O.
 */
import { NaxError } from "../errors";
import type { LogLevel } from "../events/events";
import type { EventLine } from "../state/event-line";
import type { Sys } from "../system/sys";
import type { FollowLiveness } from "./follow-log";
import { type RegistryEntry, readRegistry } from "./registry-scan";
import { type RunRef, readRunOutcome } from "./run-outcome";

export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new NaxError("USAGE", `--level "${value}" is not a level; use one of ${LOG_LEVELS.join(", ")}`);
  return level;
}

export interface LineFilter {
  storyId?: string;
  minLevel?: LogLevel;
}

/** Pure: lines of one story (or run-level lines mentioning it), at or above a level. */
export function filterEventLines(lines: readonly EventLine[], filter: LineFilter): EventLine[] {
  const min = filter.minLevel === undefined ? 0 : LOG_LEVELS.indexOf(filter.minLevel);
  return lines.filter((line) => {
    if (LOG_LEVELS.indexOf(line.level) < min) return false;
    if (filter.storyId === undefined) return true;
    return line.storyId === filter.storyId;
  });
}

/**
 * Pure: what to tell a user whose `--story` matched no line: a story the
 * feature does not have is a usage error (listing its stories); one it has
 * simply did not run in this run. Undefined when the story has lines.
 */
export function missingStoryNote(
  storyId: string,
  runId: string,
  lines: readonly EventLine[],
  feature: { name: string; storyIds: readonly string[] | undefined },
): { kind: "unknown-story" | "no-events"; message: string } | undefined {
  if (filterEventLines(lines, { storyId }).length > 0) return undefined;
  const ids = feature.storyIds;
  if (ids !== undefined && !ids.includes(storyId)) {
    const listed = ids.length <= 10 ? ids.join(", ") : `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more`;
    return {
      kind: "unknown-story",
      message: `story "${storyId}" is not in feature ${feature.name} (its stories: ${listed || "none"})`,
    };
  }
  return { kind: "no-events", message: `story ${storyId} has no events in run ${runId}: it did not start in that run` };
}

/** Pure: the entries a query names: the exact id if any, else every id it prefixes (with or without `run-`). */
export function matchRunQuery(entries: readonly RegistryEntry[], query: string): RegistryEntry[] {
  const exact = entries.filter((e) => e.meta.runId === query);
  if (exact.length > 0) return exact;
  const prefixes = query.startsWith("run-") ? [query] : [query, `run-${query}`];
  return entries.filter((e) => prefixes.some((p) => e.meta.runId.startsWith(p)));
}

const MAX_LISTED = 10;

/** One registry entry for `--run`, from any directory; unknown or ambiguous ids are usage errors (exit 2). */
export async function findRegisteredRun(sys: Pick<Sys, "fs" | "naxHome">, query: string): Promise<RegistryEntry> {
  const registry = await readRegistry(sys);
  const matches = matchRunQuery(registry.entries, query.trim());
  const [only] = matches;
  if (only && matches.length === 1) return only;
  if (!only) {
    throw new NaxError("RUN_NOT_FOUND", `no run "${query}" in ${registry.runsDir}; see \`nax runs\``, { query });
  }
  const listed = matches
    .slice(0, MAX_LISTED)
    .map((e) => `  ${e.meta.runId}  ${e.meta.project}/${e.meta.feature}  (${e.meta.workdir})`);
  if (matches.length > MAX_LISTED) listed.push(`  … and ${matches.length - MAX_LISTED} more`);
  throw new NaxError(
    "USAGE",
    `run "${query}" is ambiguous: ${matches.length} runs match; give more of the id:\n${listed.join("\n")}`,
    { query, candidates: matches.map((e) => e.meta.runId) },
  );
}

/** For `--follow`: is the run's process still there? Unknown while nothing describes the run yet. */
export async function checkRunLiveness(
  sys: Pick<Sys, "fs" | "clock" | "hostname" | "isPidAlive">,
  ref: RunRef,
): Promise<FollowLiveness> {
  const outcome = await readRunOutcome(sys, ref);
  if (outcome.status === "running") return { alive: true };
  if (outcome.status === "unavailable") return { alive: undefined };
  return { alive: false, reason: outcome.exitReason ?? `the run is ${outcome.status}` };
}
