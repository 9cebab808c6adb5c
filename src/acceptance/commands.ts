/**
 * What `nax accept` does, as data for the CLI to print: the per-criterion
 * list, one criterion in full, an override (a recorded human decision), an
 * amendment (only that criterion's test rewritten by one agent session,
 * judged again, committed alone, and the reason recorded), and a rerun of
 * every acceptance test on the checkout. Overrides and amendments hold the
 * run lock while they edit, as `nax story` does.
 */
import { resolve } from "node:path";
import { createAgentAdapter } from "../agents/registry";
import type { AgentAdapter } from "../agents/types";
import { loadConfig } from "../config/load";
import type { NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import { createGitRunner } from "../git/run-git";
import { createBudget } from "../pipeline/budget";
import { loadPrd } from "../prd/load";
import { pickFeature } from "../readers/features";
import { featurePaths, globalPaths, projectPaths } from "../state/paths";
import { requireWorkdir } from "../state/workdir";
import { createRedactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { qualityCommandEnv } from "../verification/run-shell";
import { createTestRunner } from "../verification/test-runner";
import { createAcceptGit } from "./accept-git";
import { findEntry, replaceEntry, withOverride } from "./decisions";
import { writeTestsSession } from "./generate";
import { findCriterionTest } from "./naming";
import { buildAmendPrompt } from "./prompt";
import { createAcceptanceRunner, judgeAcceptanceRed, passEvidence } from "./run-tests";
import { type AcceptanceEntry, type AcceptanceFile, criterionKey, readAcceptance, writeAcceptance } from "./state";

export interface AcceptContext {
  sys: Sys;
  workdir: string;
  feature: string;
  config: NaxConfig;
  statePath: string;
  prdPath: string;
}

export async function openAccept(sys: Sys, dir: string, feature?: string): Promise<AcceptContext> {
  const workdir = await requireWorkdir(sys.fs, resolve(dir));
  const { config } = await loadConfig(sys.fs, {
    globalConfig: globalPaths(sys.naxHome).config,
    projectConfig: projectPaths(workdir).config,
  });
  const name = await pickFeature(sys.fs, workdir, feature);
  const paths = featurePaths(workdir, name);
  return { sys, workdir, feature: name, config, statePath: paths.acceptance, prdPath: paths.prd };
}

export async function requireState(ctx: AcceptContext): Promise<AcceptanceFile> {
  const state = await readAcceptance(ctx.sys.fs, ctx.statePath);
  if (!state) {
    throw new NaxError(
      "USAGE",
      `${ctx.statePath}: no acceptance tests yet for feature ${ctx.feature}; set acceptance.enabled and run \`nax run -f ${ctx.feature}\``,
    );
  }
  return state;
}

export async function entryNamed(ctx: AcceptContext, name: string) {
  const state = await requireState(ctx);
  const found = findEntry(state, name);
  if (!found.ok) throw new NaxError("USAGE", `${ctx.statePath}: ${found.problem}`);
  return { state, entry: found.entry };
}

function tools(ctx: AcceptContext) {
  const env = { ...ctx.sys.env };
  const commandEnv = qualityCommandEnv(env, {
    keep: ctx.config.quality.keepEnvVars,
    strip: ctx.config.quality.stripEnvVars,
    secretNames: ctx.config.security.redactEnvNames,
  });
  const tests = createTestRunner({ spawn: ctx.sys.spawn, env: commandEnv });
  return {
    git: createAcceptGit(createGitRunner({ spawn: ctx.sys.spawn, env })),
    runner: createAcceptanceRunner(ctx.config, tests),
  };
}

export async function overrideCriterion(ctx: AcceptContext, name: string, reason: string, by: string) {
  const { state, entry } = await entryNamed(ctx, name);
  const next = withOverride(entry, { reason, by, at: ctx.sys.clock.iso() });
  await writeAcceptance(ctx.sys.fs, ctx.statePath, replaceEntry(state, next));
  return next;
}

export type AmendReport =
  | { kind: "amended"; entry: AcceptanceEntry; commit: string; costUsd: number }
  | { kind: "refused"; entry: AcceptanceEntry; problem: string; costUsd: number };

export async function amendCriterion(
  ctx: AcceptContext,
  name: string,
  reason: string,
  by: string,
  agent?: AgentAdapter,
): Promise<AmendReport> {
  const { state, entry } = await entryNamed(ctx, name);
  const prd = await loadPrd(ctx.sys.fs, ctx.prdPath);
  const { git, runner } = tools(ctx);
  const folder = ctx.config.acceptance.folder;
  const redactor = createRedactor([ctx.sys.env], ctx.config.security.redactEnvNames);
  const deps = {
    config: ctx.config,
    budget: createBudget(ctx.config.execution.costLimit),
    agent:
      agent ??
      createAgentAdapter(ctx.config.autoMode.defaultAgent, { sys: ctx.sys, agents: ctx.config.agents, redactor }),
  };
  const base = await git.head(ctx.workdir);
  const criterion = { storyId: entry.storyId, criterionId: entry.criterionId, text: entry.text };
  const prompt = buildAmendPrompt({ prd, folder, criterion, ...(entry.test ? { file: entry.test } : {}), reason });
  const session = await writeTestsSession(deps, ctx.workdir, prompt);
  const refuse = (problem: string): AmendReport => ({ kind: "refused", entry, problem, costUsd: session.costUsd });
  if (!session.ok)
    return refuse(`the agent session failed (${session.error}); nothing was changed in ${ctx.statePath}`);
  const touched = [...(await git.changedOutside(ctx.workdir, base, folder))];
  const found = findCriterionTest(await git.listFolder(ctx.workdir, folder), criterion);
  if (touched.length > 0)
    return refuse(`the session changed files outside ${folder}/: ${touched.join(", ")}; review them`);
  if (!found.file) return refuse(found.problem ?? "no test");
  const story = prd.userStories.find((s) => s.id === entry.storyId);
  const judged = await judgeAcceptanceRed(runner, ctx.workdir, found.file);
  if (judged.verdict === "uncollectable") return refuse(`${judged.evidence}; the old test is still recorded`);
  const passed = judged.verdict === "already-passing";
  const commit = await git.commitFolder(
    ctx.workdir,
    found.file,
    `nax: acceptance test of ${criterionKey(entry)} amended\n\nReason: ${reason}\n`,
  );
  const hashes = await git.hashes(ctx.workdir, [found.file]);
  const hash = hashes[found.file];
  const { override: _dropped, brokenBy: _old, ...rest } = entry;
  const next: AcceptanceEntry = {
    ...rest,
    test: found.file,
    ...(hash ? { hash } : {}),
    // A story not yet passed must have a RED test; for a passed one the test must pass.
    state: passed
      ? story?.status === "passed"
        ? "passing"
        : "already-passing"
      : story?.status === "passed"
        ? "failing"
        : "red-confirmed",
    evidence: judged.evidence,
    amendments: [...entry.amendments, { reason, by, at: ctx.sys.clock.iso() }],
  };
  await writeAcceptance(ctx.sys.fs, ctx.statePath, replaceEntry(state, next));
  return { kind: "amended", entry: next, commit, costUsd: session.costUsd };
}

/** Every acceptance test on the checkout as it is; the states are updated (an override stays). */
export async function rerunAcceptance(ctx: AcceptContext): Promise<AcceptanceEntry[]> {
  const state = await requireState(ctx);
  const { runner } = tools(ctx);
  const updated: AcceptanceEntry[] = [];
  for (const entry of state.criteria) {
    if (!entry.test) {
      updated.push(entry);
      continue;
    }
    const result = passEvidence(await runner.run(ctx.workdir, entry.test));
    const keepFlag = entry.state === "already-passing" && result.passed;
    updated.push({
      ...entry,
      state: keepFlag ? "already-passing" : result.passed ? "passing" : "failing",
      evidence: result.evidence,
    });
  }
  await writeAcceptance(ctx.sys.fs, ctx.statePath, { ...state, criteria: updated });
  return updated;
}
