/**
 * One story from prompt to commit with a REAL agent CLI against a loopback
 * mock of its model API, run as a script inside a network namespace that has
 * only loopback (real-agents.e2e.test.ts starts it with `unshare -rn`): the
 * mock, nax and the CLI all live there, so the CLI cannot reach the real
 * network whatever it tries (update checks, model lists, telemetry).
 *   bun one-story.ts <opencode|codex|gemini>
 * Prints one JSON line: nax's exit code, the story's status, the commits,
 * the file the agent wrote, the mock's request count, and nax's stderr.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createSys } from "../../../src/system/sys";
import { startMockAnthropic } from "../../helpers/mock-anthropic";
import { createTestProject } from "../../helpers/project";
import { startMockGemini } from "./mock-gemini";
import { startMockOpenAi } from "./mock-openai";

const cli = process.argv[2] as "opencode" | "codex" | "gemini";
const bin = (name: string) => resolve(import.meta.dir, "../../../node_modules/.bin", name);
const STORY = { id: "US-001", title: "Write hello.txt", routing: { complexity: "simple" } };

async function main() {
  const project = await createTestProject({
    stories: [STORY],
    config: {
      // One attempt: a failing e2e should fail in one session's time, not climb the ladder.
      autoMode: { defaultAgent: cli, escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      quality: { commands: { test: "test -f hello.txt" } },
      execution: { regressionGate: { mode: "disabled" }, rectification: { maxRetries: 0 }, sessionTimeoutSeconds: 240 },
      agents: { [cli]: { command: bin(cli), ...(cli === "codex" ? { sandbox: "danger-full-access" } : {}) } },
    },
  });
  const root = dirname(project.dir);
  const home = join(root, "user-home");
  const xdg = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_STATE_HOME: join(home, ".local/state"),
  };
  let requests = () => 0;
  let stop: () => Promise<void> = () => Promise.resolve();
  const env: Record<string, string> = { ...project.env, ...xdg };
  if (cli === "opencode") {
    const mock = startMockAnthropic({
      scenario: {
        turns: [
          { tool_use: { name: "write", input: { filePath: "hello.txt", content: "hello\n" } } },
          { text: "Wrote hello.txt." },
        ],
        side: { text: "Write hello.txt" },
      },
    });
    requests = () => mock.requests().length;
    stop = () => mock.stop();
    Object.assign(env, {
      ANTHROPIC_API_KEY: "sk-ant-mock",
      ANTHROPIC_BASE_URL: `${mock.url}/v1`,
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    });
  } else if (cli === "codex") {
    const mock = startMockOpenAi({ writeFile: "hello.txt", content: "hello\n" });
    requests = () => mock.requests;
    stop = () => mock.stop();
    const codexHome = join(home, ".codex");
    await Bun.write(
      join(codexHome, "config.toml"),
      `model_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${mock.url}/v1"\nenv_key = "OPENAI_API_KEY"\nwire_api = "responses"\n`,
    );
    Object.assign(env, { CODEX_HOME: codexHome, OPENAI_API_KEY: "sk-mock" });
  }
  if (cli === "gemini") {
    const mock = startMockGemini({ writeFile: "hello.txt", content: "hello\n" });
    requests = () => mock.requests.length;
    stop = () => mock.stop();
    // No telemetry, no update check: nothing for the CLI to call but the mock (the namespace has no network anyway).
    await Bun.write(
      join(home, ".gemini/settings.json"),
      // The API-key auth type, chosen up front: with only GOOGLE_GEMINI_BASE_URL the CLI picks "gateway",
      // which 0.61's headless auth check rejects ("Invalid auth method selected."); the base URL applies to either.
      JSON.stringify({
        security: { auth: { selectedType: "gemini-api-key" } },
        telemetry: { enabled: false },
        general: { disableAutoUpdate: true, disableUpdateNag: true },
      }),
    );
    Object.assign(env, {
      GEMINI_API_KEY: "mock-key",
      GOOGLE_GEMINI_BASE_URL: mock.url,
      GEMINI_CLI_NO_RELAUNCH: "true",
    });
  }
  const sys = createSys({ env, naxHome: project.home });
  const run = await project.nax(["run", "-f", "demo", "--skip-precheck"], { sys });
  const prd = JSON.parse(await readFile(join(project.dir, "nax/features/demo/prd.json"), "utf8"));
  const hello = await readFile(join(project.dir, "hello.txt"), "utf8").catch(() => null);
  const summary = {
    code: run.code,
    status: prd.userStories[0].status,
    commits: project.git(["log", "--format=%s"]).trim().split("\n"),
    hello,
    requests: requests(),
    err: run.err.slice(-3000),
    out: run.out.slice(-3000),
  };
  await stop();
  await writeFile(join(root, "summary.json"), JSON.stringify(summary));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await project.cleanup();
}

await main();
process.exit(0);
