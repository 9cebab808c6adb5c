/**
 * The config of the test-integrity guards (`quality.guards.*`, each on by
 * default) and of what counts as a test file (`quality.testFiles`). Kept
 * apart from schema.ts so the guards' keys and their meaning sit together.
 */
import { z } from "zod";
import { DEFAULT_TEST_FILE_GLOBS } from "../verification/test-paths";

export const TestFilesSchema = z
  .array(z.string().min(1))
  .default([...DEFAULT_TEST_FILE_GLOBS])
  .describe("globs of the project's test files (guards and role policy); replaces the defaults");

const guard = (what: string) => z.boolean().default(true).describe(what);

export const GuardsSchema = z
  .strictObject({
    deletedTests: guard("fail an attempt that deletes (or renames away) a test file present at the story's base"),
    testCount: guard("fail an attempt after which the changed test files declare fewer tests than at the base"),
    skippedTests: guard("fail an attempt that adds .skip/.only/xit/xdescribe/todo/pytest skip/t.Skip/#[ignore]"),
    weakenedAssertions: guard("fail an attempt that removes assertions from a test file or loosens one"),
  })
  .prefault({});

export type GuardName = keyof z.infer<typeof GuardsSchema>;
