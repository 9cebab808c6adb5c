/**
 * The TDD strategies' evidence (pipeline/stages/tdd-*.ts own them): nax's
 * RED judgement of the test writer's files, the frozen tests with their blob
 * hashes, the hashes again at GREEN, a session that broke its role's path
 * policy, the implementer's objection to a test, and the verifier's verdict
 * (or nax's own run when the verdict was missing). With the session events'
 * purpose (the role) and tier, they are the TDD lines of a story's ledger.
 */
import { z } from "zod";
import { defineEvent } from "./define";

const storyId = z.string();
const RoleSchema = z.enum(["test-writer", "implementer", "verifier"]);
/** Test file → git blob id (`deleted` when the file is gone). */
const HashesSchema = z.record(z.string(), z.string());

export const TDD_EVENTS = [
  defineEvent(
    "tdd:red-checked",
    "nax ran each new test file alone: RED only when every file loads and has a test failing on an assertion",
    z.object({
      storyId,
      red: z.boolean(),
      /** 1 for the test writer's first session, 2 after it was sent back with the evidence. */
      round: z.number().int().min(1),
      files: z.array(
        z.object({
          file: z.string(),
          verdict: z.enum(["red", "already-passing", "uncollectable"]),
          evidence: z.string(),
        }),
      ),
      hashes: HashesSchema,
    }),
  ),
  defineEvent(
    "tdd:tests-frozen",
    "the RED tests were committed; the implementer starts from this commit, and so does every retry",
    z.object({ storyId, commit: z.string(), hashes: HashesSchema, carried: z.boolean() }),
  ),
  defineEvent(
    "tdd:green",
    "the story's tests pass (nax's own run); the test files' hashes at that point",
    z.object({ storyId, commit: z.string(), hashes: HashesSchema }),
  ),
  defineEvent(
    "tdd:isolation-violation",
    "a session changed files its role may not touch; the attempt failed and its changes are kept on the attempt ref",
    z.object({
      storyId,
      role: RoleSchema,
      breaches: z.array(z.object({ path: z.string(), kind: z.string(), why: z.string() })),
    }),
  ),
  defineEvent(
    "tdd:objection",
    "the implementer says a frozen test is wrong; the story is paused for a person and the test is not edited",
    z.object({ storyId, test: z.string(), reason: z.string() }),
  ),
  defineEvent(
    "tdd:verdict",
    "the verifier's verdict, or (source `nax`) nax's own test run when the verdict was missing or malformed",
    z.object({
      storyId,
      source: z.enum(["verifier", "nax"]),
      verdict: z.enum(["pass", "fail"]),
      reasons: z.array(z.string()),
      /** Why the verifier's verdict could not be used (source `nax`). */
      missing: z.string().optional(),
    }),
  ),
] as const;
