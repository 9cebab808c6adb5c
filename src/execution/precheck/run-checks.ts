/**
 * The prechecks `nax run` adds before its first story, after the lock, the
 * agent check, resume and the tree check (which it already did itself):
 * git identity, the LLM routing key and, unless `--skip-precheck`, the
 * quality commands on the base commit. Failures refuse the run before
 * `run:started`, so a refused run writes nothing; warnings go to its log.
 */
import type { NaxConfig } from "../../config/schema";
import { NaxError } from "../../errors";
import type { GitRunner } from "../../git/run-git";
import type { ReviewerLike, TestRunnerLike } from "../../pipeline/ports";
import type { Env } from "../../system/secrets";
import { type CheckResult, describeCheck, failedChecks, refusalMessage } from "./check";
import { checkGitIdentity, checkRoutingKey } from "./fast";
import { checkQualityCommands } from "./quality";

export interface RunPrecheckDeps {
  config: NaxConfig;
  workdir: string;
  env: Env;
  gitRunner: GitRunner;
  tests: TestRunnerLike;
  reviewer: Pick<ReviewerLike, "review">;
  signal: AbortSignal;
  /** `--skip-precheck`: the quality commands are not run. */
  skipSlow: boolean;
}

export async function runPrechecks(deps: RunPrecheckDeps): Promise<CheckResult[]> {
  const results = [await checkGitIdentity(deps.gitRunner, deps.workdir)];
  const routing = checkRoutingKey(deps.config, deps.env);
  if (routing) results.push(routing);
  if (!deps.skipSlow) results.push(...(await checkQualityCommands(deps)));
  return results;
}

/** Throws the refusal when a check failed; the warnings' lines otherwise, for the run's log. */
export function warningsOrRefuse(results: readonly CheckResult[]): string[] {
  const failed = failedChecks(results);
  if (failed.length > 0) {
    throw new NaxError("PRECHECK_FAILED", refusalMessage(failed), { checks: failed });
  }
  return results.filter((r) => r.status === "warn").map((r) => `precheck: ${describeCheck(r)}`);
}
