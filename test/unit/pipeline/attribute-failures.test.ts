import { describe, expect, test } from "bun:test";
import { attributeFailures, fileStem } from "../../../src/pipeline/attribute-failures";

describe("attributeFailures", () => {
  test("a failing test belongs to the story whose commits touched the test file or its source file", () => {
    const result = attributeFailures(
      [
        { name: "cart total", file: "test/cart.test.ts", message: "" },
        { name: "greet", file: "./test/unit/greet.spec.ts", message: "" },
        { name: "login", file: "tests/test_login.py", message: "" },
      ],
      {
        "US-1": ["src/cart.ts"],
        "US-10": ["test/unit/greet.spec.ts", "README.md"],
        "US-2": ["app/login.py"],
      },
    );
    expect(result.byStory).toEqual({ "US-1": ["cart total"], "US-10": ["greet"], "US-2": ["login"] });
    expect(result.unattributed).toEqual([]);
  });

  test("a failure without a file, or with a file no story touched, stays unattributed", () => {
    const result = attributeFailures(
      [
        { name: "boot", message: "crash" },
        { name: "other", file: "test/other.test.ts", message: "" },
      ],
      { "US-1": ["src/cart.ts"] },
    );
    expect(result.byStory).toEqual({});
    expect(result.unattributed).toEqual(["boot", "other"]);
  });

  test("a test two stories touched is attributed to both", () => {
    const result = attributeFailures([{ name: "cart", file: "test/cart.test.ts", message: "" }], {
      "US-1": ["src/cart.ts"],
      "US-2": ["test/cart.test.ts"],
    });
    expect(result.byStory).toEqual({ "US-1": ["cart"], "US-2": ["cart"] });
  });

  test("fileStem strips folders, extensions and test markers", () => {
    expect(fileStem("test/unit/Cart.test.ts")).toBe("cart");
    expect(fileStem("pkg/cart_test.go")).toBe("cart");
    expect(fileStem("src/cart.ts")).toBe("cart");
  });
});
