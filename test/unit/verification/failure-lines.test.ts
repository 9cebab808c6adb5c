import { describe, expect, test } from "bun:test";
import { FailureLineKeeper } from "../../../src/verification/failure-lines";

/** What the spawn helper keeps of a stream: its last `limit` characters. */
function tailOf(text: string, limit: number): { tail: string; truncated: boolean } {
  return text.length <= limit ? { tail: text, truncated: false } : { tail: text.slice(-limit), truncated: true };
}

function feed(keeper: FailureLineKeeper, text: string): void {
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  for (const line of lines) keeper.push(line);
}

describe("failure-line keeper", () => {
  test("an output that fits the tail is returned unchanged", () => {
    const keeper = new FailureLineKeeper();
    const text = "--- FAIL: TestX (0.00s)\nok\n";
    feed(keeper, text);
    expect(keeper.excerpt(text, false)).toBe(text);
  });

  test("a go failure printed before megabytes of logs survives next to the tail, in output order", () => {
    const noise = Array.from({ length: 50_000 }, (_, i) => `log line ${i} doing work`).join("\n");
    const text = [
      "=== RUN   TestUpper",
      '    strs_test.go:12: got "ab", want "AB"',
      "--- FAIL: TestUpper (0.00s)",
      noise,
      "FAIL\texample.com/shop/pkg/strs\t0.004s",
      "",
    ].join("\n");
    const keeper = new FailureLineKeeper();
    feed(keeper, text);
    const { tail, truncated } = tailOf(text, 10_000);
    expect(tail).not.toContain("--- FAIL");
    const excerpt = keeper.excerpt(tail, truncated);
    expect(excerpt.indexOf("=== RUN   TestUpper")).toBe(0);
    expect(excerpt).toContain('    strs_test.go:12: got "ab", want "AB"\n--- FAIL: TestUpper (0.00s)\n');
    expect(excerpt).toMatch(/… \[\d+ line\(s\) of output omitted\] …/);
    expect(excerpt.endsWith("FAIL\texample.com/shop/pkg/strs\t0.004s\n")).toBe(true);
    expect(excerpt.length).toBeLessThan(20_000);
  });

  test("keeps the lines after a failure header (the diff) and a few before it", () => {
    const keeper = new FailureLineKeeper({ before: 1, after: 3, maxChars: 10_000 });
    const lines = ["a", "b", "before", " FAIL  t.test.js > adds", "diff 1", "diff 2", "diff 3", "far", "x"];
    for (const line of lines) keeper.push(line);
    const excerpt = keeper.excerpt("r\nx", true); // "r" is the cut end of "far"
    expect(excerpt).toBe(
      "… [2 line(s) of output omitted] …\nbefore\n FAIL  t.test.js > adds\ndiff 1\ndiff 2\ndiff 3\n… [1 line(s) of output omitted] …\nx",
    );
  });

  test("stops keeping at its character budget: memory stays bounded whatever the output (trap 26)", () => {
    const keeper = new FailureLineKeeper({ before: 0, after: 0, maxChars: 1000 });
    for (let i = 0; i < 100_000; i += 1) keeper.push(`Error number ${i}`);
    expect(keeper.full).toBe(true);
    expect(keeper.excerpt("end\n", true).length).toBeLessThan(1200);
  });
});
