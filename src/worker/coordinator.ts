/**
 * The coordinator's side of the worker contract: a worker's result becomes
 * a pipeline outcome the story loop applies like a local lane's. A passed
 * result's branch is fetched from the remote (and must be the commit the
 * result names, cut from the job's base), then handed to the run's own
 * isolation `land`: the SAME merge queue and gate as a local lane, with the
 * gate always run on the merged tree, because a remote "passed" is evidence
 * only. A fetched branch that did not land is kept under
 * `refs/nax/workers/<feature>/<story>`; one that landed is squashed into the
 * integration branch, so its ref is dropped.
 */
import type { GitRunner } from "../git/run-git";
import type { Isolation } from "../isolation/workspace";
import { createWorktreeGit } from "../isolation/worktree-git";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext } from "../pipeline/stage";
import type { WorkerJob } from "./job";
import type { WorkerResult } from "./result";

export interface RemoteLandingDeps {
  git: GitRunner;
  /** The run's isolation: its `land` is the merge queue and gate every local lane goes through. */
  isolation: Pick<Isolation, "land">;
  /** The coordinator's checkout (the remote is one of its remotes, or a URL). */
  workdir: string;
}

export interface RemoteLandingInput {
  job: WorkerJob;
  result: WorkerResult;
  /** The attempt as the coordinator's lane built it (story, attempt, tier, signal, emitter). */
  ctx: StoryContext;
  /** Where to fetch from: the remote the worker pushed to, as the coordinator names it. */
  remote: string;
}

export function workerRef(feature: string, storyId: string): string {
  return `refs/nax/workers/${feature}/${storyId}`;
}

function failed(ctx: StoryContext, reason: string): PipelineOutcome {
  return { kind: "fail", reason, stage: undefined, state: ctx.state };
}

/** A result that is not a pass: what the story loop should do with it, as a local attempt's outcome would say. */
function notPassed(ctx: StoryContext, result: WorkerResult): PipelineOutcome {
  const detail = `the worker ended ${result.reason}${result.detail ? `: ${result.detail}` : ""}`;
  switch (result.reason) {
    case "agent-unusable":
    case "test-command-unusable":
      return { kind: "stop", reason: result.reason, detail, stage: undefined, state: ctx.state };
    case "aborted":
    case "deadline":
      return { kind: "stop", reason: "aborted", detail, stage: undefined, state: ctx.state };
    default:
      return failed(ctx, detail);
  }
}

export async function landWorkerResult(deps: RemoteLandingDeps, input: RemoteLandingInput): Promise<PipelineOutcome> {
  const { job, result, ctx } = input;
  if (result.feature !== job.feature || result.storyId !== job.storyId || result.baseCommit !== job.baseCommit) {
    return failed(
      ctx,
      `the worker's result is for ${result.feature}/${result.storyId} at ${result.baseCommit}, not this job`,
    );
  }
  if (result.reason !== "passed" || !result.branch) return notPassed(ctx, result);
  const wt = createWorktreeGit(deps.git);
  const ref = workerRef(job.feature, job.storyId);
  const fetched = await deps.git(
    deps.workdir,
    ["fetch", "-q", "--no-tags", input.remote, `+refs/heads/${result.branch.name}:${ref}`],
    { okExitCodes: [1, 128] },
  );
  if (fetched.exitCode !== 0) {
    return failed(
      ctx,
      `could not fetch ${result.branch.name} from ${input.remote}: ${fetched.stderr.trim().slice(-500)}`,
    );
  }
  const tip = await wt.revParse(deps.workdir, ref);
  if (tip !== result.branch.commit) {
    return failed(
      ctx,
      `${result.branch.name} on ${input.remote} is at ${tip ?? "nothing"}, not the ${result.branch.commit} the worker reported`,
    );
  }
  if (!(await wt.isAncestor(deps.workdir, job.baseCommit, tip))) {
    return failed(ctx, `${result.branch.name} is not cut from the job's base ${job.baseCommit}`);
  }
  const lane = { storyId: job.storyId, attempt: ctx.attempt, path: deps.workdir, branch: ref, base: job.baseCommit };
  const claimed: PipelineOutcome = {
    kind: "passed",
    reason: "passed on the worker",
    stage: "completion",
    state: { ...ctx.state, commit: tip },
  };
  const landed = await deps.isolation.land({ ...lane, verifiedElsewhere: true }, ctx, claimed);
  if (landed.kind === "passed") await wt.deleteRef(deps.workdir, ref, tip);
  return landed;
}
