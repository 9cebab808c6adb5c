/**
 * Diagnose tells the truth about test faults. A test command that is not
 * found stops the run after the first verification (no more agent sessions)
 * and is diagnosed `environmental` with the command and the fix; a test
 * command that hangs is a verification timeout whose fix is
 * `execution.verificationTimeoutSeconds`, not the agent's session timeout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestProject, type TestProject } from "../../helpers/project";
import { readStatus, readStories } from "../../helpers/read-run";

const WRITE = { default: { actions: [{ append: { path: "src/a.txt", content: "a\n" } }] } };

interface Finding {
  pattern: string;
  storyId: string | null;
  summary: string;
  fix: string;
}

async function diagnose(project: TestProject): Promise<{ findings: Finding[]; recommendations: string[] }> {
  return JSON.parse((await project.nax(["diagnose", "-f", "demo", "--json"])).out);
}

describe("a test command that is not installed (exit 127)", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      config: { quality: { commands: { test: "nax-no-such-runner --run" } } },
      script: WRITE,
    });
    // The in-run handling is under test: the precheck would refuse this suite before the first story.
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("stops the run after the first verification, spending no further agent session and no attempt", async () => {
    expect(code).toBe(1);
    expect(await project.claudeCalls()).toHaveLength(1);
    const stories = await readStories(project);
    expect(stories["US-001"]).toMatchObject({ status: "pending", attempts: 0 });
    expect(stories["US-002"]).toMatchObject({ status: "pending", attempts: 0 });
    const status = await readStatus(project);
    expect(status.run.status).toBe("failed");
    expect(status.run.exitReason).toContain(
      "the test command cannot run: `nax-no-such-runner --run` (not found, exit 127)",
    );
  });

  test("diagnose says environmental, with the command and the fix, not 'tiers exhausted'", async () => {
    const report = await diagnose(project);
    expect(report.findings.map((f) => f.pattern)).toEqual(["environmental"]);
    expect(report.findings[0]?.summary).toContain("nax-no-such-runner --run");
    expect(report.findings[0]?.fix).toContain("quality.commands.test");
    expect(JSON.stringify(report)).not.toContain("split the story");
  });
});

describe("a test command that hangs", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: {
        quality: { commands: { test: "sleep 30" } },
        execution: {
          verificationTimeoutSeconds: 0.5,
          rectification: { maxRetries: 0 },
          smartTestRunner: { enabled: false },
        },
        autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      },
      script: WRITE,
    });
    // The in-run handling is under test: the precheck would refuse this suite before the first story.
    await project.nax(["run", "-f", "demo", "--skip-precheck"]);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the failure is recorded as a verification timeout", async () => {
    const story = (await readStories(project))["US-001"];
    expect(story?.status).toBe("failed");
    expect(story?.priorFailures?.map((f) => f.category)).toEqual(["verification-timeout"]);
  });

  test("diagnose names the verification timeout and execution.verificationTimeoutSeconds, not the session timeout", async () => {
    const report = await diagnose(project);
    const finding = report.findings.find((f) => f.storyId === "US-001");
    expect(finding?.pattern).toBe("verification-timeout");
    expect(finding?.fix).toContain("execution.verificationTimeoutSeconds");
    expect(JSON.stringify(report)).not.toContain("sessionTimeoutSeconds");
  });
});
