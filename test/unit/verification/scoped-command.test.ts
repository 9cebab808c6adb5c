import { describe, expect, test } from "bun:test";
import { buildScopedCommand, fillScopedTemplate } from "../../../src/verification/scoped-command";
import { projectPaths } from "../../../src/verification/test-files";

const PROJECT = [
  "test/a.test.ts",
  "test/unit/b.test.ts",
  "src/x.test.ts",
  "src/b.test.ts",
  "a.test.ts",
  "tests/test_calc.py",
  "tests/slow/test_slow.py",
  "legacy/test_calc.py",
  "report.html",
  "app/[id].test.js",
  "pkg/a/a_test.go",
  "pkg/a/b_test.go",
  "cmd/x_test.go",
  "main_test.go",
];
const PATHS = projectPaths("/repo", PROJECT);
const FILES = ["test/a.test.ts", "test/unit/b.test.ts"];
const CALC = ["tests/test_calc.py"];

const scoped = (command: string, files: string[]) => {
  const result = buildScopedCommand(command, files, PATHS);
  return result.kind === "scoped" ? result.command : `FULL: ${result.reason}`;
};

describe("scoped command builder keeps every flag and value (traps 27 and 33)", () => {
  const cases: Array<[string, string, string[], string]> = [
    [
      "bun replaces its path filter by the files inside it and keeps every flag",
      "bun test test/ --timeout=60000",
      FILES,
      "bun test ./test/a.test.ts ./test/unit/b.test.ts --timeout=60000",
    ],
    [
      "bun keeps a flag's separate value",
      "bun test --timeout 60000 -t 'adds two' test/",
      FILES,
      "bun test --timeout 60000 -t 'adds two' ./test/a.test.ts ./test/unit/b.test.ts",
    ],
    [
      "bun puts the files before a flag whose value is optional, so the flag cannot swallow them",
      "NODE_ENV=test ./node_modules/.bin/bun test --bail",
      ["src/x.test.ts"],
      "NODE_ENV=test ./node_modules/.bin/bun test ./src/x.test.ts --bail",
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
      "vitest keeps flags and narrows its folder filter",
      "npx vitest run --reporter dot src/",
      ["src/x.test.ts"],
      "npx vitest run --reporter dot src/x.test.ts",
    ],
    [
      "vitest keeps a dotted flag's value (npx vitest run --browser.name chromium)",
      "npx vitest run --browser.name chromium",
      ["src/x.test.ts"],
      "npx vitest run --browser.name chromium src/x.test.ts",
    ],
    ["jest keeps --ci", "npx jest --ci", ["a.test.ts"], "npx jest --ci 'a\\.test\\.ts'"],
    [
      "jest escapes regex characters in file names",
      "jest -c jest.config.js",
      ["app/[id].test.js"],
      "jest -c jest.config.js 'app/\\[id\\]\\.test\\.js'",
    ],
    [
      "jest keeps --testMatch and its glob, and puts the files where the array flag cannot take them",
      "npx jest --testMatch '**/*.test.js'",
      ["a.test.ts"],
      "npx jest 'a\\.test\\.ts' --testMatch '**/*.test.js'",
    ],
    [
      "jest keeps --testRegex and its value",
      "npx jest --testRegex 'test/.*\\.test\\.ts$'",
      ["a.test.ts"],
      "npx jest 'a\\.test\\.ts' --testRegex 'test/.*\\.test\\.ts$'",
    ],
    [
      "jest reads a folder after an array flag as the flag's value, as yargs does",
      "npx jest --testMatch '**/*.test.ts' test/",
      ["a.test.ts"],
      "npx jest 'a\\.test\\.ts' --testMatch '**/*.test.ts' test/",
    ],
    [
      "jest narrows its regex filter to the files it matches",
      "npx jest test/ --ci",
      ["test/a.test.ts", "src/x.test.ts"],
      "npx jest 'test/a\\.test\\.ts' --ci",
    ],
    ["pytest keeps -q", "pytest -q", CALC, "pytest -q tests/test_calc.py"],
    [
      "pytest keeps --log-cli-level INFO and narrows tests/ (python3 -m pytest -q --log-cli-level INFO tests/)",
      "python3 -m pytest -q --log-cli-level INFO tests/",
      CALC,
      "python3 -m pytest -q --log-cli-level INFO tests/test_calc.py",
    ],
    ["pytest keeps --color yes", "pytest --color yes", CALC, "pytest --color yes tests/test_calc.py"],
    [
      "pytest keeps --html and its file even when that file exists",
      "pytest --html report.html",
      CALC,
      "pytest --html report.html tests/test_calc.py",
    ],
    [
      "pytest keeps -k and its value",
      "python3 -m pytest -k 'not slow' tests/",
      CALC,
      "python3 -m pytest -k 'not slow' tests/test_calc.py",
    ],
    ["pytest reads clusters of one-letter flags", "pytest -rA -xvs tests/", CALC, "pytest -rA -xvs tests/test_calc.py"],
    [
      "pytest never selects a file outside the command's own paths (pytest -x tests/)",
      "pytest -x tests/",
      ["legacy/test_calc.py", "tests/test_calc.py"],
      "pytest -x tests/test_calc.py",
    ],
    [
      "pytest leaves out what --ignore excludes",
      "pytest tests --ignore tests/slow",
      ["tests/slow/test_slow.py", "tests/test_calc.py"],
      "pytest tests/test_calc.py --ignore tests/slow",
    ],
    [
      "bun never selects a file outside its exact path ./test",
      "bun test ./test",
      ["src/b.test.ts", "test/a.test.ts"],
      "bun test ./test/a.test.ts",
    ],
    [
      "go replaces the package pattern by the test files' packages",
      "go test ./...",
      ["pkg/a/a_test.go", "pkg/a/b_test.go", "main_test.go"],
      "go test ./pkg/a .",
    ],
    [
      "go keeps -run, -count and -args",
      "go test -count=1 -run TestX ./... -args -flag",
      ["pkg/a/a_test.go"],
      "go test -count=1 -run TestX ./pkg/a -args -flag",
    ],
    [
      "go never selects a package outside the command's own pattern",
      "go test -v ./pkg/...",
      ["cmd/x_test.go", "pkg/a/a_test.go"],
      "go test -v ./pkg/a",
    ],
  ];

  for (const [title, command, files, expected] of cases) {
    test(`${title}: ${command}`, () => {
      expect(scoped(command, files)).toBe(expected);
    });
  }

  test("names the runner and the files it selected", () => {
    expect(buildScopedCommand("pytest -x tests/", ["legacy/test_calc.py", ...CALC], PATHS)).toEqual({
      kind: "scoped",
      runner: "pytest",
      command: "pytest -x tests/test_calc.py",
      files: CALC,
    });
  });
});

describe("scoped command builder runs the full suite, with the reason, when it cannot be sure (trap 33)", () => {
  const cases: Array<[string, string, string[], string]> = [
    ["an npm script", "npm test", FILES, "nax does not know its test runner"],
    ["a chain of commands", "bun run build && bun test", FILES, "shell syntax"],
    ["a pipe", "bun test | tee out.txt", FILES, "shell syntax"],
    ["a variable the shell expands", "pytest $PYTEST_ARGS", CALC, "shell syntax"],
    ["an unquoted glob", "pytest tests/test_*.py", CALC, "shell syntax"],
    ["a -- separator", "npx jest -- --ci", FILES, `"--" ends jest's options`],
    ["vitest related", "vitest related src/a.ts", FILES, `"vitest related" is not a plain test run`],
    [
      "an unknown flag followed by a word",
      "pytest --my-plugin-level INFO tests/",
      CALC,
      `cannot tell whether "INFO" is the value of "--my-plugin-level", which is a flag nax does not know`,
    ],
    [
      "an unknown flag followed by a file that exists",
      "pytest --my-report report.html",
      CALC,
      `cannot tell whether "report.html" is the value of "--my-report"`,
    ],
    [
      "a flag whose value is optional, followed by a folder",
      "pytest --cov tests/",
      CALC,
      `"tests/" is the value of "--cov", which takes an optional value`,
    ],
    ["vitest --silent before a folder", "vitest run --silent src/", ["src/x.test.ts"], `of "--silent"`],
    ["jest --testPathPatterns", "jest --testPathPatterns unit", FILES, `"--testPathPatterns" changes which tests`],
    ["pytest --pyargs", "pytest --pyargs mypkg", CALC, `"--pyargs" changes which tests`],
    ["a pytest node id", "pytest tests/test_calc.py::test_add", CALC, "selects single tests"],
    ["a bun filter that is not a path", "bun test unit", FILES, `"unit" is not a file or folder in the project`],
    ["a path outside the project", "pytest /elsewhere/tests", CALC, `"/elsewhere/tests" is not a file or folder`],
    ["a go import path", "go test example.com/mod/pkg", ["pkg/a/a_test.go"], "go import path"],
    ["go test with no package", "go test -v", ["pkg/a/a_test.go"], "go test without packages"],
    [
      "no candidate within the command's paths (pytest -x tests/ with legacy/test_calc.py)",
      "pytest -x tests/",
      ["legacy/test_calc.py"],
      "no test file for the change (legacy/test_calc.py) lies within the command's paths (tests/)",
    ],
    ["no files", "bun test", [], "no test file to run"],
  ];

  for (const [title, command, files, reason] of cases) {
    test(`${title}: ${command}`, () => {
      const result = buildScopedCommand(command, files, PATHS);
      expect(result.kind).toBe("full");
      expect(result.kind === "full" ? result.reason : "").toContain(reason);
    });
  }
});

describe("testScoped template", () => {
  test("fills {{files}} with shell-quoted files", () => {
    expect(fillScopedTemplate("make test FILES='{{files}}'", ["a.ts"])).toBe("make test FILES='a.ts'");
    expect(fillScopedTemplate("bun test {{files}}", ["a b.test.ts", "c.test.ts"])).toBe(
      "bun test 'a b.test.ts' c.test.ts",
    );
  });
});
