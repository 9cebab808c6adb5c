/**
 * `branchName` from prd.json names the branch a run works on (ADR 004): it
 * must be a name git accepts for a branch (the rules of `git
 * check-ref-format --branch`, checked here without a process, so a bad name
 * is refused with the PRD's other problems before anything is written), and
 * it must not sit where nax's own branches of the feature live: git cannot
 * hold `nax/<feature>` and `nax/<feature>/integration` at once.
 */

/** Why git would refuse `name` as a branch, or undefined when it would accept it. */
function refFormatProblem(name: string): string | undefined {
  if (name === "" || name === "@" || name === "HEAD") return "a reserved name";
  if (name.startsWith("-")) return "it starts with '-'";
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return "an empty path component";
  if (name.endsWith(".")) return "it ends with '.'";
  if (name.includes("..")) return "it contains '..'";
  if (name.includes("@{")) return "it contains '@{'";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return "it contains a space, a control character or one of ~ ^ : ? * [ \\";
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return `the component "${part}" starts with '.'`;
    if (part.endsWith(".lock")) return `the component "${part}" ends with '.lock'`;
  }
  return undefined;
}

/** The problem with a PRD's `branchName` for `feature`, as a line for the PRD's refusal; undefined when fine. */
export function branchNameProblem(name: string | undefined, feature: string): string | undefined {
  if (name === undefined) return undefined;
  const format = refFormatProblem(name);
  if (format) {
    return `branchName: "${name}" is not a branch name git accepts (${format}); use a name like "feat/${feature}", or remove branchName to work on the checkout's branch`;
  }
  const own = `nax/${feature}`;
  if (name === "nax" || name === own || name.startsWith(`${own}/`)) {
    return `branchName: "${name}" clashes with nax's own branches of this feature (${own}/<story>, ${own}/integration); use another name, like "feat/${feature}", or remove branchName`;
  }
  return undefined;
}
