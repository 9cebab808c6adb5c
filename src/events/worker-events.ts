/** `nax worker`'s own events (src/worker/run-worker.ts owns both): its start, and a liveness beat while it works. */
import { z } from "zod";
import { defineEvent } from "./define";

export const WORKER_EVENTS = [
  defineEvent(
    "worker:started",
    "`nax worker` took its job: the story, the commit it is cut from, its budget and deadline",
    z.object({
      feature: z.string(),
      storyId: z.string(),
      baseCommit: z.string(),
      repository: z.string(),
      deadline: z.string(),
      maxCostUsd: z.number(),
      pid: z.number().int(),
      hostname: z.string(),
    }),
  ),
  defineEvent(
    "worker:heartbeat",
    "`nax worker` is alive (every `heartbeatSeconds` of the job): its story, time so far and spend",
    z.object({ storyId: z.string(), elapsedMs: z.number().int().min(0), costUsd: z.number().min(0) }),
  ),
] as const;
