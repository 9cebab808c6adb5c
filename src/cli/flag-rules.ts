/**
 * Flags that contradict each other, checked in one place for every command
 * (program.ts runs this before any action). `--json`, `--verbose` and
 * `--quiet` each choose a different console output, so a command takes at
 * most one of them; a contradiction is a usage error (exit 2), never a silent
 * pick of one side.
 */
import { NaxError } from "../errors";

/** Each group: flags of which at most one may be given. Named as the user types them. */
export const EXCLUSIVE_FLAG_GROUPS: readonly (readonly string[])[] = [["--json", "--verbose", "--quiet"]];

function optionKey(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Throws a usage error naming the flags when `options` (commander's parsed values) holds two of a group. */
export function checkExclusiveFlags(command: string, options: Record<string, unknown>): void {
  for (const group of EXCLUSIVE_FLAG_GROUPS) {
    const given = group.filter((flag) => options[optionKey(flag)] !== undefined && options[optionKey(flag)] !== false);
    if (given.length > 1) {
      throw new NaxError(
        "USAGE",
        `nax ${command}: ${given.join(" and ")} cannot be combined (${group.join(", ")} each choose a different output; pick one)`,
      );
    }
  }
}
