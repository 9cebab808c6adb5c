/**
 * The path policy of each role, judged on the session's changes (session-
 * changes.ts) with the configured test-file globs, never a list of source
 * folders. A test writer touches only test files (the lite variant may also
 * add new non-test files for stubs, never edit or delete existing ones); an
 * implementer touches no test file; a verifier touches nothing. A breach is
 * an `isolation-violation`: the attempt fails whatever the tests say.
 */
import { type PathChange, touchedPaths } from "./session-changes";
import type { Role, TestStrategy } from "./strategies";

export interface PolicyBreach {
  path: string;
  kind: PathChange["kind"];
  why: string;
}

export type PolicyVerdict = { ok: true } | { ok: false; category: "isolation-violation"; breaches: PolicyBreach[] };

function breachesOf(role: Role, strategy: TestStrategy, change: PathChange, isTest: (path: string) => boolean) {
  const found: PolicyBreach[] = [];
  const add = (path: string, why: string) => found.push({ path, kind: change.kind, why });
  for (const path of touchedPaths(change)) {
    if (role === "verifier") add(path, "the verifier may not change any file");
    else if (role === "implementer" && isTest(path)) add(path, "the implementer may not touch a test file");
    else if (role === "test-writer" && !isTest(path)) {
      const stub = strategy === "three-session-tdd-lite" && (change.kind === "added" || change.kind === "untracked");
      if (!stub) add(path, "the test writer may touch only test files");
    }
  }
  return found;
}

export function judgeSessionChanges(input: {
  role: Role;
  strategy: TestStrategy;
  changes: readonly PathChange[];
  isTest: (path: string) => boolean;
}): PolicyVerdict {
  const breaches = input.changes.flatMap((change) => breachesOf(input.role, input.strategy, change, input.isTest));
  return breaches.length === 0 ? { ok: true } : { ok: false, category: "isolation-violation", breaches };
}

export function describeBreaches(role: Role, breaches: readonly PolicyBreach[]): string {
  const listed = breaches.slice(0, 10).map((b) => `${b.path} (${b.kind}): ${b.why}`);
  if (breaches.length > 10) listed.push(`… and ${breaches.length - 10} more`);
  return `isolation-violation: the ${role} session changed files its role may not touch: ${listed.join("; ")}`;
}
