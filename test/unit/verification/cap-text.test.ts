import { describe, expect, test } from "bun:test";
import { capText, tailText } from "../../../src/verification/cap-text";

describe("capping text", () => {
  test("leaves short text alone", () => {
    expect(capText("short", 100)).toBe("short");
  });

  test("keeps both ends of long text within the limit", () => {
    const text = `HEAD${"x".repeat(10_000)}TAIL`;
    const capped = capText(text, 500);
    expect(capped.length).toBeLessThanOrEqual(500);
    expect(capped.startsWith("HEAD")).toBe(true);
    expect(capped.endsWith("TAIL")).toBe(true);
  });

  test("takes a tail that starts at a line boundary", () => {
    const text = Array.from({ length: 100 }, (_, index) => `line ${index}`).join("\n");
    const tail = tailText(text, 30);
    expect(tail.length).toBeLessThanOrEqual(30);
    expect(tail.startsWith("line ")).toBe(true);
    expect(tail.endsWith("line 99")).toBe(true);
  });
});
