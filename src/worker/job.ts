/**
 * The worker's job (docs/worker.md): one story of one feature, at one base
 * commit of one repository, with the effective config as a snapshot, a cost
 * budget, a deadline, the NAMES of the environment variables it may read
 * (never their values) and where to push its branch. Versioned (`v`), parsed
 * with zod so a bad job is refused before anything is cloned or spent, with
 * every bad field named and what to put there.
 */
import { z } from "zod";
import { ConfigSchema, MAX_TIMER_SECONDS } from "../config/schema";
import { NaxError } from "../errors";
import { STORY_ID_PATTERN, UserStorySchema } from "../prd/schema";
import { FEATURE_NAME_PATTERN } from "../state/paths";
import { formatZodIssues } from "../utils/zod-issues";

export const WORKER_JOB_VERSION = 1;

/** An environment variable's name: the job names credentials, it never carries them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export const WorkerJobSchema = z.strictObject({
  v: z.literal(WORKER_JOB_VERSION, { error: `the job format version; this nax reads v ${WORKER_JOB_VERSION}` }),
  repository: z
    .string({ error: "a URL or path git can clone (the coordinator's remote)" })
    .min(1, "a URL or path git can clone (the coordinator's remote)")
    .describe("a URL or path `git clone` accepts"),
  baseCommit: z
    .string({ error: "the full commit id (40 hex digits) the story is cut from" })
    .regex(COMMIT, "the full commit id (40 lowercase hex digits) the story is cut from, e.g. `git rev-parse HEAD`")
    .describe("the commit the story's attempts are cut from (the coordinator's integration point)"),
  feature: z
    .string({ error: "the feature's name (nax/features/<feature>)" })
    .regex(FEATURE_NAME_PATTERN, "a feature name: letters, digits, '.', '_' and '-'")
    .describe("the feature the story belongs to"),
  storyId: z
    .string({ error: "the story's id in the feature's prd.json" })
    .regex(STORY_ID_PATTERN, "a story id: letters, digits, '.', '_' and '-'")
    .describe("the story to run"),
  story: UserStorySchema.optional().describe(
    "the story as the coordinator's PRD holds it (prior failures, routing); absent: read from nax/features/<feature>/prd.json at baseCommit",
  ),
  config: ConfigSchema.describe(
    "the effective config (a snapshot: what `nax config` prints); nax/config.json in the clone is not read",
  ),
  budget: z
    .strictObject({
      maxCostUsd: z
        .number({ error: "the most this job may spend, in US dollars (a positive number)" })
        .positive("the most this job may spend, in US dollars (a positive number)"),
    })
    .describe("what the job may spend; it replaces execution.costLimit"),
  deadline: z.iso
    .datetime({ offset: true, error: "an ISO 8601 time with a zone, e.g. 2026-01-01T12:00:00Z" })
    .describe("when the worker stops (reason `deadline`), whatever it is doing"),
  credentials: z
    .array(z.string().regex(ENV_NAME, "the NAME of an environment variable (e.g. ANTHROPIC_API_KEY), never its value"))
    .default([])
    .describe("names of the secret environment variables the worker may pass on; every other secret is dropped"),
  pushTo: z
    .strictObject({
      remote: z.string().min(1, "a remote name or URL").default("origin"),
      branch: z.string({ error: "the branch the worker pushes a passed story to" }).min(1, "a branch name"),
    })
    .describe("where the passed story's branch is pushed (`origin` is the repository)"),
  heartbeatSeconds: z
    .number()
    .positive("seconds between `worker:heartbeat` events (a positive number)")
    .max(MAX_TIMER_SECONDS, `at most ${MAX_TIMER_SECONDS} seconds (the longest a timer can wait)`)
    .default(30)
    .describe("seconds between `worker:heartbeat` events"),
});

export type WorkerJob = z.infer<typeof WorkerJobSchema>;

function refuse(source: string, lines: string[]): NaxError {
  const shown = lines.map((line) => `  ${source}: ${line}`).join("\n");
  return new NaxError("JOB_INVALID", `the job cannot be used:\n${shown}`, { source });
}

/** The job in `text` (read from `source`), or a JOB_INVALID error naming each bad field and its fix. */
export function parseWorkerJob(text: string, source: string): WorkerJob {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(source, [`not valid JSON (${(error as Error).message}); fix the syntax`]);
  }
  const parsed = WorkerJobSchema.safeParse(json);
  if (!parsed.success) throw refuse(source, formatZodIssues(parsed.error, WorkerJobSchema));
  const job = parsed.data;
  if (job.story && job.story.id !== job.storyId) {
    throw refuse(source, [`story.id: "${job.story.id}" is not storyId "${job.storyId}"; make them the same`]);
  }
  return job;
}
