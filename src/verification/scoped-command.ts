/**
 * The runner-aware builder of scoped test commands (trap 27, docs/traps.md). It keeps
 * every word of the user's command except the positional arguments after the
 * runner, which it replaces by the files to run; flags and their values stay
 * byte for byte. Positionals are dropped, not kept, because for bun, jest and
 * vitest they are FILTERS, not roots: `bun test test/ ./a.test.ts` runs every
 * file whose path contains "test/", i.e. the whole suite (bun matches
 * positionals as substrings; only a `./` prefix makes one an exact path).
 * pytest and go would also run the whole directory given. A command we cannot
 * read with confidence (several commands, pipes, `--`, an unknown runner)
 * returns undefined: the caller runs the full suite or uses `testScoped`.
 */
import { executableName } from "./parsers/text";
import type { RunnerName } from "./parsers/types";
import { quoteShellArg, type ShellWord, splitShellWords } from "./shell-words";

interface RunnerSyntax {
  /** Flags whose value is the next word when not written `--flag=value`. */
  valueFlags: ReadonlySet<string>;
  /** Positionals that are subcommands, not filters (`vitest run`). */
  subcommands?: ReadonlySet<string>;
  formatFiles(files: string[]): string[];
}

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

const SYNTAX: Record<RunnerName, RunnerSyntax> = {
  bun: {
    valueFlags: words(`--timeout -t --test-name-pattern --preload -r --rerun-each --seed --coverage-reporter
      --coverage-dir --reporter --reporter-outfile --max-concurrency --path-ignore-patterns -c --config --env-file
      --cwd --tsconfig-override --conditions -d --define -l --loader`),
    // `./` makes bun treat the argument as a path instead of a substring filter.
    formatFiles: (files) => files.map((file) => (file.startsWith("/") || file.startsWith("./") ? file : `./${file}`)),
  },
  jest: {
    valueFlags: words(`-c --config -t --testNamePattern -w --maxWorkers --testTimeout --reporters --rootDir --roots
      --selectProjects --shard --testPathIgnorePatterns --testPathPattern --testPathPatterns --coverageReporters
      --coverageDirectory --collectCoverageFrom --outputFile --testEnvironment --testRunner --setupFilesAfterEnv
      --globalSetup --globalTeardown --seed --maxConcurrency --testSequencer --cacheDirectory --filter --env`),
    // jest reads each file as a regular expression: escape what would change its meaning.
    formatFiles: (files) => files.map((file) => file.replace(/[[\]()+*?^$|{}\\]/g, "\\$&")),
  },
  vitest: {
    valueFlags: words(`-c --config -t --testNamePattern -r --root --dir --project --reporter --outputFile --pool
      --environment --shard --maxWorkers --minWorkers --testTimeout --hookTimeout --retry --exclude --mode`),
    subcommands: words("run watch dev"),
    formatFiles: (files) => files,
  },
  pytest: {
    valueFlags: words(`-k -m -p -c -o -n -W --rootdir --maxfail --tb --junitxml --junit-xml --cov --cov-report
      --cov-config --deselect --ignore --ignore-glob --durations --log-level --confcutdir --basetemp --import-mode
      --timeout --dist --capture --override-ini --reruns`),
    formatFiles: (files) => files,
  },
  go: {
    valueFlags: words(`-run -bench -benchtime -count -cpu -parallel -timeout -tags -coverprofile -covermode
      -coverpkg -p -o -exec -skip -fuzz -fuzztime -ldflags -gcflags -asmflags -mod -modfile -shuffle -blockprofile
      -cpuprofile -memprofile -mutexprofile -trace -outputdir -vet -pkgdir -toolexec -overlay`),
    // go takes packages, not files: the directories of the changed test files.
    formatFiles: (files) => [...new Set(files.map(packageDir))],
  },
};

function packageDir(file: string): string {
  const slash = file.lastIndexOf("/");
  if (slash < 0) return ".";
  const dir = file.slice(0, slash);
  return dir.startsWith("/") || dir.startsWith("./") ? dir : `./${dir}`;
}

/** Where the runner's own arguments start, and which runner it is. */
function findRunner(list: ShellWord[]): { runner: RunnerName; argsFrom: number } | undefined {
  for (let index = 0; index < list.length; index += 1) {
    const name = executableName(list[index]?.value ?? "");
    const next = list[index + 1]?.value;
    if (name === "bun" && next === "test") return { runner: "bun", argsFrom: index + 2 };
    if (name === "go" && next === "test") return { runner: "go", argsFrom: index + 2 };
    if (name === "jest") return { runner: "jest", argsFrom: index + 1 };
    if (name === "vitest") return { runner: "vitest", argsFrom: index + 1 };
    if (name === "pytest" || name === "py.test") return { runner: "pytest", argsFrom: index + 1 };
    if (/^python[\d.]*$/.test(name) && next === "-m" && list[index + 2]?.value === "pytest") {
      return { runner: "pytest", argsFrom: index + 3 };
    }
  }
  return undefined;
}

/** Splits the runner's arguments into what to keep (flags, values, subcommands) and drops the filters. */
function keepFlags(args: ShellWord[], syntax: RunnerSyntax, runner: RunnerName): ShellWord[] | undefined {
  const kept: ShellWord[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] as ShellWord;
    if (word.value === "--") return undefined;
    if (word.value.startsWith("-") && word.value.length > 1) {
      kept.push(word);
      const flag = runner === "go" ? word.value.replace(/^--/, "-") : word.value;
      const next = args[index + 1];
      // A value flag takes the next word; so does any flag followed by a bare number (`--timeout 60000`).
      if (next && !flag.includes("=") && (syntax.valueFlags.has(flag) || /^\d+$/.test(next.value))) {
        kept.push(next);
        index += 1;
      }
      continue;
    }
    if (index === 0 && syntax.subcommands?.has(word.value)) kept.push(word);
    else if (runner === "vitest" && word.value === "related") return undefined;
  }
  return kept;
}

export interface ScopedCommand {
  runner: RunnerName;
  command: string;
}

export function buildScopedCommand(command: string, files: string[]): ScopedCommand | undefined {
  if (files.length === 0) return undefined;
  const list = splitShellWords(command.trim());
  if (!list) return undefined;
  const found = findRunner(list);
  if (!found) return undefined;
  const syntax = SYNTAX[found.runner];
  const args = list.slice(found.argsFrom);
  // go passes everything after `-args` to the test binary: it stays last, untouched.
  const argsAt = found.runner === "go" ? args.findIndex((word) => /^--?args$/.test(word.value)) : -1;
  const own = argsAt >= 0 ? args.slice(0, argsAt) : args;
  const binaryArgs = argsAt >= 0 ? args.slice(argsAt) : [];
  const kept = keepFlags(own, syntax, found.runner);
  if (!kept) return undefined;
  const parts = [
    ...list.slice(0, found.argsFrom).map((word) => word.raw),
    ...kept.map((word) => word.raw),
    ...syntax.formatFiles(files).map(quoteShellArg),
    ...binaryArgs.map((word) => word.raw),
  ];
  return { runner: found.runner, command: parts.join(" ") };
}

/** Whether `buildScopedCommand` can narrow this command at all (the files do not change that answer). */
export function isScopable(command: string): boolean {
  return buildScopedCommand(command, ["probe.test.ts"]) !== undefined;
}

/** Fills a `testScoped` template: `{{files}}` becomes the shell-quoted file list. */
export function fillScopedTemplate(template: string, files: string[]): string {
  return template.replaceAll("{{files}}", files.map(quoteShellArg).join(" "));
}
