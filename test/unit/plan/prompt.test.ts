import { describe, expect, test } from "bun:test";
import { buildPlanPrompt, buildRetryPrompt, PLAN_HEADING, RETRY_HEADING } from "../../../src/plan/prompt";

const spec = {
  path: "nax/features/cart/spec.md",
  text: "# cart\n\nUsers keep items in a cart.\n",
  files: [{ path: "src/cart.ts", text: "export const cart = [];" }],
  notes: ["- src/missing.ts: not found"],
};

describe("the planning prompt", () => {
  test("holds the answer's JSON shape, the spec, the named files and the ones left out", () => {
    const prompt = buildPlanPrompt({ feature: "cart", spec });
    expect(prompt).toStartWith(`${PLAN_HEADING} cart`);
    expect(prompt).toContain('{"userStories": [{"id": "US-001"');
    expect(prompt).toContain("## Spec (nax/features/cart/spec.md)\n# cart\n\nUsers keep items in a cart.");
    expect(prompt).toContain("### src/cart.ts\n```\nexport const cart = [];\n```");
    expect(prompt).toContain("- src/missing.ts: not found");
    expect(prompt).not.toContain("## The current prd.json");
  });

  test("on a re-plan it lists the current stories and their criteria, asking to keep ids and words", () => {
    const current = {
      project: "p",
      feature: "cart",
      userStories: [
        {
          id: "US-001",
          title: "Show the cart",
          description: "",
          acceptanceCriteria: ["lists the items"],
          status: "pending" as const,
          attempts: 0,
        },
      ],
    };
    const prompt = buildPlanPrompt({ feature: "cart", spec, current });
    expect(prompt).toContain("## The current prd.json\nKeep a story's id");
    expect(prompt).toContain("- US-001: Show the cart\n  - lists the items");
  });

  test("the retry repeats the prompt with the refused answer and every validation error", () => {
    const first = buildPlanPrompt({ feature: "cart", spec });
    const retry = buildRetryPrompt(first, '{"userStories": []}', ["userStories: no stories", "other: problem"]);
    expect(retry).toStartWith(first);
    expect(retry).toContain(`${RETRY_HEADING}\n\nIt failed these checks:\n- userStories: no stories\n- other: problem`);
    expect(retry).toContain('Your answer was:\n```\n{"userStories": []}\n```');
  });
});
