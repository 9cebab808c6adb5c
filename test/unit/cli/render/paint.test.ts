import { describe, expect, test } from "bun:test";
import { createPaint, shouldColor } from "../../../../src/cli/render/paint";

describe("paint", () => {
  test("colours a terminal and leaves a pipe plain", () => {
    expect(createPaint({ env: {}, isTTY: true }).ok("done")).not.toBe("done");
    expect(createPaint({ env: {}, isTTY: false }).ok("done")).toBe("done");
  });

  test("NO_COLOR turns colour off even in a terminal, whatever its value", () => {
    expect(shouldColor({ NO_COLOR: "" }, true)).toBe(false);
    expect(createPaint({ env: { NO_COLOR: "1" }, isTTY: true }).error("bad")).toBe("bad");
  });

  test("FORCE_COLOR turns colour on in a pipe", () => {
    expect(shouldColor({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(shouldColor({ FORCE_COLOR: "0" }, false)).toBe(false);
  });
});
