import { describe, expect, test } from "bun:test";
import { buildRoutingPrompt, parseRoutingResponse } from "../../../src/routing/llm";
import { makeStory } from "../pipeline/helpers";

describe("LLM routing prompt and answer", () => {
  test("the prompt names the story and asks for JSON only", () => {
    const prompt = buildRoutingPrompt(makeStory());
    expect(prompt).toContain("Story US-001: Greet the user by name");
    expect(prompt).toContain("1. greet('Ada') returns 'Hello, Ada'");
    expect(prompt).toContain("JSON only");
  });

  test("reads a JSON answer wrapped in a code fence", () => {
    const parsed = parseRoutingResponse(
      'Sure:\n```json\n{"complexity":"medium","testStrategy":"test-after","reasoning":"one endpoint"}\n```',
    );
    expect(parsed).toEqual({
      ok: true,
      routing: { complexity: "medium", testStrategy: "test-after", reasoning: "one endpoint" },
    });
  });

  test("an unknown complexity is an error naming the field", () => {
    const parsed = parseRoutingResponse('{"complexity":"huge","testStrategy":"test-after"}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain("complexity");
  });

  test("prose without JSON is an error, not a guess", () => {
    expect(parseRoutingResponse("I think it is medium").ok).toBe(false);
    expect(parseRoutingResponse("{not json}").ok).toBe(false);
  });
});
