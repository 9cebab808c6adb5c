/**
 * Reads a JUnit XML report (pytest `--junitxml`, bun `--reporter=junit`):
 * every `<testcase>` with a `<failure>` or `<error>` is a failure, one with
 * `<skipped>` is neither passed nor failed. Names follow what the text
 * parsers give, so a test keeps its name whichever source read it: pytest's
 * `Class::test` (its module turned back into the file), bun's `suite > test`.
 */

import { joinMessage } from "../parsers/text";
import type { TestFailure } from "../types";
import { parseXml, type XmlElement } from "./junit-xml";
import type { ReportRead } from "./types";

interface Case {
  element: XmlElement;
  /** Enclosing `<testsuite>` names, outermost first. */
  suites: string[];
  suiteFile?: string;
}

function collectCases(element: XmlElement, suites: string[], suiteFile: string | undefined, out: Case[]): void {
  for (const child of element.children) {
    if (child.name === "testsuites") collectCases(child, suites, suiteFile, out);
    else if (child.name === "testsuite") {
      collectCases(child, [...suites, child.attributes.name ?? ""], child.attributes.file ?? suiteFile, out);
    } else if (child.name === "testcase") out.push({ element: child, suites, suiteFile });
  }
}

/** pytest: the first `path.py:N: ` line of the failure text is the test's own file. */
function pytestFailure(item: Case, problem: XmlElement): TestFailure {
  const file = /^(\S+\.py):\d+: /m.exec(problem.text)?.[1];
  const classname = item.element.attributes.classname ?? "";
  const testName = item.element.attributes.name ?? "";
  const module = file?.replace(/\.py$/, "").replace(/\//g, ".");
  const rest = module && classname.startsWith(module) ? classname.slice(module.length).replace(/^\./, "") : classname;
  const name = [...(module ? rest.split(".").filter(Boolean) : rest ? [rest] : []), testName].join("::");
  return { name, file, message: failureMessage(problem) };
}

/** bun: suites below the file's own suite, then the test. */
function bunFailure(item: Case, problem: XmlElement): TestFailure {
  const file = item.element.attributes.file ?? item.suiteFile;
  const suites = item.suites.slice(1).filter((suite) => suite !== file);
  return { name: [...suites, item.element.attributes.name ?? ""].join(" > "), file, message: failureMessage(problem) };
}

function failureMessage(problem: XmlElement): string {
  const message = problem.attributes.message ?? "";
  // The message attribute holds the assertion; the body adds source and stack. Use the body only without one.
  const text = message.trim().length > 0 ? message : problem.text;
  return joinMessage(
    text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .filter((line) => !/^\s+at /.test(line)),
  );
}

export function readJunit(xml: string, runner: "pytest" | "bun"): ReportRead {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    return { ok: false, problem: `not well-formed XML (${(error as Error).message})` };
  }
  if (root.name !== "testsuites" && root.name !== "testsuite") {
    return { ok: false, problem: `<${root.name}> is not a JUnit report` };
  }
  const cases: Case[] = [];
  collectCases({ ...root, children: [root] }, [], undefined, cases);
  const failures: TestFailure[] = [];
  let passed = 0;
  for (const item of cases) {
    const problem = item.element.children.find((child) => child.name === "failure" || child.name === "error");
    if (problem) failures.push(runner === "pytest" ? pytestFailure(item, problem) : bunFailure(item, problem));
    else if (!item.element.children.some((child) => child.name === "skipped")) passed += 1;
  }
  const declared = Number(root.attributes.failures ?? 0) + Number(root.attributes.errors ?? 0);
  const failedCount = Math.max(Number.isFinite(declared) ? declared : 0, failures.length);
  return { ok: true, counts: { passedCount: passed, failedCount, failures, recognised: true } };
}
