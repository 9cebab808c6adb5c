/**
 * The `acceptance` config section: whether a run turns the PRD's acceptance
 * criteria into acceptance tests before any story (README "Acceptance
 * tests"), where those tests live, and the command that runs one of them.
 * The folder must lie outside what `quality.commands.test` runs: the tests
 * are RED until their stories land, and a story's own suite must not see them.
 */
import { z } from "zod";

export const AcceptanceSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe("before any story, write one acceptance test per criterion, confirm each RED and freeze them"),
  folder: z
    .string()
    .min(1)
    .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, "a folder inside the project, relative to it")
    .default("acceptance")
    .describe("where the acceptance tests live, relative to the project; story sessions may not change it"),
  maxFixAttempts: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(1)
    .describe("rounds of fix stories (one per criterion failing at the end of a run) before the run fails"),
  command: z
    .string()
    .min(1)
    .optional()
    .describe(
      "runs some acceptance test files ({{files}} filled in); default: quality.commands.testScoped, else the test command narrowed",
    ),
});

export type AcceptanceConfig = z.infer<typeof AcceptanceSchema>;
