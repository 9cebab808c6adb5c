import { describe, expect, test } from "bun:test";
import { buildScopedCommand, fillScopedTemplate } from "../../../src/verification/scoped-command";

const FILES = ["test/a.test.ts", "test/unit/b.test.ts"];

describe("scoped command builder (trap 27: never rewrite the user's test command by guessing)", () => {
  const cases: Array<[string, string, string[], string | undefined]> = [
    [
      "bun drops its path filter and keeps every flag",
      "bun test test/ --timeout=60000",
      FILES,
      "bun test --timeout=60000 ./test/a.test.ts ./test/unit/b.test.ts",
    ],
    [
      "bun keeps a flag's separate value",
      "bun test --timeout 60000 -t 'adds two' test/",
      FILES,
      "bun test --timeout 60000 -t 'adds two' ./test/a.test.ts ./test/unit/b.test.ts",
    ],
    [
      "bun keeps an env prefix and a path to the binary",
      "NODE_ENV=test ./node_modules/.bin/bun test --bail",
      ["src/x.test.ts"],
      "NODE_ENV=test ./node_modules/.bin/bun test --bail ./src/x.test.ts",
    ],
    [
      "bun installed by npm is named bun.exe",
      "/repo/node_modules/bun/bin/bun.exe test",
      ["a.test.ts"],
      "/repo/node_modules/bun/bin/bun.exe test ./a.test.ts",
    ],
    [
      "vitest keeps its run subcommand",
      "./node_modules/.bin/vitest run",
      FILES,
      "./node_modules/.bin/vitest run test/a.test.ts test/unit/b.test.ts",
    ],
    [
      "vitest keeps flags and drops its directory filter",
      "npx vitest run --reporter dot src/",
      ["src/a.test.ts"],
      "npx vitest run --reporter dot src/a.test.ts",
    ],
    ["jest keeps --ci", "npx jest --ci", FILES, "npx jest --ci test/a.test.ts test/unit/b.test.ts"],
    [
      "jest escapes regex characters in file names",
      "jest -c jest.config.js",
      ["app/[id].test.js"],
      "jest -c jest.config.js 'app/\\[id\\].test.js'",
    ],
    ["pytest keeps -q", "pytest -q", ["tests/test_a.py"], "pytest -q tests/test_a.py"],
    [
      "python -m pytest keeps -k and its value, drops the tests folder",
      "python3 -m pytest -k 'not slow' tests/",
      ["tests/test_a.py"],
      "python3 -m pytest -k 'not slow' tests/test_a.py",
    ],
    [
      "go test replaces the package pattern by the test files' packages",
      "go test ./...",
      ["pkg/a/a_test.go", "pkg/a/b_test.go", "main_test.go"],
      "go test ./pkg/a .",
    ],
    [
      "go test keeps -run, -count and -args",
      "go test -count=1 -run TestX ./... -args -flag",
      ["pkg/a/a_test.go"],
      "go test -count=1 -run TestX ./pkg/a -args -flag",
    ],
    ["an npm script cannot be scoped", "npm test", FILES, undefined],
    ["a chain of commands cannot be scoped", "bun run build && bun test", FILES, undefined],
    ["a pipe cannot be scoped", "bun test | tee out.txt", FILES, undefined],
    ["a -- separator cannot be scoped", "npx jest -- --ci", FILES, undefined],
    ["vitest related cannot be scoped", "vitest related src/a.ts", FILES, undefined],
    ["no files, no command", "bun test", [], undefined],
  ];

  for (const [title, command, files, expected] of cases) {
    test(`${title}: ${command}`, () => {
      expect(buildScopedCommand(command, files)?.command).toBe(expected as string);
    });
  }

  test("names the runner it recognised", () => {
    expect(buildScopedCommand("pytest -q", ["tests/test_a.py"])?.runner).toBe("pytest");
  });
});

describe("testScoped template", () => {
  test("fills {{files}} with shell-quoted files", () => {
    expect(fillScopedTemplate("make test FILES='{{files}}'", ["a.ts"])).toBe("make test FILES='a.ts'");
    expect(fillScopedTemplate("bun test {{files}}", ["a b.test.ts", "c.test.ts"])).toBe(
      "bun test 'a b.test.ts' c.test.ts",
    );
  });
});
