/**
 * What `nax init` can tell about a project's own commands from its files:
 * package.json scripts (test, lint, typecheck) and the runner behind the test
 * script (bun, vitest, jest, mocha, node --test); pytest from pyproject.toml,
 * pytest.ini, setup.cfg, tox.ini, conftest.py or a tests/ folder; go.mod →
 * `go test ./...`; Cargo.toml → `cargo test`. Pure over a read-only view of
 * the folder, so each ecosystem is a unit test. A test command nax cannot
 * find is reported as missing, never guessed (trap 28: no test command means
 * nothing is verified).
 */

export interface ProjectFiles {
  /** A file's text relative to the project, or undefined when absent. */
  readText(path: string): Promise<string | undefined>;
  /** The names in a folder relative to the project (empty when absent). */
  list(dir: string): Promise<string[]>;
}

export interface DetectedCommand {
  command: string;
  /** Where it came from, for the user: `package.json scripts.test (vitest)`. */
  source: string;
}

export interface DetectedCommands {
  test?: DetectedCommand;
  lint?: DetectedCommand;
  typecheck?: DetectedCommand;
}

type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** npm's placeholder test script, which only ever fails. */
const NPM_PLACEHOLDER = /no test specified/;
/** A script that is more than one command: run through the package manager, never rewritten. */
const SHELL_OPERATORS = /&&|\|\||[;|<>`$()]/;

async function packageManager(files: ProjectFiles, names: string[]): Promise<PackageManager> {
  if (names.includes("bun.lock") || names.includes("bun.lockb")) return "bun";
  if (names.includes("pnpm-lock.yaml")) return "pnpm";
  if (names.includes("yarn.lock")) return "yarn";
  const pkg = await files.readText("package.json");
  const declared = pkg ? /"packageManager"\s*:\s*"(npm|pnpm|yarn|bun)@/.exec(pkg)?.[1] : undefined;
  return (declared as PackageManager | undefined) ?? "npm";
}

function runScript(pm: PackageManager, script: string): string {
  if (pm === "npm") return script === "test" ? "npm test" : `npm run ${script}`;
  return `${pm} run ${script}`;
}

/**
 * The test script as the runner's own command, so that nax can read the
 * runner's output and scope it; undefined when the script is not one plain
 * invocation of a runner nax knows.
 */
export function runnerCommand(script: string, pm: PackageManager): { command: string; runner: string } | undefined {
  const text = script.trim();
  if (SHELL_OPERATORS.test(text)) return undefined;
  const words = text.split(/\s+/);
  const [first, second] = words;
  const exec = pm === "bun" ? "bunx" : "npx";
  if (first === "bun" && second === "test") return { command: text, runner: "bun" };
  if (first === "node" && words.includes("--test")) return { command: text, runner: "node --test" };
  if (first === "vitest") {
    // Bare `vitest` watches on a terminal; nax needs one run that exits.
    const rest = words.slice(1);
    const sub = rest[0];
    const args = sub === "run" ? rest : sub === "watch" || sub === "dev" ? ["run", ...rest.slice(1)] : ["run", ...rest];
    return { command: [exec, "vitest", ...args].join(" "), runner: "vitest" };
  }
  if (first === "jest" || first === "mocha") {
    if (words.includes("--watch") || words.includes("--watchAll")) return undefined;
    return { command: `${exec} ${text}`, runner: first };
  }
  return undefined;
}

function parseScripts(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    const scripts = (parsed as { scripts?: unknown } | null)?.scripts;
    if (typeof scripts !== "object" || scripts === null) return {};
    return Object.fromEntries(
      Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  } catch {
    // A package.json that is not JSON has no scripts nax can read; npm would refuse it too.
    return {};
  }
}

async function detectNode(files: ProjectFiles, names: string[]): Promise<DetectedCommands> {
  const scripts = parseScripts(await files.readText("package.json"));
  const pm = await packageManager(files, names);
  const found: DetectedCommands = {};
  const test = scripts.test;
  if (test !== undefined && !NPM_PLACEHOLDER.test(test)) {
    const direct = runnerCommand(test, pm);
    found.test = direct
      ? { command: direct.command, source: `package.json scripts.test (${direct.runner})` }
      : {
          command: runScript(pm, "test"),
          source: "package.json scripts.test (runner not recognised: judged by exit code)",
        };
  }
  if (scripts.lint !== undefined) found.lint = { command: runScript(pm, "lint"), source: "package.json scripts.lint" };
  const typecheck = ["typecheck", "type-check", "check-types"].find((name) => scripts[name] !== undefined);
  if (typecheck) found.typecheck = { command: runScript(pm, typecheck), source: `package.json scripts.${typecheck}` };
  return found;
}

async function usesPytest(files: ProjectFiles, names: string[]): Promise<string | undefined> {
  if (names.includes("pytest.ini")) return "pytest.ini";
  if (names.includes("conftest.py")) return "conftest.py";
  for (const [file, marker] of [
    ["pyproject.toml", /\[tool\.pytest|pytest/],
    ["setup.cfg", /\[tool:pytest\]/],
    ["tox.ini", /\[pytest\]/],
  ] as const) {
    if (names.includes(file) && marker.test((await files.readText(file)) ?? "")) return file;
  }
  const tests = await files.list("tests");
  if (tests.some((name) => /^test_.*\.py$|_test\.py$/.test(name))) return "tests/";
  return undefined;
}

export async function detectCommands(files: ProjectFiles): Promise<DetectedCommands> {
  const names = await files.list(".");
  const found: DetectedCommands = names.includes("package.json") ? await detectNode(files, names) : {};
  if (found.test) return found;
  const pytest = await usesPytest(files, names);
  if (pytest) return { ...found, test: { command: "python3 -m pytest", source: `${pytest} (pytest)` } };
  if (names.includes("go.mod")) return { ...found, test: { command: "go test ./...", source: "go.mod (go test)" } };
  if (names.includes("Cargo.toml")) return { ...found, test: { command: "cargo test", source: "Cargo.toml (cargo)" } };
  return found;
}
