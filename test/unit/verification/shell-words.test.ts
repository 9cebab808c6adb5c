import { describe, expect, test } from "bun:test";
import { quoteShellArg, splitShellWords } from "../../../src/verification/shell-words";

describe("shell words", () => {
  test("keeps each word's raw text and reads its unquoted value", () => {
    expect(splitShellWords(`bun test -t "adds two" --x='y z' a\\ b`)).toEqual([
      { raw: "bun", value: "bun" },
      { raw: "test", value: "test" },
      { raw: "-t", value: "-t" },
      { raw: '"adds two"', value: "adds two" },
      { raw: "--x='y z'", value: "--x=y z" },
      { raw: "a\\ b", value: "a b" },
    ]);
  });

  test("refuses anything that is more than one simple command", () => {
    const refused = [
      "a && b",
      "a; b",
      "a | b",
      "a > out",
      "a $(b)",
      "a `b`",
      "a 'unclosed",
      "a $B",
      'a "$B"',
      "a *.py",
      "a ~/x",
    ];
    for (const command of refused) {
      expect(splitShellWords(command)).toBeUndefined();
    }
  });

  test("quotes arguments only when the shell would read them differently", () => {
    expect(quoteShellArg("test/a.test.ts")).toBe("test/a.test.ts");
    expect(quoteShellArg("it's here.ts")).toBe(`'it'\\''s here.ts'`);
    expect(quoteShellArg("$HOME")).toBe("'$HOME'");
  });
});
