import { afterEach, describe, expect, test } from "bun:test";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { defaultConfig } from "../../../src/config/schema";
import { createNodeFs } from "../../../src/system/fs";
import {
  importsModule,
  isTestFile,
  listProjectFiles,
  moduleNames,
  testsByPattern,
} from "../../../src/verification/test-files";
import { createTempTrees } from "./temp-tree";

const trees = createTempTrees("nax-test-files-");
afterEach(() => trees.cleanup());

const PATTERNS = defaultConfig().execution.smartTestRunner.testFilePatterns;

describe("test file patterns", () => {
  test("classifies test files of several languages with the default patterns", () => {
    for (const path of ["test/a.test.ts", "a.spec.js", "pkg/x_test.go", "tests/test_util.py", "util_test.py"]) {
      expect(isTestFile(path, PATTERNS)).toBe(true);
    }
    for (const path of ["src/a.ts", "pkg/x.go", "app/util.py", "testing/helpers.ts"]) {
      expect(isTestFile(path, PATTERNS)).toBe(false);
    }
  });

  test("fills {name} and {ext} and does not match another module that shares a prefix", () => {
    const tests = ["test/math.test.ts", "test/mathx.test.ts", "test/math.test.js"];
    expect(testsByPattern("src/math.ts", tests, PATTERNS)).toEqual(["test/math.test.ts"]);
  });

  test("treats glob characters in a file name literally", () => {
    const tests = ["app/[id].test.ts", "app/x.test.ts"];
    expect(testsByPattern("app/[id].ts", tests, PATTERNS)).toEqual(["app/[id].test.ts"]);
  });

  test("knows an index module by its folder's name too", () => {
    expect(moduleNames("src/auth/index.ts")).toEqual(["index", "auth"]);
    expect(moduleNames("src/auth/login.ts")).toEqual(["login"]);
  });
});

describe("import search", () => {
  test("finds ES imports, re-exports and require calls naming the module as the last path segment", () => {
    expect(importsModule(`import { add } from "../src/math";`, "src/math.ts")).toBe(true);
    expect(importsModule(`import x from './math.js'`, "src/math.ts")).toBe(true);
    expect(importsModule(`export * from "../lib/math"`, "lib/math.ts")).toBe(true);
    expect(importsModule(`const m = require("../src/math")`, "src/math.ts")).toBe(true);
    expect(importsModule(`import {\n  add,\n} from "@/math";`, "src/math.ts")).toBe(true);
  });

  test("does not match another module whose name merely contains it", () => {
    expect(importsModule(`import { add } from "../src/mathematics";`, "src/math.ts")).toBe(false);
    expect(importsModule(`const text = "math";`, "src/math.ts")).toBe(false);
  });

  test("finds Python imports by dotted segment", () => {
    expect(importsModule("from app.util import f", "app/util.py")).toBe(true);
    expect(importsModule("import util", "app/util.py")).toBe(true);
    expect(importsModule("from app.utility import f", "app/util.py")).toBe(false);
  });
});

describe("project listing", () => {
  test("lists the project's files, skipping hidden and dependency folders", async () => {
    const cwd = await trees.make({
      "src/a.ts": "",
      "test/a.test.ts": "",
      ".git/HEAD": "",
      "node_modules/x/y.test.ts": "",
    });
    expect(await listProjectFiles(createNodeFs(), cwd, 1000)).toEqual(["src/a.ts", "test/a.test.ts"]);
  });

  test("stops at a symlink loop instead of walking forever", async () => {
    const cwd = await trees.make({ "src/a.ts": "" });
    await symlink(cwd, join(cwd, "src/loop"));
    const files = await listProjectFiles(createNodeFs(), cwd, 100_000);
    expect(files?.[0]).toBe("src/a.ts");
    expect(files?.length).toBeLessThan(100);
  });

  test("gives up past the entry budget", async () => {
    const cwd = await trees.make({ "a.ts": "", "b.ts": "", "c.ts": "" });
    expect(await listProjectFiles(createNodeFs(), cwd, 2)).toBeUndefined();
  });
});
