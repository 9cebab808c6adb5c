/**
 * The evidence ledger against the real loop: a story's gate runs, sessions,
 * guards and commits are written as events, read back by `nax status -f
 * --story` (text and --json) and `nax diagnose`, and the merged commit is
 * proven by a green gate.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { StoryLedger } from "../../src/readers/ledger";
import { createTestProject, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function oneStory(actions: Array<{ append: { path: string; content: string } } | { run: string }>) {
  project = await createTestProject({
    stories: [{ id: "US-001", title: "Multiply" }],
    files: {
      "src/math.ts": "export const x = 1;\n",
      "test/math.test.ts": 'test("a", () => {\n  expect(1).toBe(1);\n});\n',
    },
    config: {
      quality: { commands: { test: "echo '3 pass'; echo '0 fail'" } },
      autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
    },
    script: { default: { actions } },
  });
  await project.nax(["run", "-f", "demo", "--skip-precheck"]);
  return project;
}

describe("the evidence ledger", () => {
  test("a passed story's ledger shows its green verify on the final edit, its session, its guards and a proven merged commit", async () => {
    const p = await oneStory([{ append: { path: "src/math.ts", content: "export const y = 2;\n" } }]);
    const json = await p.nax(["status", "-f", "demo", "--story", "US-001", "--json"]);
    expect(json.code).toBe(0);
    const ledger = JSON.parse(json.out) as StoryLedger;
    expect(ledger.gates.map((g) => [g.gate, g.passed, g.exitCode, g.edit])).toEqual([["verify", true, 0, 1]]);
    expect(ledger.gates[0]?.command).toContain("echo");
    expect(ledger.sessions).toMatchObject([
      { role: "implement", tier: "fast", model: "haiku", diff: { files: 1, insertions: 1, deletions: 0 } },
    ]);
    expect(ledger.guards[0]?.results.every((r) => r.passed)).toBe(true);
    expect(ledger.seals.map((s) => [s.where, s.provenBy])).toEqual([
      ["attempt", "verify"],
      ["merged", "verify"],
    ]);
    expect(ledger.verdict).toMatchObject({ green: true, provenBy: "verify" });
    expect(ledger.verdict?.commit).toBe(p.git(["rev-parse", "HEAD"]).trim());
    const text = await p.nax(["status", "-f", "demo", "--story", "US-001"]);
    expect(text.out).toContain("Evidence ledger of US-001");
    expect(text.out).toContain("verify (full) green exit 0, 3 passed, 0 failed");
    expect(text.out).toContain("implement on fast (haiku)");
    expect(text.out).toContain("1 file(s) +1 -0 since the base");
    expect(text.out).toContain("has a green verify gate");
  });

  test("a cheating attempt's ledger shows the tripped guard with its evidence, in status and in diagnose", async () => {
    const p = await oneStory([
      { append: { path: "src/math.ts", content: "export const y = 2;\n" } },
      { run: 'sed -i \'s/test("a"/test.skip("a"/\' test/math.test.ts' },
    ]);
    const text = await p.nax(["status", "-f", "demo", "--story", "US-001"]);
    expect(text.out).toContain("skippedTests TRIPPED");
    expect(text.out).toContain("test/math.test.ts:1: added .skip");
    expect(text.out).toContain("Verdict: not merged");
    const diagnose = await p.nax(["diagnose", "-f", "demo", "--json"]);
    const report = JSON.parse(diagnose.out) as { findings: Array<{ pattern: string; evidence: string[] }> };
    const finding = report.findings.find((f) => f.pattern === "test-integrity");
    expect(finding?.evidence.some((line) => line.includes("ledger: guard skippedTests tripped"))).toBe(true);
  });

  test("--story without a feature is a usage error naming the fix", async () => {
    const p = await oneStory([{ append: { path: "src/math.ts", content: "export const y = 2;\n" } }]);
    const result = await p.nax(["status", "--story", "US-001"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("nax status -f <feature> --story <id>");
  });
});
