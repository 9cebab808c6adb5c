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
  const contradictions: [string[], string][] = [
    [["run", "--verbose", "--quiet"], "--quiet and --verbose"],
    [["run", "--quiet", "--json"], "--quiet and --json"],
    [["run", "--json", "--quiet"], "--quiet and --json"],
  ];
  for (const [argv, named] of contradictions) {
    test(`nax ${argv.join(" ")} is refused with exit 2 by the same rule, naming both flags`, async () => {
      const t = createTestIo({ naxHome: temp.path, cwd: temp.path });
      expect(await t.run(argv)).toBe(2);
      expect(t.stderr()).toContain(`nax ${argv[0]}: ${named} cannot be combined`);
    });
  }

  test("--json with --verbose is not a contradiction (more detail, as data), and a false value counts as not given", () => {
    expect(() => checkExclusiveFlags("diagnose", { json: true, verbose: true })).not.toThrow();
    expect(() => checkExclusiveFlags("run", { verbose: true })).not.toThrow();
    expect(() => checkExclusiveFlags("run", { json: true, quiet: false })).not.toThrow();
    let caught: unknown;
    try {
      checkExclusiveFlags("run", { verbose: true, quiet: true });
    } catch (error) {
      caught = error;
    }
    expect(isNaxError(caught, "USAGE")).toBe(true);
  });
});
