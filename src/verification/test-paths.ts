/**
 * What a test file is, for the test-integrity guards (and the role path
 * policy of the TDD strategies): configurable globs (`quality.testFiles`)
 * with defaults across languages, matched against repo-relative paths. One
 * module so every check that asks "is this a test file?" gets one answer.
 */

/** The defaults: JS/TS (`*.test.*`, `*.spec.*`, `__tests__`), test folders, Python, Go, Rust, Ruby, Java/Kotlin. */
export const DEFAULT_TEST_FILE_GLOBS: readonly string[] = [
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

export type TestFileMatcher = (path: string) => boolean;

/** A matcher for these globs; a path is `/`-separated and relative to the project root. */
export function testFileMatcher(globs: readonly string[]): TestFileMatcher {
  const compiled = globs.map((glob) => new Bun.Glob(glob));
  return (path) => {
    const relative = path.replace(/^\.\//, "");
    return compiled.some((glob) => glob.match(relative));
  };
}
