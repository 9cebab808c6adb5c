import { describe, expect, test } from "bun:test";
import { classifyByKeywords } from "../../../src/routing/keyword";
import { makeStory } from "../pipeline/helpers";

describe("classifyByKeywords", () => {
  test("a copy change is simple and tested after", () => {
    const result = classifyByKeywords(
      makeStory({ title: "Fix typo in the footer text", description: "", acceptanceCriteria: [] }),
    );
    expect(result.complexity).toBe("simple");
    expect(result.testStrategy).toBe("test-after");
    expect(result.reasoning).toContain("typo");
  });

  test("an endpoint with validation is medium", () => {
    const result = classifyByKeywords(
      makeStory({ title: "Add a signup endpoint", description: "Validate the email field", acceptanceCriteria: [] }),
    );
    expect(result.complexity).toBe("medium");
    expect(result.reasoning).toContain("endpoint");
  });

  test("authentication work is complex and gets three-session TDD, and the reasoning says why", () => {
    const result = classifyByKeywords(
      makeStory({
        title: "Add OAuth login",
        description: "Authenticate users with JWT tokens",
        acceptanceCriteria: [],
      }),
    );
    expect(result.complexity).toBe("complex");
    expect(result.testStrategy).toBe("three-session-tdd");
    expect(result.reasoning).toMatch(/oauth|jwt|authenticat/);
  });

  test("distributed consensus is expert", () => {
    const result = classifyByKeywords(
      makeStory({ title: "Raft consensus for distributed locks", acceptanceCriteria: [] }),
    );
    expect(result.complexity).toBe("expert");
  });

  test("words match whole: an author field is not auth work", () => {
    const result = classifyByKeywords(
      makeStory({ title: "Show the author name", description: "", acceptanceCriteria: [] }),
    );
    expect(result.complexity).toBe("simple");
    expect(result.testStrategy).toBe("test-after");
  });

  test("many acceptance criteria raise the complexity even without keywords", () => {
    const criteria = Array.from({ length: 9 }, (_, i) => `the widget shows item ${i}`);
    const result = classifyByKeywords(
      makeStory({ title: "Widget list", description: "", acceptanceCriteria: criteria }),
    );
    expect(result.complexity).toBe("complex");
    expect(result.reasoning).toContain("9 acceptance criteria");
  });

  test("tags count as story text", () => {
    const result = classifyByKeywords(
      makeStory({ title: "Tidy module", description: "", acceptanceCriteria: [], tags: ["security"] }),
    );
    expect(result.complexity).toBe("complex");
  });
});
