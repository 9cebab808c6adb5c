/**
 * Reads the JSON report vitest (`--reporter=json`) and jest (`--json`) write:
 * the same shape, jest's. Every failed assertion is a failure named by its
 * describe titles and title, with the file the report gives (absolute; the
 * caller makes it relative) and the whole failure message minus the stack. A
 * file that failed before any test ran (an import error) is failed with no
 * failed assertion: it is a failure too, never a silent pass.
 */

import { joinMessage, stripAnsi } from "../parsers/text";
import type { TestFailure } from "../types";
import type { ReportRead } from "./types";

interface AssertionJson {
  ancestorTitles?: unknown;
  title?: unknown;
  status?: unknown;
  failureMessages?: unknown;
}

interface FileJson {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  assertionResults?: unknown;
}

/** The message without stack frames (`    at fn (file:1:2)`), which only cost prompt space. */
function messageText(text: string): string {
  const lines = stripAnsi(text)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .filter((line) => !/^\s+at /.test(line));
  return joinMessage(lines);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

export function readJestJson(text: string): ReportRead {
  let report: { numPassedTests?: unknown; numFailedTests?: unknown; testResults?: unknown };
  try {
    report = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON (${(error as Error).message})` };
  }
  if (typeof report?.numPassedTests !== "number" || typeof report.numFailedTests !== "number") {
    return { ok: false, problem: "no numPassedTests / numFailedTests counts" };
  }
  if (!Array.isArray(report.testResults)) return { ok: false, problem: "no testResults list" };
  const failures: TestFailure[] = [];
  let fileFailures = 0;
  for (const file of report.testResults as FileJson[]) {
    const path = typeof file?.name === "string" ? file.name : undefined;
    const assertions = Array.isArray(file?.assertionResults) ? (file.assertionResults as AssertionJson[]) : [];
    const failed = assertions.filter((assertion) => assertion?.status === "failed");
    for (const assertion of failed) {
      const title = typeof assertion.title === "string" ? assertion.title : "(unnamed test)";
      const name = [...strings(assertion.ancestorTitles), title].join(" > ");
      failures.push({ name, file: path, message: messageText(strings(assertion.failureMessages).join("\n")) });
    }
    if (file?.status === "failed" && failed.length === 0) {
      fileFailures += 1;
      const message = typeof file.message === "string" ? messageText(file.message) : "";
      failures.push({ name: "(test file failed to run)", file: path, message });
    }
  }
  const failedCount = Math.max(report.numFailedTests + fileFailures, failures.length);
  return { ok: true, counts: { passedCount: report.numPassedTests, failedCount, failures, recognised: true } };
}
