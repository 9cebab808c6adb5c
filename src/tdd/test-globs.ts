/**
 * The test-file globs the role policy and the role prompts use: the
 * project's `quality.testFiles` (verification/test-paths.ts), one answer for
 * "is this a test file?" across the guards and the TDD roles. A path from git
 * is relative to the repository root; the globs are relative to the workdir,
 * so a path is matched as seen from the workdir (and as given, when it lies
 * outside it).
 */
import type { NaxConfig } from "../config/schema";
import { testFileMatcher } from "../verification/test-paths";
import { fromPrefix } from "./session-changes";

export interface TestPaths {
  globs: readonly string[];
  /** A repository-relative path (from git) is a test file. */
  isTest(repoPath: string): boolean;
}

export function testPathsFor(config: NaxConfig, prefix: string): TestPaths {
  const globs = config.quality.testFiles;
  const matches = testFileMatcher(globs);
  return { globs, isTest: (repoPath) => matches(fromPrefix(repoPath, prefix) ?? repoPath) };
}
