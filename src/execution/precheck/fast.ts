/**
 * The quick prechecks: git repository and clean tree (the run's own rule in
 * tree-check.ts), git identity, the lock, the agent, and the LLM routing key.
 * Each turns what the run would do into a pass, warn or fail with a fix; none
 * starts a model call or writes anything.
 */
import type { AgentInstallCheck } from "../../agents/types";
import type { NaxConfig } from "../../config/schema";
import { isNaxError } from "../../errors";
import { authorFallback } from "../../git/commit";
import type { Git } from "../../git/git";
import type { GitRunner } from "../../git/run-git";
import { describeHolder, type LockState } from "../../state/lock-file";
import type { Env } from "../../system/secrets";
import { checkWorkingTree } from "../tree-check";
import { type CheckResult, check } from "./check";

/** Repository and tree in one: a tree cannot be checked outside a repository. */
export async function checkRepoAndTree(
  git: Pick<Git, "isRepo" | "uncommitted">,
  workdir: string,
  allowDirty: boolean,
): Promise<CheckResult[]> {
  try {
    const note = await checkWorkingTree(git, workdir, allowDirty);
    const repo = check("git repository", "pass", `${workdir} is a git repository`);
    if (note) return [repo, check("working tree", "warn", note)];
    return [repo, check("working tree", "pass", "no uncommitted changes outside nax/")];
  } catch (error) {
    if (isNaxError(error, "NOT_A_REPO"))
      return [check("git repository", "fail", error.message, "`git init` and commit your project")];
    if (isNaxError(error, "WORKTREE_DIRTY")) {
      return [
        check("git repository", "pass", `${workdir} is a git repository`),
        check("working tree", "fail", error.message, "commit or stash your changes, or run with --allow-dirty"),
      ];
    }
    throw error;
  }
}

/** nax signs its commits `nax <nax@localhost>` when the repository has no identity: allowed, but worth saying. */
export async function checkGitIdentity(git: GitRunner, workdir: string): Promise<CheckResult> {
  const missing = await authorFallback(git, workdir);
  if (missing.length === 0) return check("git identity", "pass", "user.name and user.email are set");
  const names = missing.map((entry) => entry.slice(0, entry.indexOf("="))).join(" and ");
  return check(
    "git identity",
    "warn",
    `${names} not set: story commits are signed \`nax <nax@localhost>\``,
    'git config user.name "Your Name" && git config user.email you@example.com',
  );
}

export function checkLockState(state: LockState, path: string): CheckResult {
  switch (state.state) {
    case "absent":
      return check("lock", "pass", "no run holds the lock");
    case "live":
      return check(
        "lock",
        "fail",
        `${path}: another nax run holds the lock (${describeHolder(state.holder)})`,
        "wait for it to finish, or stop it (`nax status` shows it)",
      );
    case "other-host":
      return check(
        "lock",
        "fail",
        `${path}: locked by a run on another host (${describeHolder(state.holder)})`,
        "if it is no longer running, `nax run --force` replaces the lock",
      );
    case "stale":
      return check(
        "lock",
        "warn",
        state.reason === "unparseable"
          ? `${path}: unreadable lock file; the next run replaces it`
          : `${path}: stale lock of a run that is no longer alive (${describeHolder(state.holder)}); the next run replaces it`,
      );
  }
}

/** The same words as the run's refusal when the agent is missing or logged out. */
export function checkAgentInstall(result: AgentInstallCheck, agent: string): CheckResult {
  if (result.ok)
    return check("agent", "pass", `${agent} ${result.version ?? ""} is installed and logged in`.replace("  ", " "));
  const what = (result.message ?? `the ${agent} agent is not usable`).replace(/\.$/, "");
  return check(
    "agent",
    "fail",
    what,
    `${result.fix ?? "install the agent"} (or set agents.${agent}.command in nax/config.json)`,
  );
}

export function checkRoutingKey(config: NaxConfig, env: Env): CheckResult | undefined {
  if (config.routing.strategy !== "llm") return undefined;
  if (env.ANTHROPIC_API_KEY) return check("llm routing", "pass", "ANTHROPIC_API_KEY is set");
  return check(
    "llm routing",
    "warn",
    'routing.strategy is "llm" but ANTHROPIC_API_KEY is not set: routing cannot use the Anthropic API and goes through the agent\'s one-shot completion',
    "set ANTHROPIC_API_KEY to route through the API",
  );
}
