/**
 * `npm run demo`: a real `nax run` on the bundled example, driving the real
 * Claude Code CLI (the devDependency) against a scripted model server on
 * loopback. Everything happens in a fresh temp copy, so the demo can be
 * repeated; nothing touches your ~/.nax or ~/.claude. The model is scripted:
 * `examples/demo/scenarios/*.json` say what it "decides" for each story,
 * including one wrong first attempt that nax's rectify loop sends back, and
 * (scenarios/acceptance.json) the acceptance tests of every criterion,
 * written before any story and confirmed RED by nax on the base.
 *
 *   bun examples/demo/run-demo.ts [--keep]
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { type MockScenario, parseScenario, startMockAnthropic } from "../../test/helpers/mock-anthropic";

const here = import.meta.dir;
const repo = resolve(here, "../..");
const bin = join(repo, "node_modules", ".bin");
const naxEntry = join(repo, "bin", "nax.ts");
const keep = process.argv.includes("--keep");

async function loadScenarios(): Promise<Record<string, MockScenario>> {
  const dir = join(here, "scenarios");
  const scenarios: Record<string, MockScenario> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".json")).sort()) {
    scenarios[basename(file, ".json")] = parseScenario(JSON.parse(await readFile(join(dir, file), "utf8")), file);
  }
  return scenarios;
}

async function sh(cmd: string[], cwd: string, env: Record<string, string | undefined>, quiet = false): Promise<number> {
  const proc = Bun.spawn(cmd, {
    cwd,
    env,
    stdin: "ignore",
    stdout: quiet ? "ignore" : "inherit",
    stderr: quiet ? "pipe" : "inherit",
  });
  const [code, err] = await Promise.all([proc.exited, quiet ? new Response(proc.stderr).text() : ""]);
  if (code !== 0 && quiet) process.stderr.write(err);
  return code;
}

async function prepareProject(root: string, env: Record<string, string | undefined>): Promise<string> {
  const project = join(root, "demo-strings");
  await cp(join(here, "project"), project, { recursive: true });
  const git = (...args: string[]) => sh(["git", ...args], project, env, true);
  await git("init", "-q", "-b", "main");
  await git("config", "user.name", "nax demo");
  await git("config", "user.email", "demo@nax.invalid");
  await git("config", "commit.gpgsign", "false");
  // Set up as a user would: `nax init`, `nax features create`, then write the PRD and the config.
  await sh([process.execPath, naxEntry, "init", "-d", project], project, env, true);
  await sh([process.execPath, naxEntry, "features", "create", "strings", "-d", project], project, env, true);
  await cp(join(here, "prd.json"), join(project, "nax", "features", "strings", "prd.json"));
  const configPath = join(project, "nax", "config.json");
  // init wrote only what it detected (nothing, here): the rest is the demo's own choice.
  const written = JSON.parse(await readFile(configPath, "utf8"));
  const config = {
    ...written,
    // The project's suite is test/; the acceptance tests live beside it and are run one file at a time.
    quality: { ...written.quality, commands: { ...written.quality?.commands, test: "bun test test/" } },
    acceptance: { enabled: true, folder: "acceptance", command: "bun test {{files}}" },
    agents: { claude: { command: join(bin, "claude") } },
    execution: { ...written.execution, costLimit: 5 },
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  await git("add", "-A");
  await git("commit", "-q", "-m", "demo-strings: project with the strings feature PRD");
  return project;
}

function demoEnv(root: string, mockUrl: string): Record<string, string | undefined> {
  const home = join(root, "home");
  return {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    LANG: process.env.LANG ?? "C.UTF-8",
    TERM: process.env.TERM,
    HOME: home,
    NAX_HOME: join(root, "nax-home"),
    TMPDIR: join(root, "tmp"),
    CLAUDE_CONFIG_DIR: join(home, ".claude"),
    CLAUDE_CODE_TMPDIR: join(root, "tmp"),
    ANTHROPIC_BASE_URL: mockUrl,
    ANTHROPIC_API_KEY: "sk-ant-demo-scripted-model",
    CLAUDE_CODE_MAX_RETRIES: "1",
    API_TIMEOUT_MS: "20000",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    // The demo runs in a throwaway temp copy; as root the CLI needs this to accept --dangerously-skip-permissions.
    ...(process.getuid?.() === 0 ? { IS_SANDBOX: "1" } : {}),
    NO_COLOR: process.env.NO_COLOR,
  };
}

async function main(): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), "nax-demo-"));
  const mock = startMockAnthropic({ scenarios: await loadScenarios() });
  try {
    const env = demoEnv(root, mock.url);
    await mkdir(join(root, "tmp"), { recursive: true });
    await mkdir(join(root, "home"), { recursive: true });
    const project = await prepareProject(root, env);
    console.log("nax demo: the real Claude Code CLI, driven by nax, against a SCRIPTED model on loopback.");
    console.log(`          The model's turns are in examples/demo/scenarios/; nothing reaches the network.`);
    console.log(`          Acceptance step: the scripted model writes one test per criterion first (acceptance.json).`);
    console.log(`          Project: ${project}\n`);
    const code = await sh([process.execPath, naxEntry, "run", "-f", "strings", "-d", project], project, env);
    console.log("\n$ nax accept list");
    await sh([process.execPath, naxEntry, "accept", "list", "-d", project], project, env);
    console.log("\n$ nax status");
    await sh([process.execPath, naxEntry, "status", "-d", project], project, env);
    console.log("\n$ git log --oneline");
    await sh(["git", "log", "--oneline"], project, env);
    console.log("\n$ nax runs --last 5");
    await sh([process.execPath, naxEntry, "runs", "--last", "5"], project, env);
    console.log(`\nnax run exited ${code}${keep ? `; project kept at ${project}` : ""}`);
    return code;
  } finally {
    await mock.stop();
    if (!keep) await rm(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
