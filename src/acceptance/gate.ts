/**
 * The acceptance gates on the integration tree. After a story's squash
 * merge (before it is marked passed): its change may not touch the frozen
 * folder, and the tests of its own criteria must pass; the criteria that
 * passed before are run again, and one that fails now records this story
 * as the merge that broke it. At the end of the run: every criterion's test,
 * with its frozen hash checked first, decides the outcome; an override
 * (a person's recorded decision) lets a failing criterion through, and the
 * run then says it depended on one.
 */

import type { NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { UserStory } from "../prd/schema";
import type { Fs } from "../system/fs";
import { type AcceptGit, inFolder } from "./accept-git";
import { fixTargets } from "./fix-stories";
import { type AcceptanceRunner, passEvidence } from "./run-tests";
import { type AcceptanceEntry, type AcceptanceFile, criterionKey, readAcceptance, writeAcceptance } from "./state";

export interface GateDeps {
  fs: Fs;
  git: AcceptGit;
  runner: AcceptanceRunner;
  config: NaxConfig;
  bus: Pick<EventBus, "emit">;
  statePath: string;
}

export type StoryGateResult = { ok: true } | { ok: false; reason: string };

interface Checked {
  entry: AcceptanceEntry;
  passed: boolean;
  evidence: string;
}

async function check(deps: GateDeps, cwd: string, entries: readonly AcceptanceEntry[], signal?: AbortSignal) {
  const checked: Checked[] = [];
  for (const entry of entries) {
    if (!entry.test) {
      checked.push({ entry, passed: false, evidence: "no acceptance test was written for it" });
      continue;
    }
    checked.push({ entry, ...passEvidence(await deps.runner.run(cwd, entry.test, signal)) });
  }
  return checked;
}

/** A criterion flagged as passing on the base keeps its flag until a person decides. */
function recorded(c: Checked, brokenBy?: string): AcceptanceEntry {
  const state = c.passed ? (c.entry.state === "already-passing" ? "already-passing" : "passing") : "failing";
  const broken = brokenBy ?? c.entry.brokenBy;
  return { ...c.entry, state, evidence: c.evidence, ...(broken && !c.passed ? { brokenBy: broken } : {}) };
}

async function save(deps: GateDeps, state: AcceptanceFile, updated: readonly AcceptanceEntry[]): Promise<void> {
  const byKey = new Map(updated.map((e) => [criterionKey(e), e]));
  state.criteria = state.criteria.map((e) => byKey.get(criterionKey(e)) ?? e);
  await writeAcceptance(deps.fs, deps.statePath, state);
}

const results = (checked: readonly Checked[]) =>
  checked.map((c) => ({
    criterion: criterionKey(c.entry),
    passed: c.passed,
    overridden: c.entry.override !== undefined,
    evidence: c.evidence,
  }));

export async function storyAcceptanceGate(
  deps: GateDeps,
  cwd: string,
  story: Pick<UserStory, "id" | "tags">,
  signal?: AbortSignal,
): Promise<StoryGateResult> {
  const storyId = story.id;
  const targets = new Set(fixTargets(story));
  const folder = deps.config.acceptance.folder;
  const edited = (await deps.git.stagedPaths(cwd)).filter((path) => inFolder(path, folder));
  if (edited.length > 0) {
    deps.bus.emit("acceptance:edited", { storyId, files: edited });
    return {
      ok: false,
      reason: `acceptance-tests-edited: the story changed the frozen acceptance tests (${edited.slice(0, 5).join(", ")}); change one only with \`nax accept amend <AC> --reason\``,
    };
  }
  const state = await readAcceptance(deps.fs, deps.statePath);
  if (!state) return { ok: true };
  const own = await check(
    deps,
    cwd,
    state.criteria.filter((e) => e.storyId === storyId || targets.has(criterionKey(e))),
    signal,
  );
  const failing = own.filter((c) => !c.passed && !c.entry.override);
  if (failing.length > 0) {
    deps.bus.emit("acceptance:checked", { scope: "story", storyId, results: results(own), brokenBy: [] });
    await save(
      deps,
      state,
      own.map((c) => recorded(c)),
    );
    const shown = failing.map((c) => `${criterionKey(c.entry)}: ${c.evidence}`).join("; ");
    return { ok: false, reason: `acceptance: ${storyId}'s criteria fail on the merged tree (${shown})` };
  }
  const ownKeys = new Set(own.map((c) => criterionKey(c.entry)));
  const before = state.criteria.filter((e) => !ownKeys.has(criterionKey(e)) && e.state === "passing");
  const others = await check(deps, cwd, before, signal);
  const broken = others.filter((c) => !c.passed);
  deps.bus.emit("acceptance:checked", {
    scope: "story",
    storyId,
    results: results(own),
    brokenBy: broken.map((c) => criterionKey(c.entry)),
  });
  await save(deps, state, [...own.map((c) => recorded(c)), ...broken.map((c) => recorded(c, storyId))]);
  return { ok: true };
}

export type FinalGateResult =
  | { passed: true; overridden: string[]; flagged: string[] }
  | { passed: false; reason: string; failing: AcceptanceEntry[] };

function blame(entry: AcceptanceEntry): string {
  const broken = entry.brokenBy && entry.brokenBy !== entry.storyId ? `, broken by the merge of ${entry.brokenBy}` : "";
  return `${criterionKey(entry)} (owned by ${entry.storyId}${broken})`;
}

export async function finalAcceptanceGate(deps: GateDeps, cwd: string, signal?: AbortSignal): Promise<FinalGateResult> {
  const state = await readAcceptance(deps.fs, deps.statePath);
  if (!state || state.criteria.length === 0) return { passed: true, overridden: [], flagged: [] };
  const files = state.criteria.flatMap((e) => (e.test ? [e.test] : []));
  const now = await deps.git.hashes(cwd, files);
  const checked = await check(deps, cwd, state.criteria, signal);
  for (const c of checked) {
    const test = c.entry.test;
    if (test && c.entry.hash && now[test] !== c.entry.hash) {
      c.passed = false;
      c.evidence = `${test} changed since it was frozen (blob ${c.entry.hash.slice(0, 12)}, now ${(now[test] ?? "").slice(0, 12)})`;
    }
  }
  deps.bus.emit("acceptance:checked", { scope: "final", results: results(checked), brokenBy: [] });
  const updated = checked.map((c) => recorded(c));
  await save(deps, state, updated);
  const failing = updated.filter((e) => e.state === "failing" && !e.override);
  if (failing.length > 0) {
    return {
      passed: false,
      reason: `final acceptance gate failed: ${failing.map(blame).join("; ")}`,
      failing,
    };
  }
  return {
    passed: true,
    overridden: updated.filter((e) => e.state === "failing" && e.override).map(criterionKey),
    flagged: updated.filter((e) => e.state === "already-passing" && !e.override).map(criterionKey),
  };
}
