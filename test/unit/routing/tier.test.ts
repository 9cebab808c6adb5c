import { describe, expect, test } from "bun:test";
import { initialTierFor } from "../../../src/routing/tier";
import { makeConfig, makeStory } from "../pipeline/helpers";

describe("initialTierFor", () => {
  test("maps the keyword complexity through autoMode.complexityRouting", () => {
    const config = makeConfig({ autoMode: { complexityRouting: { simple: "cheap", complex: "big" } } });
    expect(initialTierFor(makeStory({ title: "Fix typo", description: "", acceptanceCriteria: [] }), config)).toBe(
      "cheap",
    );
    expect(initialTierFor(makeStory({ title: "Add OAuth login", acceptanceCriteria: [] }), config)).toBe("big");
  });

  test("a complexity written in prd.json wins over the keywords", () => {
    const story = makeStory({ title: "Fix typo", routing: { complexity: "expert" } });
    expect(initialTierFor(story, makeConfig())).toBe("powerful");
  });

  test("an explicit routing.modelTier wins over any complexity", () => {
    const story = makeStory({ title: "Add OAuth login", routing: { complexity: "expert", modelTier: "fast" } });
    expect(initialTierFor(story, makeConfig())).toBe("fast");
  });
});
