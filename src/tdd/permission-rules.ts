/**
 * Claude Code permission rules that restrict a TDD role's edits up front
 * (`--disallowedTools`; measured: deny rules hold even with
 * --dangerously-skip-permissions). They narrow what the agent can do by
 * accident; they do not make the path policy unnecessary: the Bash tool can
 * still write anywhere, so nax checks every session's diff afterwards
 * (path-policy.ts). The test writer gets none: deny rules cannot say "only
 * test files".
 */
import type { Role } from "./strategies";

const EDIT_TOOLS = ["Edit", "MultiEdit", "Write", "NotebookEdit"];

export function disallowedToolsFor(role: Role, testGlobs: readonly string[]): string[] {
  if (role === "verifier") return [...EDIT_TOOLS];
  if (role === "implementer") return testGlobs.flatMap((glob) => EDIT_TOOLS.map((tool) => `${tool}(${glob})`));
  return [];
}

/** A plain relative path: nothing a permission rule would read as a pattern (`*`, `?`, brackets, braces, `(`). */
const PLAIN_PATH = /^[\w./@+-]+$/;

/**
 * A repair session (rectify, autofix) after the tests were frozen: the frozen files themselves may not be
 * edited. A path a rule would read as a pattern is left to the checks after the session (GREEN's hashes).
 */
export function frozenFileRules(files: readonly string[]): string[] {
  return files.filter((file) => PLAIN_PATH.test(file)).flatMap((file) => EDIT_TOOLS.map((tool) => `${tool}(${file})`));
}
