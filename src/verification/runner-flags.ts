/**
 * What each test runner's flags are, as data for the scoped-command builder
 * (trap 33, docs/traps.md): whether a flag stands alone ("bool"), takes the
 * next word ("value"), takes every following word up to the next flag
 * ("array", jest's yargs arrays such as --testMatch), takes a value only
 * sometimes ("optional", which makes the next word ambiguous), or changes
 * which tests the positionals select ("unsure": the builder never scopes
 * such a command). A flag absent from a table is unknown: the builder never
 * guesses its arity, so an unknown flag followed by a bare word means the
 * full suite. The tables come from each runner's own option definitions
 * (jest-cli 30 args, vitest 4 cliOptionsConfig, `bun test --help`, pytest 9
 * and go 1.22 docs); they only need to be right, not complete.
 */
import type { RunnerName } from "./parsers/types";

export type FlagKind = "bool" | "value" | "array" | "optional" | "unsure";

const table = (kinds: Partial<Record<FlagKind, string>>): Map<string, FlagKind> => {
  const map = new Map<string, FlagKind>();
  for (const [kind, text] of Object.entries(kinds) as Array<[FlagKind, string]>) {
    for (const flag of text.split(/\s+/).filter(Boolean)) map.set(flag, kind);
  }
  return map;
};

const PYTEST = table({
  bool: `-q -v -s -x -l -h --quiet --verbose --exitfirst --showlocals --disable-warnings --disable-pytest-warnings
    --full-trace --cache-clear --lf --last-failed --ff --failed-first --nf --new-first --sw --stepwise --sw-skip
    --stepwise-skip --co --collect-only --strict-markers --strict-config --strict --runxfail --pdb --trace
    --setup-show --setup-only --setup-plan --fixtures --markers --version --help --no-header --no-summary
    --doctest-modules --doctest-continue-on-failure --keep-duplicates --noconftest --continue-on-collection-errors
    --no-showlocals --fixtures-per-test --force-short-summary --lfnf --last-failed-no-failures --cov-append
    --no-cov --no-cov-on-fail --self-contained-html`,
  value: `-k -m -p -c -o -n -W -r --rootdir --maxfail --tb --junitxml --junit-xml --junit-prefix --cov-report
    --cov-config --cov-fail-under --deselect --ignore --durations --durations-min --log-level --log-format
    --log-date-format --log-cli-level --log-cli-format --log-cli-date-format --log-file --log-file-level
    --log-file-format --log-file-date-format --log-file-mode --confcutdir --basetemp --import-mode --timeout
    --dist --capture --override-ini --reruns --reruns-delay --color --code-highlight --show-capture --html
    --css --doctest-glob --doctest-report --pastebin --report-log --json-report-file --verbosity --maxprocesses
    --tx --config-file --inifile --assert --ignore-glob --max-worker-restart --random-order-seed --md-report-output`,
  // nargs="?" options: `--cov src` and `--cov tests/` cannot be told apart from `--cov` then a path.
  optional: "--cov --debug --cache-show --lf-no-failures",
  // Positionals become packages, or the run is not a test run.
  unsure: "--pyargs",
});

const JEST = table({
  bool: `--bail -b --cache --ci --clearCache --clearMocks --collectCoverage --coverage --collectTests --color
    --colors --debug --detectLeaks --detectOpenHandles --errorOnDeprecated --expand -e --forceExit --injectGlobals
    --json --listTests --logHeapUsage --noStackTrace --notify --onlyFailures -f --passWithNoTests --randomize
    --resetMocks --resetModules --restoreMocks --runInBand -i --runTestsByPath --showConfig --showSeed --silent
    --skipFilter --testLocationInResults --updateSnapshot -u --useStderr --verbose --waitForUnhandledRejections
    --watch --watchAll --watchman --workerThreads --version --help -h --all`,
  value: `--cacheDirectory --collectCoverageFrom --config -c --coverageDirectory --coverageProvider
    --coverageThreshold --filter --globalSetup --globalTeardown --globals --haste --maxConcurrency --maxWorkers -w
    --moduleNameMapper --notifyMode --openHandlesTimeout --outputFile --preset --prettierPath --resolver --rootDir
    --runner --seed --shard --testEnvironment --env --testEnvironmentOptions --testFailureExitCode
    --testNamePattern -t --testResultsProcessor --testRunner --testSequencer --testTimeout --transform
    --workerGracefulExitTimeout --workerIdleMemoryLimit`,
  array: `--coveragePathIgnorePatterns --coverageReporters --ignoreProjects --moduleDirectories
    --moduleFileExtensions --modulePathIgnorePatterns --modulePaths --projects --reporters --roots --selectProjects
    --setupFiles --setupFilesAfterEnv --snapshotSerializers --testMatch --testPathIgnorePatterns --testRegex
    --transformIgnorePatterns --unmockedModulePathPatterns --watchPathIgnorePatterns`,
  // Each selects tests another way, in union with (or instead of) the positionals.
  unsure: `--testPathPatterns --testPathPattern --findRelatedTests --onlyChanged -o --changedSince
    --changedFilesWithAncestor --lastCommit`,
});

const VITEST = table({
  bool: `--watch -w --ui --open --hideSkippedTests --coverage --coverage.enabled --coverage.clean
    --coverage.cleanOnRerun --coverage.reportOnFailure --coverage.allowExternal --coverage.skipFull
    --coverage.thresholds.100 --coverage.thresholds.perFile --coverage.excludeAfterRemap --isolate --globals --dom
    --browser.enabled --browser.headless --browser.isolate --browser.ui --browser.fileParallelism
    --browser.trackUnhandledErrors --fileParallelism --passWithNoTests --logHeapUsage --detectAsyncLeaks
    --allowOnly --dangerouslyIgnoreUnhandledErrors --sequence.shuffle --sequence.shuffle.files
    --sequence.shuffle.tests --sequence.concurrent --expandSnapshotDiff --disableConsoleIntercept --typecheck
    --typecheck.enabled --typecheck.only --typecheck.allowJs --typecheck.ignoreSourceErrors --cache
    --printConsoleTrace --includeTaskLocation --run --color --clearScreen --standalone --clearCache --strictTags
    --version -v --help -h`,
  value: `--root -r --config -c --testNamePattern -t --dir --reporter --reporters --outputFile --coverage.provider
    --coverage.include --coverage.exclude --coverage.reportsDirectory --coverage.reporter --coverage.htmlDir
    --coverage.thresholds.lines --coverage.thresholds.functions --coverage.thresholds.branches
    --coverage.thresholds.statements --mode --browser --browser.name --browser.provider --browser.trace --pool
    --execArgv --vmMemoryLimit --maxWorkers --minWorkers --environment --shard --sequence.seed --sequence.hooks
    --sequence.setupFiles --testTimeout --hookTimeout --bail --retry --exclude --typecheck.checker
    --typecheck.tsconfig --project --slowTestThreshold --teardownTimeout --maxConcurrency --configLoader
    --tagsFilter --attachmentsDir`,
  optional: "--update -u --api --silent --browser.api --inspect --inspectBrk --mergeReports --listTags",
  unsure: "--changed",
});

const BUN = table({
  bool: `--no-orphans --update-snapshots -u --todo --only --pass-with-no-tests --concurrent --randomize --coverage
    --dots --only-failures --isolate --no-isolate --update-timings --watch --hot --smol --no-install`,
  value: `--timeout --rerun-each --retry --seed --coverage-reporter --coverage-dir --test-name-pattern -t --reporter
    --reporter-outfile --max-concurrency --path-ignore-patterns --shard --timings --parallel-delay --preload -r
    --config -c --cwd --env-file --tsconfig-override --conditions --define -d --loader -l`,
  optional: "--bail --parallel",
  unsure: "--changed",
});

// go's flag package: a boolean flag never takes the next word, every other flag always does.
const GO = table({
  bool: `-v -race -short -failfast -json -cover -x -a -n -work -benchmem -trimpath -i -linkshared -msan -asan
    -buildvcs -c -fullpath`,
  value: `-run -bench -benchtime -count -cpu -parallel -timeout -tags -coverprofile -covermode -coverpkg -p -o
    -exec -skip -fuzz -fuzztime -fuzzminimizetime -ldflags -gcflags -asmflags -mod -modfile -shuffle
    -blockprofile -blockprofilerate -cpuprofile -memprofile -memprofilerate -mutexprofile -mutexprofilefraction
    -trace -outputdir -vet -pkgdir -toolexec -overlay -compiler -installsuffix -buildmode -pgo -covermode`,
});

export const RUNNER_FLAGS: Record<RunnerName, Map<string, FlagKind>> = {
  pytest: PYTEST,
  jest: JEST,
  vitest: VITEST,
  bun: BUN,
  go: GO,
};

/** Runners whose single-dash words may be clusters of one-letter flags (`-xvs`, `-kname`). */
const CLUSTERS: ReadonlySet<RunnerName> = new Set(["pytest", "jest", "vitest", "bun"]);

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** What kind of flag `word` is for this runner; undefined when the runner does not say. */
export function flagKind(runner: RunnerName, word: string): FlagKind | undefined {
  const flags = RUNNER_FLAGS[runner];
  // go accepts `--run` for `-run`; jest (yargs) and vitest (cac) accept `--test-name-pattern` for `--testNamePattern`.
  const name = runner === "go" ? word.replace(/^--/, "-") : word;
  const direct =
    flags.get(name) ?? (runner === "jest" || runner === "vitest" ? flags.get(`--${camel(name.slice(2))}`) : undefined);
  if (direct) return direct;
  // yargs and cac read `--no-x` as x = false.
  if ((runner === "jest" || runner === "vitest") && name.startsWith("--no-")) return "bool";
  if (!CLUSTERS.has(runner) || name.startsWith("--") || name.length <= 2) return undefined;
  const first = flags.get(name.slice(0, 2));
  // `-kname`, `-rA`: a one-letter flag that takes a value carries it attached.
  if (first === "value") return "bool";
  const letters = name.slice(1).split("");
  return letters.every((letter) => flags.get(`-${letter}`) === "bool") ? "bool" : undefined;
}
