/**
 * Before any story runs: the acceptance tests of every criterion that has
 * none yet (or whose text changed, or whose test never loaded) are written
 * by one agent session in the integration worktree, each run alone on the
 * base and judged RED per test (tdd/red.ts: an assertion, never a syntax,
 * import or collection error). The ones that are not RED go back once with
 * that evidence. Then the folder is committed (frozen) and each test's blob
 * hash recorded. A test that already passes is flagged for a person
 * (`nax accept`), never dropped; a test that still does not load stops the
 * run before any story: it could never be evidence.
 */
import type { AgentAdapter } from "../agents/types";
import { modelForTier, type NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import type { Prd } from "../prd/schema";
import type { Fs } from "../system/fs";
import type { RedJudgement } from "../tdd/red";
import type { AcceptGit } from "./accept-git";
import { type CriterionRef, findCriterionTest, prdCriteria } from "./naming";
import { buildAcceptancePrompt, buildRegeneratePrompt } from "./prompt";
import { type AcceptanceRunner, judgeAcceptanceRed } from "./run-tests";
import { type AcceptanceEntry, type AcceptanceFile, criterionKey, readAcceptance, writeAcceptance } from "./state";

export interface AcceptanceDeps {
  fs: Fs;
  agent: AgentAdapter;
  config: NaxConfig;
  bus: Pick<EventBus, "emit">;
  logger: Logger;
  budget: Budget;
  git: AcceptGit;
  runner: AcceptanceRunner;
  statePath: string;
  feature: string;
  readSpec(): Promise<string | undefined>;
}

export type PrepareResult = { ok: true; flagged: string[] } | { ok: false; reason: string };

/** A criterion needs a (new) test unless its recorded one matches its text and was usable. */
function needsTest(entry: AcceptanceEntry | undefined, ref: CriterionRef): boolean {
  return !entry || entry.text !== ref.text || entry.test === undefined || entry.state === "uncollectable";
}

export async function writeTestsSession(
  deps: Pick<AcceptanceDeps, "agent" | "config" | "budget">,
  cwd: string,
  prompt: string,
  signal?: AbortSignal,
): Promise<{ ok: boolean; costUsd: number; error?: string }> {
  const tier = deps.config.autoMode.escalation.tierOrder[0]?.tier ?? "balanced";
  const { model, env } = modelForTier(deps.config, tier);
  const result = await deps.agent.run({
    prompt,
    workdir: cwd,
    model,
    env,
    timeoutMs: deps.config.execution.sessionTimeoutSeconds * 1000,
    stallTimeoutMs: deps.config.execution.stallTimeoutSeconds * 1000,
    ...(signal ? { signal } : {}),
  });
  deps.budget.add(result.costUsd, undefined, result.costEstimated === true);
  const ok = result.outcome === "success";
  return { ok, costUsd: result.costUsd, ...(ok ? {} : { error: `${result.outcome}: ${result.error ?? ""}`.trim() }) };
}

interface Judged {
  ref: CriterionRef;
  file?: string;
  judgement: Pick<RedJudgement, "verdict" | "evidence">;
}

async function judgeAll(
  deps: AcceptanceDeps,
  cwd: string,
  refs: readonly CriterionRef[],
  round: number,
  signal?: AbortSignal,
) {
  const folder = deps.config.acceptance.folder;
  const files = await deps.git.listFolder(cwd, folder);
  const judged: Judged[] = [];
  for (const ref of refs) {
    const found = findCriterionTest(files, ref);
    if (!found.file) {
      judged.push({ ref, judgement: { verdict: "uncollectable", evidence: found.problem ?? "no test" } });
      continue;
    }
    judged.push({ ref, file: found.file, judgement: await judgeAcceptanceRed(deps.runner, cwd, found.file, signal) });
  }
  deps.bus.emit("acceptance:red-checked", {
    round,
    criteria: judged.map((j) => ({
      criterion: criterionKey({ storyId: j.ref.storyId, criterionId: j.ref.criterionId }),
      ...(j.file ? { file: j.file } : {}),
      verdict: j.judgement.verdict,
      evidence: j.judgement.evidence,
    })),
  });
  return judged;
}

function entryOf(j: Judged, previous: AcceptanceEntry | undefined, hash: string | undefined): AcceptanceEntry {
  const state = j.judgement.verdict === "red" ? "red-confirmed" : j.judgement.verdict;
  return {
    storyId: j.ref.storyId,
    criterionId: j.ref.criterionId,
    text: j.ref.text,
    ...(j.file ? { test: j.file } : {}),
    ...(hash ? { hash } : {}),
    state,
    evidence: j.judgement.evidence,
    amendments: previous?.amendments ?? [],
    // A person's override was about the old test: a rewritten one is judged afresh.
  };
}

export async function prepareAcceptance(deps: AcceptanceDeps, prd: Prd, cwd: string, signal?: AbortSignal) {
  const folder = deps.config.acceptance.folder;
  const state: AcceptanceFile = (await readAcceptance(deps.fs, deps.statePath)) ?? {
    version: 1,
    feature: deps.feature,
    folder,
    criteria: [],
  };
  const byKey = new Map(state.criteria.map((e) => [criterionKey(e), e]));
  const todo = prdCriteria(prd).filter((ref) => needsTest(byKey.get(criterionKey(ref)), ref));
  if (todo.length === 0) return done(state);
  const base = await deps.git.head(cwd);
  const spec = await deps.readSpec();
  const first = await writeTestsSession(
    deps,
    cwd,
    buildAcceptancePrompt({ prd, folder, criteria: todo, ...(spec ? { spec } : {}) }),
    signal,
  );
  if (!first.ok) return { ok: false as const, reason: `the acceptance test writer failed (${first.error})` };
  let judged = await judgeAll(deps, cwd, todo, 1, signal);
  emitGenerated(deps, judged, 1, first.costUsd);
  const notRed = judged.filter((j) => j.judgement.verdict !== "red");
  if (notRed.length > 0 && !signal?.aborted) {
    const prompt = buildRegeneratePrompt({
      prd,
      folder,
      notRed: notRed.map((j) => ({ criterion: j.ref, evidence: j.judgement.evidence })),
    });
    const second = await writeTestsSession(deps, cwd, prompt, signal);
    const again = await judgeAll(
      deps,
      cwd,
      notRed.map((j) => j.ref),
      2,
      signal,
    );
    emitGenerated(deps, again, 2, second.costUsd);
    judged = judged.map((j) => again.find((a) => a.ref === j.ref) ?? j);
  }
  const outside = await deps.git.changedOutside(cwd, base, folder);
  if (outside.length > 0) {
    return {
      ok: false as const,
      reason: `the acceptance test writer changed files outside ${folder}/: ${outside.slice(0, 10).join(", ")}`,
    };
  }
  const commit = await deps.git.commitFolder(
    cwd,
    folder,
    `nax: acceptance tests of ${deps.feature}, frozen after RED\n`,
  );
  const hashes = await deps.git.hashes(
    cwd,
    judged.flatMap((j) => (j.file ? [j.file] : [])),
  );
  deps.bus.emit("acceptance:frozen", { commit, hashes });
  for (const j of judged) {
    const key = criterionKey(j.ref);
    byKey.set(key, entryOf(j, byKey.get(key), j.file ? hashes[j.file] : undefined));
  }
  const order = prdCriteria(prd).map((ref) => criterionKey(ref));
  state.criteria = order.flatMap((key) => byKey.get(key) ?? []);
  state.base = base;
  await writeAcceptance(deps.fs, deps.statePath, state);
  return done(state);
}

function emitGenerated(deps: AcceptanceDeps, judged: readonly Judged[], round: number, costUsd: number): void {
  deps.bus.emit("acceptance:generated", {
    round,
    criteria: judged.map((j) => ({
      criterion: criterionKey(j.ref),
      ...(j.file ? { file: j.file } : { problem: j.judgement.evidence }),
    })),
    costUsd,
  });
}

function done(state: AcceptanceFile): PrepareResult {
  const unusable = state.criteria.filter((e) => e.state === "uncollectable" && !e.override);
  if (unusable.length > 0) {
    const shown = unusable.map((e) => `${criterionKey(e)} (${e.evidence})`).join("; ");
    return {
      ok: false,
      reason: `acceptance tests not RED for a real reason: ${shown}; see \`nax accept list\`, fix with \`nax accept amend <AC> --reason\``,
    };
  }
  const flagged = state.criteria.filter((e) => e.state === "already-passing" && !e.override).map(criterionKey);
  return { ok: true, flagged };
}
