/**
 * The acceptance tests' evidence (src/acceptance/* owns them): the session
 * that wrote the tests, nax's RED judgement of each criterion's test on the
 * base, the frozen commit with the tests' blob hashes, each gate's per-
 * criterion results (after a story's merge, and at the end of the run), and
 * a story whose change touched the frozen tests.
 */
import { z } from "zod";
import { defineEvent } from "./define";

/** `US-001/AC-2`. */
const criterion = z.string();
const HashesSchema = z.record(z.string(), z.string());

export const ACCEPTANCE_EVENTS = [
  defineEvent(
    "acceptance:generated",
    "an agent session wrote acceptance tests, one file per criterion, named with the criterion's id",
    z.object({
      /** 1 for the first session, 2 when sent back with the RED evidence. */
      round: z.number().int().min(1),
      criteria: z.array(z.object({ criterion, file: z.string().optional(), problem: z.string().optional() })),
      costUsd: z.number(),
    }),
  ),
  defineEvent(
    "acceptance:red-checked",
    "nax ran each criterion's test alone on the base: RED only when it loads and fails on an assertion",
    z.object({
      round: z.number().int().min(1),
      criteria: z.array(
        z.object({
          criterion,
          file: z.string().optional(),
          verdict: z.enum(["red", "already-passing", "uncollectable"]),
          evidence: z.string(),
        }),
      ),
    }),
  ),
  defineEvent(
    "acceptance:frozen",
    "the acceptance tests were committed after RED; no story may change them",
    z.object({ commit: z.string(), hashes: HashesSchema }),
  ),
  defineEvent(
    "acceptance:checked",
    "nax ran acceptance tests on the integration tree: a story's own criteria after its merge, or all at the end",
    z.object({
      scope: z.enum(["story", "final"]),
      storyId: z.string().optional(),
      results: z.array(z.object({ criterion, passed: z.boolean(), overridden: z.boolean(), evidence: z.string() })),
      /** Criteria that passed before this merge and fail after it. */
      brokenBy: z.array(criterion).default([]),
    }),
  ),
  defineEvent(
    "acceptance:edited",
    "a story's change touched the frozen acceptance tests; the attempt failed",
    z.object({ storyId: z.string(), files: z.array(z.string()) }),
  ),
] as const;
