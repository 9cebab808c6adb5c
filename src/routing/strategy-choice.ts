/**
 * Which test strategy a story gets when prd.json does not say: the first
 * `tdd.keywordStrategies` list its text matches, else the strategy of its
 * complexity, else `tdd.defaultStrategy`. A three-session story that asks for
 * a new module gets the lite variant (strict test writers may touch only test
 * files, so tests of a module that does not exist could never load).
 */
import type { TddConfig } from "../config/tdd-schema";
import type { Complexity, UserStory } from "../prd/schema";
import type { TestStrategy } from "../tdd/strategies";
import { matchKeywords, storyText } from "./keyword-match";

const NEW_MODULE_HINTS = ["new module", "new file", "new package", "new class", "new service", "new library"];

export interface StrategyChoice {
  strategy: TestStrategy;
  reason: string;
}

export function chooseStrategy(story: UserStory, complexity: Complexity, tdd: TddConfig): StrategyChoice {
  const text = storyText(story);
  let choice: StrategyChoice | undefined;
  for (const rule of tdd.keywordStrategies) {
    const found = matchKeywords(text, rule.keywords);
    if (found.length > 0) {
      choice = { strategy: rule.strategy, reason: `keywords: ${found.join(", ")}` };
      break;
    }
  }
  const byComplexity = tdd.complexityStrategies[complexity];
  if (!choice && byComplexity) choice = { strategy: byComplexity, reason: complexity };
  choice ??= { strategy: tdd.defaultStrategy, reason: "the default" };
  if (choice.strategy === "three-session-tdd" && tdd.liteForNewModules) {
    const hints = matchKeywords(text, NEW_MODULE_HINTS);
    if (hints.length > 0) return { strategy: "three-session-tdd-lite", reason: `${choice.reason}; ${hints[0]}` };
  }
  return choice;
}

/** The strategy written in prd.json (the user pinned it) wins; otherwise the choice above. */
export function strategyFor(story: UserStory, complexity: Complexity, tdd: TddConfig): string {
  return story.routing?.testStrategy ?? chooseStrategy(story, complexity, tdd).strategy;
}
