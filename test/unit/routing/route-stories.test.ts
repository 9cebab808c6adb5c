import { describe, expect, test } from "bun:test";
import type { UserStory } from "../../../src/prd/schema";
import { routeStories, routingRecord } from "../../../src/routing/route-stories";
import { createKeywordRouter, type Router } from "../../../src/routing/router";
import { makeConfig, makeStory } from "../pipeline/helpers";

const config = makeConfig();

/** A keyword router that remembers which stories it was asked about. */
function countingRouter(routerConfig = config): Router & { asked: string[][] } {
  const inner = createKeywordRouter(routerConfig);
  const asked: string[][] = [];
  return {
    strategy: "keyword",
    asked,
    async decide(stories) {
      asked.push(stories.map((s) => s.id));
      return inner.decide(stories);
    },
  };
}

describe("routing every story once, before its first attempt", () => {
  test("only stories without a decision reach the router; done stories are not routed at all", async () => {
    const router = countingRouter();
    const stories = [
      makeStory({ id: "A" }),
      makeStory({ id: "B", status: "passed" }),
      makeStory({ id: "C", routing: { complexity: "expert" } }),
    ];
    const routed = await routeStories({ userStories: stories }, config, router);
    expect(router.asked).toEqual([["A"]]);
    expect(routed.decisions.get("C")).toMatchObject({ complexity: "expert", tier: "powerful", decidedBy: "prd" });
    expect([...routed.fresh.keys()]).toEqual(["A"]);
  });

  test("a persisted decision is reused on the next run, and made again once the story is edited", async () => {
    const router = countingRouter();
    const first = await routeStories({ userStories: [makeStory({ id: "A" })] }, config, router);
    const persisted: UserStory = makeStory({ id: "A", routing: routingRecord(first.decisions.get("A")!) });
    await routeStories({ userStories: [persisted] }, config, router);
    expect(router.asked).toEqual([["A"]]);
    await routeStories({ userStories: [{ ...persisted, title: "Now about security tokens" }] }, config, router);
    expect(router.asked).toEqual([["A"], ["A"]]);
  });

  test("changing the routing config routes again: the decision was made from the old one", async () => {
    const first = await routeStories({ userStories: [makeStory({ id: "A" })] }, config, countingRouter());
    const persisted = makeStory({ id: "A", routing: routingRecord(first.decisions.get("A")!) });
    const other = makeConfig({ autoMode: { complexityRouting: { simple: "balanced" } } });
    const router = countingRouter(other);
    const again = await routeStories({ userStories: [persisted] }, other, router);
    expect(router.asked).toEqual([["A"]]);
    expect(again.decisions.get("A")?.tier).toBe("balanced");
  });
});
