import { describe, expect, test } from "bun:test";
import { parsePlanAnswer } from "../../../src/plan/answer";
import type { Prd } from "../../../src/prd/schema";

const target = { project: "shop", feature: "cart", nowIso: "2026-01-02T03:04:05.000Z", schemaPointer: "s.json" };
const story = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Story ${id}`,
  description: "what and why",
  acceptanceCriteria: [`${id} works`],
  ...extra,
});
const answer = (stories: unknown[]) => JSON.stringify({ userStories: stories });
const problemsOf = (text: string) => {
  const parsed = parsePlanAnswer(text, target);
  return parsed.ok ? [] : parsed.problems;
};

describe("the planner's answer", () => {
  test("a JSON answer inside a code fence becomes a PRD of pending stories with criterion ids", () => {
    const text = `Here it is:\n\`\`\`json\n${answer([story("US-001"), story("US-002", { dependencies: ["US-001"] })])}\n\`\`\``;
    const parsed = parsePlanAnswer(text, target);
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.prd).toMatchObject({ $schema: "s.json", project: "shop", feature: "cart", createdAt: target.nowIso });
    expect(parsed.prd.userStories.map((s) => [s.id, s.status, s.attempts, s.acceptanceCriteriaIds])).toEqual([
      ["US-001", "pending", 0, ["AC-1"]],
      ["US-002", "pending", 0, ["AC-1"]],
    ]);
    expect(parsed.prd.userStories[1]?.dependencies).toEqual(["US-001"]);
  });

  test("fields a planner may not set (status, attempts, routing) are dropped", () => {
    const parsed = parsePlanAnswer(
      answer([story("US-001", { status: "passed", attempts: 3, routing: { modelTier: "powerful" } })]),
      target,
    );
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.prd.userStories[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(parsed.prd.userStories[0]?.routing).toBeUndefined();
  });

  test("an answer without a JSON object, or with broken JSON, is refused saying so", () => {
    expect(problemsOf("I could not do it.")).toEqual([
      "(answer): the answer holds no JSON object; answer with one JSON object",
    ]);
    expect(problemsOf('{"userStories": [}')[0]).toStartWith("(answer): the answer is not valid JSON");
  });

  test("a story without acceptance criteria, or with an empty one, is refused with its path", () => {
    expect(problemsOf(answer([story("US-001", { acceptanceCriteria: [] })]))).toEqual([
      "userStories[0].acceptanceCriteria: every story needs at least one acceptance criterion: a behaviour a test can check",
    ]);
    expect(problemsOf(answer([story("US-001", { acceptanceCriteria: ["  "] })]))).toEqual([
      "userStories[0].acceptanceCriteria[0]: an acceptance criterion may not be empty",
    ]);
  });

  test("duplicate ids, unknown dependencies and dependency cycles are refused as the PRD loader would", () => {
    expect(problemsOf(answer([story("US-001"), story("US-001")]))).toEqual([
      'userStories[1].id: duplicate story id "US-001" (also userStories[0]); give each story its own id',
    ]);
    expect(problemsOf(answer([story("US-001", { dependencies: ["US-009"] })]))).toEqual([
      'userStories[0].dependencies[0]: "US-009" is not a story id in this PRD',
    ]);
    const cycle = problemsOf(answer([story("A", { dependencies: ["B"] }), story("B", { dependencies: ["A"] })]));
    expect(cycle).toEqual(["userStories: dependency cycle A -> B -> A; remove one of these dependencies"]);
  });

  test("no stories, a bad story id and the template's placeholder text are refused", () => {
    expect(problemsOf(answer([]))).toEqual(["userStories: the answer has no stories; a PRD needs at least one"]);
    expect(problemsOf(answer([story("US 1")]))[0]).toStartWith("userStories[0].id: story ids may use only");
    const template = story("US-001", { title: "Example: replace this story with your first one" });
    expect(problemsOf(answer([template]))[0]).toContain("still the template from `nax features create` (title)");
  });

  test("a re-plan keeps the previous PRD's criterion ids for unchanged texts, its createdAt and its project", () => {
    const previous: Prd = {
      project: "old-name",
      feature: "cart",
      createdAt: "2025-12-31T00:00:00.000Z",
      userStories: [
        {
          ...story("US-001", { acceptanceCriteria: ["shows the total", "says when empty"] }),
          acceptanceCriteriaIds: ["AC-1", "AC-2"],
          status: "pending",
          attempts: 0,
        },
      ],
    };
    const next = answer([story("US-001", { acceptanceCriteria: ["says when empty", "shows the tax"] })]);
    const parsed = parsePlanAnswer(next, { ...target, previous });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.prd).toMatchObject({ project: "old-name", createdAt: "2025-12-31T00:00:00.000Z" });
    expect(parsed.prd.userStories[0]?.acceptanceCriteriaIds).toEqual(["AC-2", "AC-3"]);
  });
});
