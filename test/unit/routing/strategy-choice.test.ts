import { describe, expect, test } from "bun:test";
import { TddSchema } from "../../../src/config/tdd-schema";
import { chooseStrategy, strategyFor } from "../../../src/routing/strategy-choice";
import { makeStory } from "../pipeline/helpers";

const defaults = TddSchema.parse({});

describe("chooseStrategy", () => {
  test("security, auth and public API work gets three-session TDD by default", () => {
    for (const title of ["Harden security headers", "Add auth to the admin page", "Document the public API"]) {
      const choice = chooseStrategy(makeStory({ title, description: "", acceptanceCriteria: [] }), "medium", defaults);
      expect(choice.strategy).toBe("three-session-tdd");
      expect(choice.reason).toContain("keywords");
    }
  });

  test("a complex story without sensitive words gets tdd-simple, a simple one the default", () => {
    const story = makeStory({ title: "Speed up the widget list", description: "", acceptanceCriteria: [] });
    expect(chooseStrategy(story, "complex", defaults).strategy).toBe("tdd-simple");
    expect(chooseStrategy(story, "simple", defaults).strategy).toBe("test-after");
  });

  test("a sensitive story that asks for a new module gets the lite variant unless the config says otherwise", () => {
    const story = makeStory({
      title: "Add a new module for password hashing",
      description: "",
      acceptanceCriteria: [],
    });
    expect(chooseStrategy(story, "medium", defaults).strategy).toBe("three-session-tdd-lite");
    const strict = TddSchema.parse({ liteForNewModules: false });
    expect(chooseStrategy(story, "medium", strict).strategy).toBe("three-session-tdd");
  });

  test("the config sets the default and the keyword mapping", () => {
    const tdd = TddSchema.parse({
      defaultStrategy: "tdd-simple",
      keywordStrategies: [{ strategy: "three-session-tdd-lite", keywords: ["ledger*"] }],
    });
    const ledger = makeStory({ title: "Ledger export", description: "", acceptanceCriteria: [] });
    const auth = makeStory({ title: "Auth tokens", description: "", acceptanceCriteria: [] });
    expect(chooseStrategy(ledger, "simple", tdd).strategy).toBe("three-session-tdd-lite");
    expect(chooseStrategy(auth, "simple", tdd).strategy).toBe("tdd-simple");
  });

  test("a strategy written in prd.json wins over every rule", () => {
    const story = makeStory({ title: "Auth tokens", routing: { complexity: "simple", testStrategy: "test-after" } });
    expect(strategyFor(story, "simple", defaults)).toBe("test-after");
  });
});
