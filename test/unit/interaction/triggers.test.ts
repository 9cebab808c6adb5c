import { describe, expect, test } from "bun:test";
import { createCostGate } from "../../../src/interaction/cost-gate";
import { createLandingQuestions } from "../../../src/interaction/landing";
import type { Answer, QuestionInput } from "../../../src/interaction/question";
import { securitySensitivity } from "../../../src/interaction/triggers";
import type { PipelineOutcome } from "../../../src/pipeline/pipeline";
import { makeConfig, makeContext, makeStory } from "../pipeline/helpers";

/** An `ask` that answers from a list and records every question. */
function scriptedAsk(choices: string[], source: Answer["source"] = "answered") {
  const asked: QuestionInput[] = [];
  const ask = async (q: QuestionInput): Promise<Answer> => {
    asked.push(q);
    return { questionId: `q-${asked.length}`, choice: choices.shift() ?? q.fallback, source };
  };
  return { ask, asked };
}

const passed = (ctx: ReturnType<typeof makeContext>["ctx"]): PipelineOutcome => ({
  kind: "passed",
  reason: "all checks passed",
  stage: "completion",
  state: ctx.state,
});
const conflict = (ctx: ReturnType<typeof makeContext>["ctx"]): PipelineOutcome => ({
  kind: "fail",
  reason: "merge-conflict: the story's changes conflict in a.txt; its branch US-001 is kept",
  stage: "completion",
  state: { ...ctx.state, failureCategory: "merge-conflict" },
});

describe("security sensitivity", () => {
  const triggers = makeConfig({ interaction: { triggers: { securityKeywords: ["auth", "crypto"] } } }).interaction
    .triggers;

  test("a configured tag makes a story security-sensitive, in any case", () => {
    expect(securitySensitivity(makeStory({ tags: ["Security"] }), triggers)).toBe("tagged Security");
  });

  test("a keyword counts only as a whole word of the title or description", () => {
    expect(securitySensitivity(makeStory({ title: "add auth to the API" }), triggers)).toBe('mentions "auth"');
    expect(securitySensitivity(makeStory({ title: "show the author's name" }), triggers)).toBeUndefined();
  });
});

describe("the questions around the merge queue", () => {
  const config = makeConfig({ interaction: { triggers: { securityReview: true, mergeConflict: true } } });

  test("a security-tagged story is asked about with its lane; approve lets it merge, reject fails it naming the question", async () => {
    const { ctx } = makeContext({ config, story: makeStory({ tags: ["security"] }) });
    const approving = scriptedAsk(["approve"]);
    expect(await createLandingQuestions(approving.ask).beforeMerge({ ...ctx, lane: 2 }, passed(ctx))).toBeUndefined();
    expect(approving.asked[0]).toMatchObject({
      kind: "security-review",
      storyId: "US-001",
      lane: 2,
      fallback: "reject",
    });
    const rejected = await createLandingQuestions(scriptedAsk(["reject"]).ask).beforeMerge(ctx, passed(ctx));
    expect(rejected).toMatchObject({
      kind: "fail",
      reason: "security review: rejected (the answer to q-1); its work is kept",
    });
  });

  test("a story that is not security-sensitive is never asked about", async () => {
    const { ctx } = makeContext({ config });
    const script = scriptedAsk([]);
    expect(await createLandingQuestions(script.ask).beforeMerge(ctx, passed(ctx))).toBeUndefined();
    expect(script.asked).toEqual([]);
  });

  test("an unresolved conflict is asked about: retry re-runs it, skip skips it, fail keeps the failure", async () => {
    const { ctx } = makeContext({ config });
    const questions = createLandingQuestions(scriptedAsk(["retry", "skip", "fail"]).ask);
    expect((await questions.afterConflict(ctx, conflict(ctx))).kind).toBe("escalate");
    expect((await questions.afterConflict(ctx, conflict(ctx))).kind).toBe("skip");
    expect(await questions.afterConflict(ctx, conflict(ctx))).toEqual(conflict(ctx));
  });

  test("with the merge-conflict trigger off, a conflict fails as before and nothing is asked", async () => {
    const { ctx } = makeContext({ config: makeConfig() });
    const script = scriptedAsk(["retry"]);
    expect(await createLandingQuestions(script.ask).afterConflict(ctx, conflict(ctx))).toEqual(conflict(ctx));
    expect(script.asked).toEqual([]);
  });
});

describe("the cost question", () => {
  const config = makeConfig({ interaction: { triggers: { costShare: 0.8 } } });

  test("is asked once the spend reaches the share, and `continue` is never asked again", async () => {
    let spent = 7;
    const script = scriptedAsk(["continue"]);
    const gate = createCostGate(config, { spent: () => spent, limit: 10 }, script.ask);
    expect(await gate?.()).toBeUndefined();
    expect(script.asked).toEqual([]);
    spent = 8;
    expect(await gate?.()).toBeUndefined();
    spent = 9;
    expect(await gate?.()).toBeUndefined();
    expect(script.asked.map((q) => [q.kind, q.choices])).toEqual([["cost-threshold", ["continue", "stop"]]]);
  });

  test("a fallback `stop` starts no further story and says it was the fallback", async () => {
    const gate = createCostGate(config, { spent: () => 9, limit: 10 }, scriptedAsk(["stop"], "fallback").ask);
    expect(await gate?.()).toBe("stopped at 80% of the cost limit by the fallback of q-1");
    expect(await gate?.()).toBe("stopped at 80% of the cost limit by the fallback of q-1");
  });

  test("without costShare there is no cost question", () => {
    expect(createCostGate(makeConfig(), { spent: () => 100, limit: 10 }, scriptedAsk([]).ask)).toBeUndefined();
  });
});
