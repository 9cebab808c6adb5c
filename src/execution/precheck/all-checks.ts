/**
 * `nax precheck`: every check `nax run` makes before a story starts, and the
 * lock, without starting anything. The config and the PRD are loaded the way
 * the run loads them; an invalid one is reported as a failed check (exit 2)
 * and the checks that need it are left out. Exit 0 when nothing failed
 * (warnings allowed), 1 when a check failed.
 */
import { resolve } from "node:path";
import { checkRunAgents } from "../../agents/run-check";
import { isNaxError } from "../../errors";
import { createGit } from "../../git/git";
import { createGitRunner } from "../../git/run-git";
import { inspectLock } from "../../state/lock-file";
import { type ProjectPaths, projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import { createRedactor } from "../../system/secrets";
import type { Sys } from "../../system/sys";
import { createCommandServices } from "../command-services";
import { loadRunSetup, type RunSetup } from "../setup";
import { type CheckResult, check } from "./check";
import { checkAgentInstall, checkLockState, checkRepoAndTree } from "./fast";
import { runPrechecks } from "./run-checks";

export interface PrecheckRequest {
  dir: string;
  feature?: string;
  /** As `nax run --allow-dirty`: uncommitted changes outside nax/ only warn. */
  allowDirty?: boolean;
}

export interface PrecheckReport {
  workdir: string;
  feature?: string;
  /** 0 nothing failed, 1 a check failed, 2 the config or the PRD is invalid. */
  exitCode: 0 | 1 | 2;
  checks: CheckResult[];
}

const SETUP_ERRORS = ["CONFIG_INVALID", "PRD_INVALID", "PRD_NOT_FOUND", "FEATURE_NOT_FOUND", "USAGE"] as const;

async function loadSetup(sys: Sys, request: PrecheckRequest): Promise<RunSetup | CheckResult> {
  try {
    const setup = await loadRunSetup(sys, {
      dir: request.dir,
      ...(request.feature === undefined ? {} : { feature: request.feature }),
      // As a real run: a config it would refuse (no test command) fails here with the run's own message.
      dryRun: false,
      force: false,
      cliOverrides: {},
    });
    return setup;
  } catch (error) {
    if (SETUP_ERRORS.some((code) => isNaxError(error, code))) {
      return check("config and PRD", "fail", (error as Error).message, "fix the file named above");
    }
    throw error;
  }
}

export async function runAllPrechecks(sys: Sys, request: PrecheckRequest): Promise<PrecheckReport> {
  const workdir = await requireWorkdir(sys.fs, resolve(request.dir));
  const project: ProjectPaths = projectPaths(workdir);
  const env = { ...sys.env };
  const gitRunner = createGitRunner({ spawn: sys.spawn, env });
  const git = createGit({ spawn: sys.spawn, env, redactor: createRedactor([env], []) });
  const setup = await loadSetup(sys, request);
  const checks: CheckResult[] = [];
  if ("name" in setup) checks.push(setup);
  else
    checks.push(check("config and PRD", "pass", `nax/config.json and feature ${setup.feature}'s prd.json are valid`));
  const repo = await checkRepoAndTree(git, workdir, request.allowDirty === true);
  checks.push(...repo);
  checks.push(checkLockState(await inspectLock(sys, project.lock), project.lock));
  if ("name" in setup) return { workdir, exitCode: 2, checks };

  const { config } = setup;
  // The names the run treats as secret come from the config: the quality commands' output is redacted the same way.
  const redactor = createRedactor([env], config.security.redactEnvNames);
  // Built as the run builds them (command-services.ts): a base suite is judged as verification judges it.
  const services = createCommandServices(sys, config, redactor);
  // Every agent the tiers name, each covered by its fallbacks: the run's own check (agents/run-check.ts).
  const agentCheck = await checkRunAgents(config, services.agents);
  checks.push(checkAgentInstall(agentCheck, agentCheck.agent));
  const isRepo = repo[0]?.status === "pass";
  if (isRepo) {
    checks.push(
      ...(await runPrechecks({
        config,
        workdir,
        env,
        gitRunner,
        tests: services.tests,
        reviewer: services.reviewer,
        signal: new AbortController().signal,
        skipSlow: false,
      })),
    );
  }
  const failed = checks.some((c) => c.status === "fail");
  return { workdir, feature: setup.feature, exitCode: failed ? 1 : 0, checks };
}
