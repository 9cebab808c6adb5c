/**
 * One routing decision, shown the same everywhere: in every routing strategy,
 * the decision the run's routing step made (routing:completed), the tier and
 * complexity of the first attempt (story:started), `nax status -f` and the dry
 * run after it agree, for the story that ran and for the one still to run.
 */
import { describe, expect, test } from "bun:test";
import { createTestProject } from "../helpers/project";
import { useSdkRoutingMock } from "../helpers/sdk-routing";

const sdk = useSdkRoutingMock();

type Strategy = "keyword" | "manual" | "llm";

const stories = (strategy: Strategy) => [
  {
    id: "US-001",
    title: "Add OAuth login",
    acceptanceCriteria: ["a user signs in with the provider"],
    ...(strategy === "manual" ? { routing: { complexity: "medium" } } : {}),
  },
  {
    id: "US-002",
    title: "Fix the footer typo",
    acceptanceCriteria: ["the footer reads Copyright"],
    ...(strategy === "manual" ? { routing: { complexity: "expert" } } : {}),
  },
];

interface Line {
  type: string;
  data: Record<string, unknown>;
}

async function runOnce(strategy: Strategy) {
  sdk.mock().setScenario({
    turns: [],
    sdk: [
      {
        text: JSON.stringify({
          stories: [
            { id: "US-001", complexity: "simple", testStrategy: "test-after", reasoning: "small" },
            { id: "US-002", complexity: "complex", testStrategy: "test-first", reasoning: "tricky" },
          ],
        }),
      },
    ],
  });
  const p = await createTestProject({
    stories: stories(strategy),
    config: { routing: { strategy }, quality: { commands: { test: "true" } } },
    script: { default: { actions: [{ append: { path: "src/work.txt", content: "done\n" } }] } },
  });
  sdk.track(p);
  const sys = sdk.sysFor(p);
  const run = await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys });
  const logs = await p.nax(["logs", "-f", "demo", "--json"]);
  const lines = logs.out
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const status = JSON.parse((await p.nax(["status", "-f", "demo", "--json"])).out);
  const dry = JSON.parse((await p.nax(["run", "-f", "demo", "--dry-run", "--json"])).out);
  return { run, lines, status, dry };
}

describe.each(["keyword", "manual", "llm"] as const)("with routing.strategy %s", (strategy) => {
  test("routing:completed, story:started, nax status -f and the dry run show one decision", async () => {
    const { lines, status, dry } = await runOnce(strategy);
    const routed = lines.find((l) => l.type === "routing:completed");
    const decisions = new Map(
      ((routed?.data.decisions ?? []) as { storyId: string; tier: string; complexity: string }[]).map((d) => [
        d.storyId,
        d,
      ]),
    );
    expect([...decisions.keys()]).toEqual(["US-001", "US-002"]);
    const started = lines.find((l) => l.type === "story:started" && l.data.storyId === "US-001");
    expect(started?.data).toMatchObject({
      tier: decisions.get("US-001")?.tier,
      complexity: decisions.get("US-001")?.complexity,
    });
    const rows = new Map(
      (status.feature.stories as { id: string; tier: string; complexity: string }[]).map((r) => [r.id, r]),
    );
    const planned = new Map((dry.stories as { id: string; tier: string; complexity: string }[]).map((s) => [s.id, s]));
    for (const id of ["US-001", "US-002"]) {
      const decision = decisions.get(id);
      expect(rows.get(id)).toMatchObject({ tier: decision?.tier, complexity: decision?.complexity });
    }
    const pending = decisions.get("US-002");
    expect(planned.get("US-002")).toMatchObject({ tier: pending?.tier, complexity: pending?.complexity });
    if (strategy === "manual") expect(pending?.complexity).toBe("expert");
    if (strategy === "llm") expect(pending?.complexity).toBe("complex");
  });
});
