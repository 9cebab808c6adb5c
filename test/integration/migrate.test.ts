import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "../../src/config/schema";
import { HooksFileSchema } from "../../src/state/hooks-file";
import { createTestProject, type TestProject } from "../helpers/project";

const FIXTURES = join(import.meta.dir, "..", "fixtures", "reference-0.22");
const PRD_PATH = "nax/features/auth/prd.json";

let project: TestProject;

async function useReferenceFiles(files: ("config" | "hooks" | "prd")[]): Promise<void> {
  for (const file of files) {
    const text = await readFile(join(FIXTURES, `${file}.json`), "utf8");
    const target = file === "prd" ? PRD_PATH : `nax/${file}.json`;
    await project.writeText(target, text);
  }
}

beforeEach(async () => {
  project = await createTestProject({
    feature: "auth",
    stories: [{ id: "US-001", title: "placeholder", acceptanceCriteria: ["x"] }],
    config: { quality: { commands: { test: "true" } } },
  });
});
afterEach(async () => {
  await project.cleanup();
});

describe("a nax 0.22 project", () => {
  test("its config is refused with a pointer to nax migrate for every 0.22 key", async () => {
    await useReferenceFiles(["config"]);
    const result = await project.nax(["run", "-f", "auth", "--dry-run"]);
    expect(result.code).toBe(2);
    for (const key of [
      "models.fast.provider",
      "autoMode.enabled",
      "routing.adaptive",
      "execution.lintCommand",
      "tdd",
    ]) {
      expect(result.err).toContain(`${key}: this is a nax 0.22 key; run \`nax migrate\``);
    }
  });

  test("nax migrate converts config, hooks and prd in place with backups, and the run then starts", async () => {
    await useReferenceFiles(["config", "hooks", "prd"]);
    const originalConfig = await readFile(join(project.dir, "nax", "config.json"), "utf8");
    const result = await project.nax(["migrate"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("moved execution.lintCommand -> quality.commands.lint");
    expect(result.out).toContain("dropped models.fast.provider");
    expect(result.out).toContain("dropped tdd:");
    expect(result.out).toContain("moved userStories[0].relevantFiles -> userStories[0].contextFiles");
    expect(await readFile(join(project.dir, "nax", "config.json.nax-0.22.bak"), "utf8")).toBe(originalConfig);

    const config = ConfigSchema.parse(await project.readJson("nax/config.json"));
    expect(config.quality.commands.lint).toBe("true");
    expect(config.models.fast).toBe("haiku");
    expect(config.execution.smartTestRunner.enabled).toBe(true);
    expect(config.execution.costLimit).toBe(5);
    const hooks = HooksFileSchema.parse(await project.readJson("nax/hooks.json"));
    expect(hooks.hooks["on-start"]).toEqual([
      { command: ["sh", "-c", "echo started >> hook.log"], timeoutMs: 5000, enabled: true },
    ]);
    const prd = await project.readJson<{ userStories: Record<string, unknown>[] }>(PRD_PATH);
    expect(prd.userStories[0]?.contextFiles).toEqual(["src/login.ts"]);
    expect(prd.userStories[0]?.priorFailures).toEqual([
      expect.objectContaining({
        tier: "fast",
        at: "2026-03-01T10:00:00.000Z",
        failingTests: ["test/login.test.ts > posts the form"],
      }),
    ]);

    const dry = await project.nax(["run", "-f", "auth", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("complex -> powerful");
    const again = await project.nax(["migrate"]);
    expect(again.out).toContain("nax/config.json: already in nax's format");
  });

  test("a prd.json in the 0.22 shapes loads as it is: its top-level complexity routes the story", async () => {
    await useReferenceFiles(["prd"]);
    const dry = await project.nax(["run", "-f", "auth", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("US-001  pending  complex -> powerful");
  });

  test("--dry-run prints the changes and writes nothing", async () => {
    await useReferenceFiles(["config", "hooks"]);
    const before = await project.snapshot();
    const result = await project.nax(["migrate", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("dry run: nothing written");
    expect(await project.snapshot()).toEqual(before);
  });

  test("a file still invalid after conversion (a typo nax cannot know) is left untouched, exit 2", async () => {
    const reference = JSON.parse(await readFile(join(FIXTURES, "config.json"), "utf8"));
    reference.execution.maxIteratoins = 3;
    await project.writeText("nax/config.json", JSON.stringify(reference));
    const before = await readFile(join(project.dir, "nax", "config.json"), "utf8");
    const result = await project.nax(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.out).toContain("still invalid after conversion");
    expect(result.out).toContain("maxIteratoins");
    expect(await readFile(join(project.dir, "nax", "config.json"), "utf8")).toBe(before);
  });

  test("migrate is refused while a live run holds the lock", async () => {
    await useReferenceFiles(["config"]);
    const lock = { pid: process.pid, hostname: hostname(), runId: "run-x", feature: "auth", startedAt: "now" };
    await writeFile(join(project.dir, "nax.lock"), JSON.stringify(lock));
    const result = await project.nax(["migrate"]);
    expect(result.code).toBe(3);
    expect(result.err).toContain("holds the lock");
  });

  test("a hooks file in the 0.22 shape is refused with the right shape and the migrate hint", async () => {
    await useReferenceFiles(["hooks"]);
    const result = await project.nax(["run", "-f", "auth", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('expected {"hooks": {"<hook name>": [{"command": ["program"');
    expect(result.err).toContain("nax 0.22 hooks file; run `nax migrate`");
  });
});
