/**
 * The `tdd` config section: which test strategy routing gives a story (a
 * default, keyword lists and complexities that pick another), and what a
 * session that broke its role's path policy costs the story. Kept beside the
 * main schema so its defaults live in one place; the README's "Test
 * strategies" section explains each key.
 */
import { z } from "zod";
import { TestStrategySchema } from "../tdd/strategies";

/** Security- and contract-sensitive work: three sessions, so the tests are not written by the code's author. */
export const SENSITIVE_KEYWORDS = [
  "security",
  "authenticat*",
  "authoriz*",
  "auth",
  "oauth",
  "jwt",
  "encrypt*",
  "cryptograph*",
  "payment",
  "permission*",
  "public api",
  "password*",
  "secret*",
];

const KeywordStrategySchema = z.strictObject({
  strategy: TestStrategySchema.describe("the strategy a story matching one of these keywords gets"),
  keywords: z
    .array(z.string().min(1))
    .min(1)
    .describe("whole words (a trailing * takes any ending), matched in the title, description, criteria and tags"),
});

export const TddSchema = z.strictObject({
  defaultStrategy: TestStrategySchema.default("test-after").describe(
    "the test strategy of a story no keyword or complexity rule picks one for",
  ),
  keywordStrategies: z
    .array(KeywordStrategySchema)
    .default([{ strategy: "three-session-tdd", keywords: SENSITIVE_KEYWORDS }])
    .describe("keyword lists that pick a strategy, first match wins (before the complexity rules)"),
  complexityStrategies: z
    .strictObject({
      simple: TestStrategySchema.optional().describe("the strategy of a simple story without a keyword match"),
      medium: TestStrategySchema.optional().describe("the strategy of a medium story without a keyword match"),
      complex: TestStrategySchema.default("tdd-simple").describe(
        "the strategy of a complex story without a keyword match",
      ),
      expert: TestStrategySchema.default("tdd-simple").describe(
        "the strategy of an expert story without a keyword match",
      ),
    })
    .prefault({}),
  liteForNewModules: z
    .boolean()
    .default(true)
    .describe(
      "a routed three-session story that asks for a new module gets three-session-tdd-lite (its test writer may add stubs)",
    ),
  onViolation: z
    .enum(["escalate", "pause"])
    .default("escalate")
    .describe("a session that broke its role's path policy: fail the attempt and escalate, or pause for a human"),
});
export type TddConfig = z.infer<typeof TddSchema>;
