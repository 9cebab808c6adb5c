import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCli } from "../../src/cli/main";
import { ConfigSchema, defaultConfig } from "../../src/config/schema";
import { parsePrd } from "../../src/prd/load";
import { HooksFileSchema } from "../../src/state/hooks-file";
import { MAX_FEATURE_NAME_LENGTH, RUNTIME_GITIGNORE } from "../../src/state/paths";
import { createSys } from "../../src/system/sys";
import { captureIo } from "../helpers/project";

let root: string;
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function setup(withGit: boolean) {
  root = await mkdtemp(join(tmpdir(), "nax-init-"));
  const dir = join(root, "project");
  await mkdir(dir);
  if (withGit) spawnSync("git", ["init", "-q"], { cwd: dir });
  const sys = createSys({ env: { NAX_HOME: join(root, "home"), PATH: process.env.PATH }, naxHome: join(root, "home") });
  const nax = async (...args: string[]) => {
    const io = captureIo(sys, dir);
    const code = await runCli(["bun", "nax", ...args], io);
    return { code, out: io.stdout.join(""), err: io.stderr.join("") };
  };
  return { dir, nax };
}

describe("nax init", () => {
  test("writes only what it detected (no dump of defaults), the sample hooks, a runtime .gitignore and the features folder", async () => {
    const { dir, nax } = await setup(false);
    const init = await nax("init");
    expect(init.code).toBe(0);
    const config = JSON.parse(await readFile(join(dir, "nax/config.json"), "utf8"));
    expect(config).toEqual({ $schema: "./schemas/config.schema.json", version: 1 });
    expect(ConfigSchema.parse(config)).toEqual({ $schema: "./schemas/config.schema.json", ...defaultConfig() });
    expect(init.out).toContain("test: not found");
    expect(init.out).toContain("set quality.commands.test in nax/config.json");
    HooksFileSchema.parse(JSON.parse(await readFile(join(dir, "nax/hooks.json"), "utf8")));
    const ignore = (await readFile(join(dir, "nax/.gitignore"), "utf8")).split("\n");
    for (const pattern of RUNTIME_GITIGNORE) expect(ignore).toContain(pattern);
    expect((await stat(join(dir, "nax/features"))).isDirectory()).toBe(true);
  });

  test("detects the project's test, lint and typecheck commands, writes only those keys and says where each came from", async () => {
    const { dir, nax } = await setup(false);
    const scripts = { test: "vitest", lint: "eslint .", typecheck: "tsc --noEmit" };
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "p", scripts }));
    const init = await nax("init");
    expect(init.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, "nax/config.json"), "utf8"))).toEqual({
      $schema: "./schemas/config.schema.json",
      version: 1,
      quality: { commands: { test: "npx vitest run", lint: "npm run lint", typecheck: "npm run typecheck" } },
    });
    expect(init.out).toContain("test: npx vitest run  (from package.json scripts.test (vitest))");
    expect(init.out).not.toContain("set quality.commands.test");
  });

  test("a pytest project gets python3 -m pytest and is told that lint and typecheck are still unset", async () => {
    const { dir, nax } = await setup(false);
    await mkdir(join(dir, "tests"));
    await writeFile(join(dir, "tests/test_calc.py"), "def test_add():\n    assert 1 + 1 == 2\n");
    const init = await nax("init");
    expect(JSON.parse(await readFile(join(dir, "nax/config.json"), "utf8")).quality.commands).toEqual({
      test: "python3 -m pytest",
    });
    expect(init.out).toContain("optional: set quality.commands.lint / quality.commands.typecheck");
  });

  test("a global costLimit in NAX_HOME/config.json takes effect after init, because init wrote no default over it", async () => {
    const { dir, nax } = await setup(false);
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "p", scripts: { test: "bun test" } }));
    await nax("init");
    await mkdir(join(root, "home"), { recursive: true });
    await writeFile(
      join(root, "home/config.json"),
      JSON.stringify({ execution: { costLimit: 0.5, maxIterations: 7 } }),
    );
    await nax("features", "create", "auth");
    const story = { id: "US-001", title: "Add the login form", acceptanceCriteria: ["it posts to /login"] };
    await writeFile(
      join(dir, "nax/features/auth/prd.json"),
      JSON.stringify({ project: "p", feature: "auth", userStories: [story] }),
    );
    const dry = await nax("run", "--dry-run", "-f", "auth");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("limits: 7 iterations, $0.50");
  });

  test("in a git repository it excludes nax.lock once, however often it runs", async () => {
    const { dir, nax } = await setup(true);
    await nax("init");
    await nax("init", "--force");
    const exclude = await readFile(join(dir, ".git/info/exclude"), "utf8");
    expect(exclude.split("\n").filter((line) => line === "/nax.lock")).toHaveLength(1);
  });

  test("refuses to overwrite existing files without --force and changes nothing", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    await writeFile(join(dir, "nax/config.json"), '{ "version": 1 }\n');
    const refused = await nax("init");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("--force");
    expect(await readFile(join(dir, "nax/config.json"), "utf8")).toBe('{ "version": 1 }\n');
    expect((await nax("init", "--force")).code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, "nax/config.json"), "utf8"))).toEqual({
      $schema: "./schemas/config.schema.json",
      version: 1,
    });
  });
});

describe("nax features", () => {
  test("create writes a valid prd.json template with one example story, and spec.md", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    const created = await nax("features", "create", "auth");
    expect(created.code).toBe(0);
    const path = join(dir, "nax/features/auth/prd.json");
    const prd = parsePrd(await readFile(path, "utf8"), path);
    expect(prd.feature).toBe("auth");
    expect(prd.userStories).toHaveLength(1);
    expect(await readFile(join(dir, "nax/features/auth/spec.md"), "utf8")).toContain("# auth");
  });

  test("the $schema pointers of config.json and prd.json name the JSON Schemas init wrote, which match `nax schema`", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    await nax("features", "create", "auth");
    const prdPath = join(dir, "nax/features/auth/prd.json");
    const configPath = join(dir, "nax/config.json");
    for (const [file, kind] of [
      [configPath, "config"],
      [prdPath, "prd"],
    ] as const) {
      const pointer = JSON.parse(await readFile(file, "utf8")).$schema;
      const target = join(dirname(file), pointer);
      expect(await readFile(target, "utf8")).toBe(`${(await nax("schema", kind)).out}`);
    }
    // The loaders accept the pointers (the config schema refuses unknown keys).
    expect(parsePrd(await readFile(prdPath, "utf8"), prdPath).$schema).toBe("../../schemas/prd.schema.json");
    expect(ConfigSchema.parse(JSON.parse(await readFile(configPath, "utf8"))).$schema).toBe(
      "./schemas/config.schema.json",
    );
  });

  test("nax schema prints each JSON Schema as one document, and an unknown kind is a usage error naming the kinds", async () => {
    const { nax } = await setup(false);
    for (const kind of ["prd", "config", "events"]) {
      const printed = await nax("schema", kind);
      expect(printed.code).toBe(0);
      expect(JSON.parse(printed.out).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    }
    const wrong = await nax("schema", "hooks");
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("use one of prd, config, events");
  });

  test("create writes the PRD schema when an older init left none, so the pointer never dangles", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    await rm(join(dir, "nax/schemas"), { recursive: true });
    expect((await nax("features", "create", "auth")).out).toContain("prd.schema.json");
    expect(JSON.parse(await readFile(join(dir, "nax/schemas/prd.schema.json"), "utf8")).title).toBe("nax prd.json");
  });

  test("create refuses an unsafe name and an existing feature", async () => {
    const { nax } = await setup(false);
    await nax("init");
    expect((await nax("features", "create", "../escape")).code).toBe(2);
    expect((await nax("features", "create", "auth")).code).toBe(0);
    const again = await nax("features", "create", "auth");
    expect(again.code).toBe(2);
    expect(again.err).toContain("already exists");
  });

  test("a 300-character feature name is a usage error naming the 100-character limit, for create and for run, with no stack trace", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    // A test command, so that the run gets as far as the feature name.
    await writeFile(
      join(dir, "nax/config.json"),
      JSON.stringify({ version: 1, quality: { commands: { test: "true" } } }),
    );
    const long = "f".repeat(300);
    for (const args of [
      ["features", "create", long],
      ["run", "-f", long],
      ["features", "create", "f".repeat(MAX_FEATURE_NAME_LENGTH + 1)],
    ]) {
      const result = await nax(...args);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`the limit is ${MAX_FEATURE_NAME_LENGTH}`);
      expect(result.err).not.toContain("internal error");
      expect(result.err).not.toContain("ENAMETOOLONG");
    }
    expect((await nax("features", "create", "f".repeat(MAX_FEATURE_NAME_LENGTH))).code).toBe(0);
  });

  test("a folder under nax/features with a name nax would refuse is skipped by the readers, not fatal to them", async () => {
    const { dir, nax } = await setup(false);
    await nax("init");
    await nax("features", "create", "auth");
    await mkdir(join(dir, "nax/features", "g".repeat(150)));
    const listed = await nax("features", "list");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("auth");
    expect(listed.out).not.toContain("ggg");
  });

  test("list shows each feature's stories, passed count and status", async () => {
    const { nax } = await setup(false);
    await nax("init");
    await nax("features", "create", "auth");
    await nax("features", "create", "billing");
    const listed = await nax("features", "list");
    expect(listed.code).toBe(0);
    const lines = listed.out.trim().split("\n");
    expect(lines[0]).toMatch(/^FEATURE\s+STORIES\s+PASSED\s+STATUS$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^auth\s+1\s+0\s+never run$/),
      expect.stringMatching(/^billing\s+1\s+0\s+never run$/),
    ]);
    const json = JSON.parse((await nax("features", "list", "--json")).out);
    expect(json).toEqual([
      { name: "auth", stories: 1, passed: 0, status: "never run" },
      { name: "billing", stories: 1, passed: 0, status: "never run" },
    ]);
  });
});
