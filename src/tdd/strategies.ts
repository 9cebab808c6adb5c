/**
 * The test strategies nax knows, and the sessions (roles) each one runs.
 * One list, so routing, the prompt, the pipeline choice and the README agree
 * on the names. `test-first` is what earlier versions persisted in
 * prd.json; it reads as `tdd-simple`, the strategy that replaced it.
 */
import { z } from "zod";

export const TEST_STRATEGIES = ["test-after", "tdd-simple", "three-session-tdd", "three-session-tdd-lite"] as const;
export const TestStrategySchema = z.enum(TEST_STRATEGIES);
export type TestStrategy = z.infer<typeof TestStrategySchema>;

/** What each session is there for; the prompt states it and the path policy enforces it. */
export type Role = "test-writer" | "implementer" | "verifier";

/** The sessions of a strategy, in order. A single-session strategy has no role line. */
export function rolesOf(strategy: TestStrategy): readonly Role[] {
  return strategy === "three-session-tdd" || strategy === "three-session-tdd-lite"
    ? ["test-writer", "implementer", "verifier"]
    : [];
}

export function isThreeSession(strategy: TestStrategy): boolean {
  return rolesOf(strategy).length > 0;
}

/** Any persisted or model-given name read as one of ours; unknown names are undefined (the caller decides). */
export function parseTestStrategy(name: string | undefined): TestStrategy | undefined {
  if (name === undefined) return undefined;
  if (name === "test-first") return "tdd-simple";
  const parsed = TestStrategySchema.safeParse(name);
  return parsed.success ? parsed.data : undefined;
}
