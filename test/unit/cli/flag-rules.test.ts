import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { checkExclusiveFlags } from "../../../src/cli/flag-rules";
import { isNaxError } from "../../../src/errors";
import { createTestIo, makeTempDir } from "../../helpers/state-fixtures";

describe("contradictory flags", () => {
  let temp: { path: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    temp = await makeTempDir("flags");
  });
  afterAll(async () => {
    await temp.cleanup();
  });

  // Checked before any action runs: the folder needs no project for the refusal to happen.
  const contradictions = [
    ["run", "--verbose", "--quiet"],
    ["run", "--json", "--quiet"],
    ["run", "--json", "--verbose"],
    ["diagnose", "--json", "--verbose"],
  ];
  for (const argv of contradictions) {
    test(`nax ${argv.join(" ")} is refused with exit 2 by the same rule, naming both flags`, async () => {
      const t = createTestIo({ naxHome: temp.path, cwd: temp.path });
      expect(await t.run(argv)).toBe(2);
      const [, first, second] = argv;
      expect(t.stderr()).toContain(`nax ${argv[0]}: ${first} and ${second} cannot be combined`);
    });
  }

  test("one output flag alone is accepted, and a false value counts as not given", () => {
    expect(() => checkExclusiveFlags("run", { verbose: true })).not.toThrow();
    expect(() => checkExclusiveFlags("run", { json: true, quiet: false })).not.toThrow();
    let caught: unknown;
    try {
      checkExclusiveFlags("logs", { json: true, quiet: true, verbose: true });
    } catch (error) {
      caught = error;
    }
    expect(isNaxError(caught, "USAGE")).toBe(true);
    expect((caught as Error).message).toContain("--json and --verbose and --quiet cannot be combined");
  });
});
