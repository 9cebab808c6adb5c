import { describe, expect, test } from "bun:test";
import { buildAutofixPrompt, buildRectifyPrompt } from "../../../src/prompt/repair-prompt";
import { failingTests, reviewResult, testResult } from "../../fakes/fake-test-runner";
import { makeStory } from "../pipeline/helpers";

describe("repair prompts", () => {
  test("the rectify prompt names each failing test with its message, its file and the command to run", () => {
    const verify = { ...failingTests("greet empty", "greet unicode"), command: "bun test test/greet.test.ts" };
    const prompt = buildRectifyPrompt({ story: makeStory(), verify, round: 1 });
    expect(prompt).toStartWith("# Task: US-001 — Greet the user by name");
    expect(prompt).toContain("1. greet empty (test/greet.test.ts)\nexpected greet empty to pass");
    expect(prompt).toContain("2. greet unicode");
    expect(prompt).toContain("## Run\n`bun test test/greet.test.ts`");
    expect(prompt).toContain("Fix the implementation; do not weaken or delete tests.");
  });

  test("when the output named no test, the rectify prompt shows the captured output instead", () => {
    const verify = testResult({ passed: false, failures: [], summary: "Segmentation fault", failedCount: 0 });
    const prompt = buildRectifyPrompt({ story: makeStory(), verify, round: 2 });
    expect(prompt).toContain("## Test output\nSegmentation fault");
  });

  test("the autofix prompt shows only the failing checks with their command and output", () => {
    const prompt = buildAutofixPrompt({ story: makeStory(), review: reviewResult({ lint: true, typecheck: false }) });
    expect(prompt).toContain("### typecheck: `tsc --noEmit`");
    expect(prompt).toContain("typecheck: 1 problem in src/a.ts");
    expect(prompt).not.toContain("### lint");
    expect(prompt).toContain("do not disable lint rules");
  });

  test("after a three-session strategy froze the tests, both repair prompts carry the implementer's role and the frozen files", () => {
    const frozenTests = ["test/greet.test.ts", "test/name.test.ts"];
    const verify = failingTests("greet empty");
    const review = reviewResult({ lint: false, typecheck: true });
    for (const prompt of [
      buildRectifyPrompt({ story: makeStory(), verify, round: 1, frozenTests }),
      buildAutofixPrompt({ story: makeStory(), review, frozenTests }),
    ]) {
      const [heading, role, rule] = prompt.split("\n");
      expect(heading).toBe("# Task: US-001 — Greet the user by name");
      expect(role).toBe("Role: implementer");
      expect(rule).toBe(
        "The tests are frozen: test/greet.test.ts, test/name.test.ts. Do not create, edit, rename or delete any test file; change the implementation.",
      );
    }
    // Without frozen tests (a single-session strategy) the heading stands alone, as before.
    expect(buildRectifyPrompt({ story: makeStory(), verify, round: 1 })).not.toContain("Role:");
  });
});
