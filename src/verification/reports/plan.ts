/**
 * Which machine-readable report nax asks a known runner for, and the command
 * that asks for it: the user's command, every word kept, with the report
 * flags appended and the report written to a temp file outside the project.
 * The runner's own console output stays what the user sees: vitest gets
 * `--reporter=default` next to `json` (or the user's own `--reporter`s),
 * jest writes `--json` to the file and keeps its report on stderr, bun and
 * pytest add the JUnit file beside their console output. Anything nax cannot
 * read with confidence (several commands, `--`, a report the user already
 * asked for, mocha and node whose reports would replace the console output
 * or lack file names, go whose `-json` replaces it) gets no report: the text
 * parsers read the output instead.
 */
import { executableName } from "../parsers/text";
import { quoteShellArg, type ShellWord, splitShellWords } from "../shell-words";

export type ReportRunner = "vitest" | "jest" | "pytest" | "bun";
export type ReportFormat = "jest-json" | "junit";

export interface ReportPlan {
  runner: ReportRunner;
  format: ReportFormat;
  /** The command to run: the user's, plus the report flags. */
  command: string;
  path: string;
}

function findRunner(words: ShellWord[]): { runner: ReportRunner; argsFrom: number } | undefined {
  for (let index = 0; index < words.length; index += 1) {
    const name = executableName(words[index]?.value ?? "");
    const next = words[index + 1]?.value;
    if (name === "bun" && next === "test") return { runner: "bun", argsFrom: index + 2 };
    if (name === "jest") return { runner: "jest", argsFrom: index + 1 };
    if (name === "vitest") return { runner: "vitest", argsFrom: index + 1 };
    if (name === "pytest" || name === "py.test") return { runner: "pytest", argsFrom: index + 1 };
    if (/^python[\d.]*$/.test(name) && next === "-m" && words[index + 2]?.value === "pytest") {
      return { runner: "pytest", argsFrom: index + 3 };
    }
  }
  return undefined;
}

const has = (args: string[], pattern: RegExp) => args.some((arg) => pattern.test(arg));

/** The values given to `--flag`, written `--flag=value` or `--flag value`. */
function flagValues(args: string[], flag: string): string[] {
  const values: string[] = [];
  args.forEach((arg, index) => {
    if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
    else if (arg === flag && index + 1 < args.length) values.push(args[index + 1] ?? "");
  });
  return values;
}

/** The flags to append, or undefined when the user's own flags already decide where reports go. */
function reportFlags(runner: ReportRunner, args: string[], path: string): string[] | undefined {
  const file = quoteShellArg(path);
  switch (runner) {
    case "vitest": {
      const reporters = flagValues(args, "--reporter");
      if (has(args, /^--outputFile/) || reporters.includes("json") || has(args, /^(--ui|--watch|-w)$/))
        return undefined;
      const own = reporters.length > 0;
      return [...(own ? [] : ["--reporter=default"]), "--reporter=json", `--outputFile.json=${file}`];
    }
    case "jest":
      if (has(args, /^--(json|outputFile|watch|watchAll)(=|$)/)) return undefined;
      return ["--json", `--outputFile=${file}`];
    case "pytest":
      if (has(args, /^--junit-?xml(=|$)/) || has(args, /^no:junitxml$/) || has(args, /^-pno:junitxml$/))
        return undefined;
      return [`--junitxml=${file}`];
    case "bun":
      if (has(args, /^--reporter(-outfile)?(=|$)/) || has(args, /^--(watch|hot)$/)) return undefined;
      return ["--reporter=junit", `--reporter-outfile=${file}`];
  }
}

/** `reportPath(ext)` names a fresh file outside the project; called only when a report is planned. */
export function planReport(command: string, reportPath: (ext: string) => string): ReportPlan | undefined {
  const words = splitShellWords(command.trim());
  if (!words || words.length === 0) return undefined;
  const found = findRunner(words);
  if (!found) return undefined;
  const args = words.slice(found.argsFrom).map((word) => word.value);
  if (args.includes("--")) return undefined;
  const format: ReportFormat = found.runner === "vitest" || found.runner === "jest" ? "jest-json" : "junit";
  const path = reportPath(format === "junit" ? "xml" : "json");
  const flags = reportFlags(found.runner, args, path);
  if (!flags) return undefined;
  return { runner: found.runner, format, command: `${command.trim()} ${flags.join(" ")}`, path };
}
