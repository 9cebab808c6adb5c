import { describe, expect, test } from "bun:test";
import { closestName, editDistance } from "../../../src/utils/did-you-mean";

describe("did you mean", () => {
  test("a swap of two neighbouring letters is one edit", () => {
    expect(editDistance("fats", "fast")).toBe(1);
    expect(editDistance("dependecies", "dependencies")).toBe(1);
  });

  test("suggests the nearest name that is plausibly a typo, and nothing for an unrelated word", () => {
    expect(closestName("fats", ["fast", "balanced", "powerful"])).toBe("fast");
    expect(closestName("powerfull", ["fast", "balanced", "powerful"])).toBe("powerful");
    expect(closestName("turbo", ["fast", "balanced", "powerful"])).toBeUndefined();
    expect(closestName("title", ["tags", "id"])).toBeUndefined();
  });
});
