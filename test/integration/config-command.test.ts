/** `nax config [--explain] [--json]`: the effective config and where each value came from. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, type TestProject } from "../helpers/project";

interface Explained {
  key: string;
  value: unknown;
  source: string;
  description: string;
}

describe("nax config", () => {
  let project: TestProject;
  let globalPath: string;
  let projectPath: string;

  beforeAll(async () => {
    project = await createTestProject();
    globalPath = join(project.home, "config.json");
    projectPath = join(project.dir, "nax", "config.json");
    // `nax init` writes every key; a user's own file names only what they change.
    await writeFile(projectPath, JSON.stringify({ execution: { maxIterations: 12 } }));
    await writeFile(globalPath, JSON.stringify({ execution: { costLimit: 7, maxIterations: 3 } }));
  });
  afterAll(async () => {
    await project.cleanup();
  });

  async function explain(args: string[] = []): Promise<Map<string, Explained>> {
    const result = await project.nax(["config", "--explain", "--json", ...args]);
    expect(result.code).toBe(0);
    return new Map((JSON.parse(result.out) as Explained[]).map((k) => [k.key, k]));
  }

  test("--explain shows a value set in NAX_HOME/config.json as coming from that file", async () => {
    const keys = await explain();
    expect(keys.get("execution.costLimit")).toMatchObject({ value: 7, source: globalPath });
    expect(keys.get("execution.costLimit")?.description).toContain("USD");
  });

  test("a project value overrides the global one and shows the project file", async () => {
    const keys = await explain();
    expect(keys.get("execution.maxIterations")).toMatchObject({ value: 12, source: projectPath });
    expect(keys.get("execution.sessionTimeoutSeconds")).toMatchObject({ value: 1800, source: "default" });
  });

  test("a nax run flag given to nax config shows as the command-line layer", async () => {
    const keys = await explain(["--cost-limit", "2.5"]);
    expect(keys.get("execution.costLimit")).toMatchObject({ value: 2.5, source: "command-line flags" });
  });

  test("without --explain it prints the effective config as JSON", async () => {
    const result = await project.nax(["config"]);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.out);
    expect(config.execution.costLimit).toBe(7);
    expect(config.execution.maxIterations).toBe(12);
    expect(config.routing.strategy).toBe("keyword");
  });

  test("the human --explain lists each key with its value, its layer and its description", async () => {
    const result = await project.nax(["config", "--explain"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`execution.costLimit = 7  [${globalPath}]`);
    expect(result.out).toContain("execution.maxIterations = 12");
    expect(result.out).toContain("quality.commands.lint = (not set)  [default]");
  });

  test("an invalid global config is refused with exit 2, naming the file", async () => {
    await writeFile(globalPath, JSON.stringify({ execution: { costLimt: 7 } }));
    try {
      const result = await project.nax(["config"]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(globalPath);
    } finally {
      await writeFile(globalPath, JSON.stringify({ execution: { costLimit: 7, maxIterations: 3 } }));
    }
  });
});

describe("nax config and secrets", () => {
  test("a secret in a tier's env is redacted in every view (trap 30)", async () => {
    const project = await createTestProject();
    try {
      const secret = "sk-ant-test-0123456789abcdef";
      await writeFile(
        join(project.dir, "nax", "config.json"),
        JSON.stringify({
          models: {
            fast: { model: "haiku", env: { ANTHROPIC_API_KEY: secret } },
            balanced: "sonnet",
            powerful: "opus",
          },
        }),
      );
      for (const args of [["config"], ["config", "--explain"], ["config", "--explain", "--json"]]) {
        const result = await project.nax(args);
        expect(result.code).toBe(0);
        expect(result.out).toContain("haiku");
        expect(result.out).not.toContain(secret);
      }
    } finally {
      await project.cleanup();
    }
  });
});
