/**
 * Flags that contradict each other, checked in one place for every command
 * (program.ts runs this before any action). `--quiet` asks for less than
 * the normal output, `--verbose` for more and `--json` for all of it as data:
 * `--quiet` with either of the others is a contradiction and a usage error
 * (exit 2), never a silent pick of one side. `--json --verbose` is not one
 * (diagnose's JSON then carries every piece of evidence).
 */
import { NaxError } from "../errors";

/** Each group: flags of which at most one may be given. Named as the user types them. */
export const EXCLUSIVE_FLAG_GROUPS: readonly (readonly string[])[] = [
  ["--quiet", "--verbose"],
  ["--quiet", "--json"],
];

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
        `nax ${command}: ${given.join(" and ")} cannot be combined (--quiet asks for less output, ${given.filter((flag) => flag !== "--quiet").join(" and ")} for more; pick one)`,
      );
    }
  }
}
