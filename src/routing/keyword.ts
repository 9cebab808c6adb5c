/**
 * The keyword classifier: reads a story's title, description, acceptance
 * criteria and tags and decides its complexity and test strategy, with the
 * reasoning spelled out. Pure and free: the default routing makes no model
 * call. Words match whole (with their endings), so "author" is not "auth".
 */
import { type TddConfig, TddSchema } from "../config/tdd-schema";
import type { Complexity, UserStory } from "../prd/schema";
import type { TestStrategy } from "../tdd/strategies";
import { matchKeywords as matches, storyText } from "./keyword-match";
import { chooseStrategy } from "./strategy-choice";

export interface Classification {
  complexity: Complexity;
  testStrategy: TestStrategy;
  reasoning: string;
}

const DEFAULT_TDD = TddSchema.parse({});

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

const ORDER: Complexity[] = ["simple", "medium", "complex", "expert"];

function atLeast(a: Complexity, b: Complexity): Complexity {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** `tdd` is the config's section; callers without a config get its defaults. */
export function classifyByKeywords(story: UserStory, tdd: TddConfig = DEFAULT_TDD): Classification {
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
  const choice = chooseStrategy(story, complexity, tdd);
  const testStrategy = choice.strategy;
  reasons.push(`test strategy ${testStrategy} (${choice.reason})`);
  return { complexity, testStrategy, reasoning: reasons.join("; ") };
}
