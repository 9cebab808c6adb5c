/**
 * Parser for `go test`. Package lines (`ok  \tpkg`, `FAIL\tpkg`, `?   \tpkg
 * [no test files]`) prove the output is go's; `--- FAIL:` / `--- PASS:` lines
 * name the tests. A parent test fails when a subtest does, so only leaves
 * count. A package that does not build (`FAIL\tpkg [build failed]`) counts as
 * one failure. Without `-v`, go does not list passing tests: passedCount is
 * then the number of passing leaves it did print (often 0). go names only a
 * test file's base name (`strs_test.go:12:`); the package line that closes
 * the package's output gives its import path, which with the module path
 * from go.mod becomes the folder: `pkg/strs/strs_test.go`.
 */
import type { TestFailure } from "../types";
import { hasPair, joinMessage, stripAnsi, toLines } from "./text";
import type { ParseContext, ParsedCounts, TestOutputParser } from "./types";

// go separates the status from the package with a tab: `ok  \tpkg\t0.01s`, `FAIL\tpkg [build failed]`.
const PACKAGE_LINE = /^(ok|FAIL|\?)\s*\t(\S+)(?:\s+(.*))?$/;
const RESULT_LINE = /^\s*--- (FAIL|PASS|SKIP): (\S+)/;
const RUN_LINE = /^=== (?:RUN|CONT|PAUSE)\s+(\S+)/;
const MESSAGE_LINE = /^\s+(\S+_test\.go):\d+: (.*)$/;

interface GoTest {
  status: string;
  name: string;
  file?: string;
  /** The import path of the package the test belongs to, once its package line is seen. */
  pkg?: string;
  messages: string[];
}

/**
 * `go test -json` (test2json events, one per line): the `Output` fields, in
 * order, are the text go would have printed, so the text reading applies to
 * them. Lines that are not events (build errors on stderr) stay as they are.
 */
export function goJsonToText(output: string): string {
  if (!/^\{"(Time|Action|ImportPath)"/m.test(output)) return output;
  const parts: string[] = [];
  for (const line of output.replace(/\r\n?/g, "\n").split("\n")) {
    if (!line.startsWith("{")) {
      parts.push(`${line}\n`);
      continue;
    }
    try {
      const event = JSON.parse(line) as { Output?: unknown };
      if (typeof event.Output === "string") parts.push(event.Output);
    } catch {
      // A line cut by the output cap, or a test's own JSON: kept as text, which the scan ignores or reads.
      parts.push(`${line}\n`);
    }
  }
  return parts.join("");
}

/** Keeps only tests that no other reported test is a subtest of. */
function leaves(tests: GoTest[]): GoTest[] {
  return tests.filter((test) => !tests.some((other) => other.name.startsWith(`${test.name}/`)));
}

function scan(output: string): { tests: GoTest[]; buildFailures: TestFailure[]; packages: number } {
  const tests: GoTest[] = [];
  const byName = new Map<string, GoTest>();
  const buildFailures: TestFailure[] = [];
  const buildErrors: string[] = [];
  let packages = 0;
  let running: string | undefined;
  let lastFailed: GoTest | undefined;
  const testFor = (name: string): GoTest => {
    let test = byName.get(name);
    if (!test) {
      test = { status: "RUN", name, messages: [] };
      byName.set(name, test);
    }
    return test;
  };
  for (const line of toLines(output)) {
    const run = RUN_LINE.exec(line);
    if (run) running = run[1];
    const result = RESULT_LINE.exec(line);
    if (result) {
      const test = testFor(result[2] ?? "");
      test.status = result[1] ?? "";
      tests.push(test);
      lastFailed = test.status === "FAIL" ? test : undefined;
      continue;
    }
    const message = MESSAGE_LINE.exec(line);
    // With -v a message comes under `=== RUN`, before the result; without it, after `--- FAIL`.
    const owner = message ? (running ? testFor(running) : lastFailed) : undefined;
    if (message && owner) {
      owner.file ??= message[1];
      owner.messages.push(message[2] ?? "");
      continue;
    }
    if (/^# \S+/.test(line)) buildErrors.length = 0;
    else if (/^\S+\.go:\d+:\d+: /.test(line)) buildErrors.push(line);
    const pkg = PACKAGE_LINE.exec(line);
    if (!pkg || pkg[2] === undefined) continue;
    packages += 1;
    // The package line closes its package's output: the next tests, same names or not, are another package's.
    for (const test of byName.values()) test.pkg ??= pkg[2];
    byName.clear();
    running = undefined;
    if (pkg[1] === "FAIL" && /\[(build failed|setup failed)\]/.test(pkg[3] ?? "")) {
      const file = /^(\S+\.go):/.exec(buildErrors[0] ?? "")?.[1];
      buildFailures.push({ name: `[build failed] ${pkg[2]}`, file, message: joinMessage(buildErrors.slice(0, 8)) });
      buildErrors.length = 0;
    }
  }
  return { tests: [...new Set(tests)], buildFailures, packages };
}

/** `strs_test.go` in package `example.com/shop/pkg/strs` of module `example.com/shop` → `pkg/strs/strs_test.go`. */
function inFolder(file: string | undefined, pkg: string | undefined, module: string | undefined): string | undefined {
  if (!file || !pkg || !module) return file;
  if (pkg === module) return file;
  return pkg.startsWith(`${module}/`) ? `${pkg.slice(module.length + 1)}/${file}` : file;
}

export const goParser: TestOutputParser = {
  name: "go",
  matchesCommand: (words) => hasPair(words, "go", "test"),
  recognises: (output) => {
    const text = stripAnsi(goJsonToText(output));
    return /^(ok|FAIL|\?)\s*\t\S+/m.test(text) || /^\s*--- (FAIL|PASS): \S+ \(/m.test(text);
  },
  parse(output, context?: ParseContext): ParsedCounts {
    const { tests, buildFailures, packages } = scan(goJsonToText(output));
    const leafTests = leaves(tests);
    const failed = leafTests.filter((test) => test.status === "FAIL");
    const failures: TestFailure[] = [
      ...failed.map((test) => ({
        name: test.name,
        file: inFolder(test.file, test.pkg, context?.goModule),
        message: joinMessage(test.messages),
      })),
      ...buildFailures,
    ];
    const passedCount = leafTests.filter((test) => test.status === "PASS").length;
    return { passedCount, failedCount: failures.length, failures, recognised: packages > 0 };
  },
};
