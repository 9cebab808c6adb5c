import { afterEach, describe, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventLineSchema } from "../../src/state/event-line";
import { RunMetaSchema } from "../../src/state/run-meta";
import { StatusFileSchema } from "../../src/state/status-file";
import { createTestProject, exists, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** A project whose tests always fail, so every attempt ends in escalation and only limits stop the run. */
function failingProject(config: Record<string, unknown> = {}) {
  return createTestProject({
    stories: [{ id: "US-001", title: "an impossible story" }],
    files: { "check.sh": "echo nope\nexit 1\n" },
    config: {
      quality: { commands: { test: "sh check.sh" } },
      execution: { rectification: { maxRetries: 0 }, regressionGate: { mode: "disabled" } },
      ...config,
    },
  });
}

async function logLines(p: TestProject, runId: string) {
  const text = await readFile(join(p.dir, "nax/features/demo/runs", `${runId}.jsonl`), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => EventLineSchema.parse(JSON.parse(line)));
}

describe("run limits", () => {
  test("the iteration limit ends the run failed with an exit reason, never left running (trap 16)", async () => {
    project = await failingProject();
    const result = await project.nax(["run", "-f", "demo", "--skip-precheck", "--max-iterations", "2"]);
    expect(result.code).toBe(1);
    for (const path of ["nax/status.json", "nax/features/demo/status.json"]) {
      const status = StatusFileSchema.parse(await project.readJson(path));
      expect(status.run.status).toBe("failed");
      expect(status.run.exitReason).toBe("iteration limit reached (maxIterations 2)");
    }
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });

  test("one run id names the status, the event log file and the registry entry", async () => {
    project = await failingProject();
    await project.nax(["run", "-f", "demo", "--skip-precheck", "--max-iterations", "1"]);
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    const runId = status.run.id;
    expect(await readdir(join(project.dir, "nax/features/demo/runs"))).toEqual([`${runId}.jsonl`]);
    const [entry] = (await readdir(join(project.home, "runs"))).filter((name) => name !== "index.jsonl");
    const meta = RunMetaSchema.parse(
      JSON.parse(await readFile(join(project.home, "runs", entry as string, "meta.json"), "utf8")),
    );
    expect(meta.runId).toBe(runId);
    expect(entry).toBe(`project-demo-${runId}`);
    expect(new Set((await logLines(project, runId)).map((l) => l.runId))).toEqual(new Set([runId]));
  });

  test("without --max-iterations the config's maxIterations applies, not a CLI default", async () => {
    project = await failingProject({ execution: { maxIterations: 1, rectification: { maxRetries: 0 } } });
    const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
    expect(result.code).toBe(1);
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    expect(status.run.exitReason).toBe("iteration limit reached (maxIterations 1)");
    expect(status.iterations).toBe(1);
  });

  test("an explicit --max-iterations overrides the config", async () => {
    project = await failingProject({ execution: { maxIterations: 1, rectification: { maxRetries: 0 } } });
    await project.nax(["run", "-f", "demo", "--skip-precheck", "--max-iterations", "3"]);
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    expect(status.run.exitReason).toBe("iteration limit reached (maxIterations 3)");
    expect(status.iterations).toBe(3);
  });

  test("the cost limit stops the run before the next story with an exit reason", async () => {
    project = await failingProject({ execution: { costLimit: 0.015, rectification: { maxRetries: 0 } } });
    await project.setScript({ default: { result: { total_cost_usd: 0.01 } } });
    const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
    expect(result.code).toBe(1);
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    expect(status.run.status).toBe("failed");
    expect(status.run.exitReason).toContain("cost limit");
    expect(status.cost.spent).toBeGreaterThanOrEqual(0.015);
  });
});
