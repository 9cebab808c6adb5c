import { describe, expect, test } from "bun:test";
import { buildStoryPrompt } from "../../../src/prompt/story-prompt";
import { makeStory } from "../pipeline/helpers";

describe("buildStoryPrompt", () => {
  test("opens with the task heading, then description and numbered acceptance criteria", () => {
    const prompt = buildStoryPrompt({ story: makeStory(), priorFailures: [] });
    expect(prompt).toStartWith("# Task: US-001 — Greet the user by name\n");
    const description = prompt.indexOf("## Description\nShow a greeting");
    const criteria = prompt.indexOf(
      "## Acceptance criteria\nAC-1: greet('Ada') returns 'Hello, Ada'\nAC-2: an empty name",
    );
    expect(description).toBeGreaterThan(0);
    expect(criteria).toBeGreaterThan(description);
    expect(prompt).not.toContain("## Prior failures");
  });

  test("carries prior failures with attempt, tier, stage, summary and failing tests, before the context", () => {
    const prompt = buildStoryPrompt({
      story: makeStory(),
      priorFailures: [
        {
          attempt: 2,
          tier: "fast",
          stage: "rectify",
          summary: "tests still failing after 2 rounds",
          failingTests: ["greet > empty name"],
        },
      ],
      contextText: "Feature: greeting",
    });
    const failures = prompt.indexOf("## Prior failures");
    expect(failures).toBeGreaterThan(prompt.indexOf("## Acceptance criteria"));
    expect(prompt).toContain("### Attempt 2 (tier fast, stage rectify)\ntests still failing after 2 rounds");
    expect(prompt).toContain("Failing tests:\n  - greet > empty name");
    expect(prompt.indexOf("## Context\nFeature: greeting")).toBeGreaterThan(failures);
  });

  test("ends with the rules: the repo, the criteria, the tests, no weakened tests, nax commits", () => {
    const prompt = buildStoryPrompt({ story: makeStory(), priorFailures: [], testCommand: "bun test" });
    const rules = prompt.slice(prompt.indexOf("## Rules"));
    expect(rules).toContain("Work in this repository");
    expect(rules).toContain("Make every acceptance criterion above true");
    expect(rules).toContain("`bun test`");
    expect(rules).toContain("Do not weaken, skip or delete tests");
    expect(rules).toContain("nax commits for you");
    expect(rules).toContain("nax/features/*/runs/");
  });

  test("a test-first strategy asks for failing tests before the implementation; test-after does not", () => {
    const firstPrompt = buildStoryPrompt({ story: makeStory(), priorFailures: [], testStrategy: "test-first" });
    expect(firstPrompt).toContain("## Approach: test first");
    expect(firstPrompt).toContain("see them fail");
    const afterPrompt = buildStoryPrompt({ story: makeStory(), priorFailures: [], testStrategy: "test-after" });
    expect(afterPrompt).not.toContain("test first");
    expect(afterPrompt).toContain("## Approach");
  });

  test("a story without criteria says so instead of printing an empty list", () => {
    const prompt = buildStoryPrompt({ story: makeStory({ acceptanceCriteria: [] }), priorFailures: [] });
    expect(prompt).toContain("## Acceptance criteria\n(none listed");
  });
});
