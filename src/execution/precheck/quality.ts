/**
 * The slow prechecks, shared by `nax precheck` and `nax run` (which skips
 * them with `--skip-precheck`): each configured quality command run once on
 * the base commit, the way verification and review run them (same runner,
 * environment, timeout). A failing base suite fails: nax would blame the
 * first story for tests that were already failing. A failing lint or
 * typecheck only warns: review runs them on the story's work, and autofix
 * may repair what the story touches.
 */
import type { NaxConfig } from "../../config/schema";
import { testPolicy } from "../../config/test-policy";
import type { ReviewerLike, TestRunnerLike } from "../../pipeline/ports";
import { type CheckResult, check } from "./check";

export interface QualityCheckDeps {
  config: NaxConfig;
  workdir: string;
  tests: TestRunnerLike;
  reviewer: Pick<ReviewerLike, "review">;
  signal: AbortSignal;
}

const SKIP_HINT = "or rerun `nax run` with --skip-precheck to start anyway";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim().slice(0, 200);
}

async function testCheck(deps: QualityCheckDeps): Promise<CheckResult> {
  const { execution } = deps.config;
  const policy = testPolicy(deps.config, "nax/config.json");
  if (policy.kind === "unverified") return check("test command", "warn", policy.reason);
  if (policy.kind === "missing") {
    return check("test command", "fail", policy.message, "set quality.commands.test in nax/config.json");
  }
  const { command } = policy;
  const result = await deps.tests.run({
    cwd: deps.workdir,
    command,
    scope: "full",
    timeoutMs: execution.verificationTimeoutSeconds * 1000,
    signal: deps.signal,
  });
  if (result.passed) {
    const counted = result.passedCount > 0 ? `, ${result.passedCount} passed` : "";
    return check(
      "test command",
      "pass",
      `\`${command}\` passes on the base commit (${seconds(result.durationMs)}${counted})`,
    );
  }
  const how =
    result.termination === "exited"
      ? `exit ${result.exitCode}${result.failedCount > 0 ? `, ${result.failedCount} failed` : ""}`
      : result.termination;
  const first = firstLine(result.summary);
  return check(
    "test command",
    "fail",
    `\`${command}\` fails on the base commit (${how})${first ? `: ${first}` : ""}`,
    `make the suite pass first: nax would blame the first story for these failures; ${SKIP_HINT}`,
  );
}

async function reviewCheck(deps: QualityCheckDeps, name: "lint" | "typecheck"): Promise<CheckResult | undefined> {
  const { quality, execution } = deps.config;
  const command = quality.commands[name];
  const required = name === "lint" ? quality.requireLint : quality.requireTypecheck;
  if (!command || !required) return undefined;
  const review = await deps.reviewer.review({
    cwd: deps.workdir,
    commands: { [name]: command },
    requireLint: name === "lint",
    requireTypecheck: name === "typecheck",
    timeoutMs: execution.verificationTimeoutSeconds * 1000,
    signal: deps.signal,
  });
  const result = review.checks[0];
  if (!result) return undefined;
  if (result.passed)
    return check(name, "pass", `\`${command}\` passes on the base commit (${seconds(result.durationMs)})`);
  const first = firstLine(result.output);
  return check(
    name,
    "warn",
    `\`${command}\` fails on the base commit (${result.termination === "exited" ? `exit ${result.exitCode}` : result.termination})${first ? `: ${first}` : ""}`,
    `fix it first, or each story's review will fail on problems it did not make`,
  );
}

/** Test, lint, typecheck, one after the other (two cores cannot run two suites well). */
export async function checkQualityCommands(deps: QualityCheckDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [await testCheck(deps)];
  for (const name of ["lint", "typecheck"] as const) {
    if (deps.signal.aborted) break;
    const result = await reviewCheck(deps, name);
    if (result) results.push(result);
  }
  return results;
}
