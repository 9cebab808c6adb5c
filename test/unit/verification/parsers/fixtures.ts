/** Reads the captured runner output in test/fixtures/test-output (see its README). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = join(import.meta.dir, "../../../fixtures/test-output");

export function fixture(name: string): string {
  return readFileSync(join(DIR, name), "utf8");
}
