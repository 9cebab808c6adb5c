import { expect, test } from "bun:test";
import * as lib from "../src/index";

test("the library entry point loads", () => {
  expect(typeof lib).toBe("object");
});
