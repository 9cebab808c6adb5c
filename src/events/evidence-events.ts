/**
 * The evidence ledger's events (readers/ledger.ts folds them into a story's
 * ledger): the test-integrity guards' results, each gate run with its
 * command, exit code, counts, duration and the commit it ran on, and the
 * commits that sealed an attempt's and a story's work. Each has one owner.
 */
import { z } from "zod";
import { defineEvent } from "./define";

const storyId = z.string();
const attempt = z.number().int().min(1);

export const GuardNameSchema = z.enum(["deletedTests", "testCount", "skippedTests", "weakenedAssertions"]);

const GuardResultSchema = z.object({
  guard: GuardNameSchema,
  passed: z.boolean(),
  evidence: z.array(z.object({ file: z.string(), line: z.number().int().optional(), what: z.string() })),
});

/** Which gate ran: the story's tests, its lint/typecheck, its full suite, or the merged tree's gate at landing. */
export const GateKindSchema = z.union([
  z.enum(["verify", "lint", "typecheck", "regression", "land"]),
  // A plugin's reviewer gate (src/plugins/reviewer.ts) is recorded under its own name.
  z.templateLiteral(["plugin:", z.string().min(1)]),
]);
export type GateKind = z.infer<typeof GateKindSchema>;

export const EVIDENCE_EVENTS = [
  defineEvent(
    "guards:checked",
    "the test-integrity guards compared the attempt with the story's base commit; a failed guard fails the attempt",
    z.object({ storyId, attempt, base: z.string(), results: z.array(GuardResultSchema) }),
  ),
  defineEvent(
    "gate:ran",
    "a gate command ran for the story; `edit` counts the attempt's file-changing steps before it, `commit` is set when it ran on a commit",
    z.object({
      storyId,
      attempt,
      gate: GateKindSchema,
      command: z.string(),
      exitCode: z.number().int().nullable(),
      passed: z.boolean(),
      passedCount: z.number().int().optional(),
      failedCount: z.number().int().optional(),
      durationMs: z.number(),
      scope: z.enum(["scoped", "full"]).optional(),
      edit: z.number().int().min(0),
      commit: z.string().optional(),
    }),
  ),
  defineEvent(
    "ledger:sealed",
    "the story's work was committed: `where` is the attempt's own commit or the merged one; `provenBy` the green gate on that tree",
    z.object({
      storyId,
      attempt,
      where: z.enum(["attempt", "merged"]),
      commit: z.string(),
      edit: z.number().int().min(0),
      provenBy: GateKindSchema.optional(),
      /** Filled by the TDD strategies: each test file's hash at RED and at GREEN. */
      testHashes: z
        .object({
          red: z.record(z.string(), z.string()).optional(),
          green: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
    }),
  ),
] as const;
