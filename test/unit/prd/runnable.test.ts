import { describe, expect, test } from "bun:test";
import { findKeyTypos } from "../../../src/prd/key-typos";
import { findRunProblems } from "../../../src/prd/runnable";
import { type Prd, PrdSchema } from "../../../src/prd/schema";
import { isTemplateSpec, prdTemplate, specTemplate } from "../../../src/prd/template";

const prdOf = (stories: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): Prd =>
  PrdSchema.parse({ project: "p", feature: "f", ...extra, userStories: stories.map((s) => ({ title: "t", ...s })) });

describe("findRunProblems", () => {
  test("a PRD with no stories cannot run", () => {
    expect(findRunProblems(prdOf([]))).toEqual([
      "userStories: the PRD has no stories; add at least one (id, title, description, acceptanceCriteria)",
    ]);
  });

  test("the template is recognised, also when only part of it was edited", () => {
    const template = prdTemplate("p", "f", "2026-03-07T00:00:00.000Z");
    expect(findRunProblems(template)[0]).toContain("edit the template first");
    const half = { ...template, userStories: [{ ...template.userStories[0]!, title: "Real title" }] };
    expect(findRunProblems(half)[0]).toContain("(description, acceptanceCriteria[0], acceptanceCriteria[1])");
  });

  test("a story without acceptance criteria, or only blank ones, is named", () => {
    const prd = prdOf([
      { id: "A", acceptanceCriteria: ["x"] },
      { id: "B", acceptanceCriteria: [" "] },
    ]);
    expect(findRunProblems(prd)).toEqual([
      "userStories[1] (B).acceptanceCriteria: story B has no acceptance criteria; add at least one behaviour a test can check",
    ]);
  });
});

test("a pending story's own routing.modelTier must be a tier of models; a passed story's old tier does not matter", () => {
  const prd = prdOf([
    { id: "A", acceptanceCriteria: ["x"], routing: { modelTier: "balancd" } },
    { id: "B", acceptanceCriteria: ["x"], status: "passed", routing: { modelTier: "gone" } },
  ]);
  expect(findRunProblems(prd, ["fast", "balanced", "powerful"])).toEqual([
    'userStories[0] (A).routing.modelTier: "balancd" is not a tier in models; did you mean "balanced"?',
  ]);
});

describe("findKeyTypos", () => {
  test("warns about near-typos of known keys in stories and at the top, and stays quiet about other tools' keys", () => {
    const prd = prdOf([{ id: "A", dependecies: [], acceptanceCriterias: ["x"], jira: "J-1" }], { branchname: "x" });
    expect(findKeyTypos(prd, "prd.json")).toEqual([
      'prd.json: unknown key "branchname"; did you mean "branchName"? (kept as written; nax ignores it)',
      'prd.json: userStories[0] (A): unknown key "dependecies"; did you mean "dependencies"? (kept as written; nax ignores it)',
      'prd.json: userStories[0] (A): unknown key "acceptanceCriterias"; did you mean "acceptanceCriteria"? (kept as written; nax ignores it)',
    ]);
  });
});

describe("spec.md template", () => {
  test("the written spec is recognised as the template; an edited one is not", () => {
    expect(isTemplateSpec(specTemplate("auth"))).toBe(true);
    expect(isTemplateSpec("# auth\n\n")).toBe(true);
    expect(isTemplateSpec("# auth\n\nUsers log in with a magic link.\n")).toBe(false);
  });
});
