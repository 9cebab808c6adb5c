/**
 * The keyword classifier: reads a story's title, description, acceptance
 * criteria and tags and decides its complexity and test strategy, with the
 * reasoning spelled out. Pure and free: the default routing makes no model
 * call. Words match whole (with their endings), so "author" is not "auth".
 */
import type { Complexity, UserStory } from "../prd/schema";

export interface Classification {
  complexity: Complexity;
  testStrategy: TestStrategy;
  reasoning: string;
}

/** `test-first`: the prompt asks for failing tests before the implementation; `test-after`: tests with or after it. */
export type TestStrategy = "test-after" | "test-first";

/** Per level: whole words (plural allowed), or stems marked `*` that take any ending (`migrat*` → migrate, migration). */
const KEYWORDS: Record<Exclude<Complexity, "simple">, string[]> = {
  expert: [
    "distributed",
    "consensus",
    "cryptograph*",
    "concurren*",
    "race condition",
    "lock-free",
    "real-time",
    "realtime",
    "zero-downtime",
    "sharding",
    "replication",
    "compiler",
    "scheduler",
  ],
  complex: [
    "security",
    "authenticat*",
    "authoriz*",
    "auth",
    "oauth",
    "jwt",
    "encrypt*",
    "payment",
    "billing",
    "migrat*",
    "refactor*",
    "architecture*",
    "schema change",
    "transaction*",
    "cach*",
    "websocket",
    "state machine",
    "performance*",
    "integration*",
    "multi-tenant",
    "permission*",
  ],
  medium: [
    "api",
    "endpoint*",
    "database",
    "query",
    "queries",
    "validat*",
    "parse*",
    "parsing",
    "form",
    "crud",
    "error handling",
    "pagination",
    "filter*",
    "search*",
    "upload*",
    "config*",
    "cli",
    "command*",
  ],
};

const SIMPLE_HINTS = [
  "typo",
  "rename",
  "copy",
  "text",
  "label*",
  "wording",
  "readme",
  "docs",
  "comment*",
  "color",
  "style",
];

/** Security- and contract-sensitive work gets the test-first strategy whatever its size. */
const TDD_HINTS = [
  "security",
  "authenticat*",
  "authoriz*",
  "auth",
  "oauth",
  "jwt",
  "encrypt*",
  "payment",
  "public api",
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiled once per keyword of the fixed lists above: every story is classified twice per attempt, against all of them. */
const PATTERNS = new Map<string, RegExp>();

function patternFor(entry: string): RegExp {
  const known = PATTERNS.get(entry);
  if (known) return known;
  const stem = entry.endsWith("*");
  const word = escapeRegExp(stem ? entry.slice(0, -1) : entry);
  // No `g` flag: `test` stays stateless, so one RegExp can be shared.
  const pattern = new RegExp(`\\b${word}${stem ? "[a-z]*" : "(?:e?s)?"}\\b`, "i");
  PATTERNS.set(entry, pattern);
  return pattern;
}

function matches(text: string, entries: string[]): string[] {
  return entries.filter((entry) => patternFor(entry).test(text)).map((entry) => entry.replace(/\*$/, ""));
}

function storyText(story: UserStory): string {
  return [story.title, story.description, ...story.acceptanceCriteria, ...(story.tags ?? [])].join("\n");
}

const ORDER: Complexity[] = ["simple", "medium", "complex", "expert"];

function atLeast(a: Complexity, b: Complexity): Complexity {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

export function classifyByKeywords(story: UserStory): Classification {
  const text = storyText(story);
  const reasons: string[] = [];
  let complexity: Complexity = "simple";
  for (const level of ["expert", "complex", "medium"] as const) {
    const found = matches(text, KEYWORDS[level]);
    if (found.length > 0) {
      complexity = level;
      reasons.push(`${level} keywords: ${found.join(", ")}`);
      break;
    }
  }
  const criteria = story.acceptanceCriteria.length;
  const bySize: Complexity = criteria > 8 ? "complex" : criteria > 4 ? "medium" : "simple";
  if (ORDER.indexOf(bySize) > ORDER.indexOf(complexity)) reasons.push(`${criteria} acceptance criteria`);
  complexity = atLeast(complexity, bySize);
  if (reasons.length === 0) {
    const hints = matches(text, SIMPLE_HINTS);
    reasons.push(hints.length > 0 ? `simple keywords: ${hints.join(", ")}` : "no complexity keywords");
  }
  const tddHits = matches(text, TDD_HINTS);
  const testFirst = tddHits.length > 0 || complexity === "complex" || complexity === "expert";
  const testStrategy: TestStrategy = testFirst ? "test-first" : "test-after";
  reasons.push(
    testFirst
      ? `test strategy test-first (${tddHits.length > 0 ? `sensitive: ${tddHits.join(", ")}` : complexity})`
      : "test strategy test-after",
  );
  return { complexity, testStrategy, reasoning: reasons.join("; ") };
}
