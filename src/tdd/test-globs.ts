/**
 * The test-file globs the role policy and the role prompts use: the
 * project's configured test-file globs, one answer for "is this a test
 * file?" across the guards and the TDD roles. A path from git is relative to
 * the repository root; the globs are relative to the workdir, so a path is
 * matched as seen from the workdir (and as given, when it lies outside it).
 */
import type { NaxConfig } from "../config/schema";
import { fromPrefix } from "./session-changes";

/** Until the guards' `quality.testFiles` lands: the same defaults across languages. */
const DEFAULT_GLOBS = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/__tests__/**",
  "test/**",
  "tests/**",
  "**/test/**",
  "**/tests/**",
  "**/test_*.py",
  "**/*_test.py",
  "**/conftest.py",
  "**/*_test.go",
  "**/*_test.rs",
  "**/*_spec.rb",
  "**/*Test.java",
  "**/*Test.kt",
];

export interface TestPaths {
  globs: readonly string[];
  /** A repository-relative path (from git) is a test file. */
  isTest(repoPath: string): boolean;
}

export function testPathsFor(_config: NaxConfig, prefix: string): TestPaths {
  const globs = DEFAULT_GLOBS;
  const compiled = globs.map((glob) => new Bun.Glob(glob));
  const matches = (path: string) => compiled.some((glob) => glob.match(path));
  return { globs, isTest: (repoPath) => matches(fromPrefix(repoPath, prefix) ?? repoPath) };
}
