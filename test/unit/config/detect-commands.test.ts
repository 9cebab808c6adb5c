/**
 * `nax init`'s command detection, one ecosystem at a time, over an in-memory
 * folder: package.json scripts and the runner behind them, pytest, go and
 * cargo, and nothing guessed when nothing is there (trap 28, docs/traps.md).
 */
import { describe, expect, test } from "bun:test";
import { detectCommands, type ProjectFiles, runnerCommand } from "../../../src/config/detect-commands";

function folder(files: Record<string, string>): ProjectFiles {
  return {
    readText: async (path) => files[path],
    list: async (dir) => {
      const prefix = dir === "." ? "" : `${dir}/`;
      const names = Object.keys(files)
        .filter((path) => path.startsWith(prefix))
        .map((path) => path.slice(prefix.length).split("/")[0] as string);
      return [...new Set(names)];
    },
  };
}

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "p", scripts, ...extra });

describe("package.json scripts", () => {
  test("a vitest test script becomes one vitest run through npx, with lint and typecheck through npm", async () => {
    const found = await detectCommands(
      folder({ "package.json": pkg({ test: "vitest", lint: "eslint .", typecheck: "tsc --noEmit" }) }),
    );
    expect(found.test).toEqual({ command: "npx vitest run", source: "package.json scripts.test (vitest)" });
    expect(found.lint?.command).toBe("npm run lint");
    expect(found.typecheck?.command).toBe("npm run typecheck");
  });

  test("vitest's own flags are kept and `vitest watch` becomes `vitest run`", () => {
    expect(runnerCommand("vitest run --reporter=dot", "npm")?.command).toBe("npx vitest run --reporter=dot");
    expect(runnerCommand("vitest watch --silent", "npm")?.command).toBe("npx vitest run --silent");
    expect(runnerCommand("vitest --coverage", "pnpm")?.command).toBe("npx vitest run --coverage");
  });

  test("jest and mocha scripts run the runner itself; bun test and node --test are kept as written", async () => {
    expect((await detectCommands(folder({ "package.json": pkg({ test: "jest --ci" }) }))).test?.command).toBe(
      "npx jest --ci",
    );
    expect((await detectCommands(folder({ "package.json": pkg({ test: "mocha 'test/**/*.js'" }) }))).test).toEqual({
      command: "npx mocha 'test/**/*.js'",
      source: "package.json scripts.test (mocha)",
    });
    const bun = await detectCommands(folder({ "package.json": pkg({ test: "bun test" }), "bun.lock": "" }));
    expect(bun.test).toEqual({ command: "bun test", source: "package.json scripts.test (bun)" });
    const node = await detectCommands(folder({ "package.json": pkg({ test: "node --test test/" }) }));
    expect(node.test?.command).toBe("node --test test/");
  });

  test("a bun project runs other runners through bunx and its scripts through bun run", async () => {
    const found = await detectCommands(
      folder({ "package.json": pkg({ test: "vitest run", lint: "biome check ." }), "bun.lock": "" }),
    );
    expect(found.test?.command).toBe("bunx vitest run");
    expect(found.lint?.command).toBe("bun run lint");
  });

  test("a script that is several commands or an unknown runner runs through the package manager, judged by exit code", async () => {
    const chained = await detectCommands(folder({ "package.json": pkg({ test: "tsc && jest" }), "yarn.lock": "" }));
    expect(chained.test).toEqual({
      command: "yarn run test",
      source: "package.json scripts.test (runner not recognised: judged by exit code)",
    });
    const other = await detectCommands(folder({ "package.json": pkg({ test: "ava" }) }));
    expect(other.test?.command).toBe("npm test");
    expect(runnerCommand("jest --watch", "npm")).toBeUndefined();
  });

  test("npm's placeholder test script is no test command, and other typecheck script names are found", async () => {
    const found = await detectCommands(
      folder({
        "package.json": pkg({ test: 'echo "Error: no test specified" && exit 1', "type-check": "tsc" }),
      }),
    );
    expect(found.test).toBeUndefined();
    expect(found.typecheck?.command).toBe("npm run type-check");
  });

  test("a package.json that is not JSON yields no scripts rather than an error", async () => {
    expect(await detectCommands(folder({ "package.json": "{ not json" }))).toEqual({});
  });
});

describe("other ecosystems", () => {
  test("pytest is found from pytest.ini, pyproject.toml, setup.cfg, tox.ini, conftest.py or a tests/ folder", async () => {
    const cases: Record<string, string>[] = [
      { "pytest.ini": "[pytest]\n" },
      { "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n" },
      { "setup.cfg": "[tool:pytest]\n" },
      { "tox.ini": "[pytest]\n" },
      { "conftest.py": "" },
      { "tests/test_calc.py": "def test_x(): pass\n" },
    ];
    for (const files of cases) {
      expect((await detectCommands(folder(files))).test?.command).toBe("python3 -m pytest");
    }
  });

  test("a pyproject.toml that never mentions pytest and has no tests is not a pytest project", async () => {
    expect(await detectCommands(folder({ "pyproject.toml": "[project]\nname = 'x'\n" }))).toEqual({});
  });

  test("go.mod means go test ./... and Cargo.toml means cargo test", async () => {
    expect((await detectCommands(folder({ "go.mod": "module x\n" }))).test).toEqual({
      command: "go test ./...",
      source: "go.mod (go test)",
    });
    expect((await detectCommands(folder({ "Cargo.toml": "[package]\n" }))).test?.command).toBe("cargo test");
  });

  test("a package.json without a test script still finds pytest beside it, keeping its lint", async () => {
    const found = await detectCommands(folder({ "package.json": pkg({ lint: "eslint ." }), "pytest.ini": "" }));
    expect(found.test?.command).toBe("python3 -m pytest");
    expect(found.lint?.command).toBe("npm run lint");
  });

  test("an empty folder has no command at all: nothing is guessed", async () => {
    expect(await detectCommands(folder({}))).toEqual({});
  });
});
