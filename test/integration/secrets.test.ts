/**
 * Trap 30 (docs/traps.md), the reproduction: a test command that prints `env`
 * when it fails, and an agent whose error and text hold its key. With
 * ANTHROPIC_API_KEY and AWS_SECRET_ACCESS_KEY in the run's environment (given
 * through `sys.env`, not this process's), neither value appears in git's
 * history, in any file under the project or NAX_HOME, or on the console; the
 * test command never sees a secret-named variable except the one
 * `quality.keepEnvVars` lets through, whose value is redacted in turn.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSys } from "../../src/system/sys";
import type { FakeClaudeInvocation } from "../fakes/fake-claude-script";
import { type CliResult, createTestProject, type TestProject } from "../helpers/project";
import { readStories } from "../helpers/read-run";

// Real processes (git, sh, the fake agent) on a loaded 2-core machine.
setDefaultTimeout(60_000);

const ANTHROPIC = "sk-ant-api03-reproduction-0123456789abcdef";
const AWS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREPRO0123";
/** Kept for the test command by `quality.keepEnvVars`: it sees it, and prints it. */
const NPM = "npm_kept_token_9876543210";
const SECRETS = [ANTHROPIC, AWS, NPM];

/** Passes once the agent wrote done.txt; before that, dumps env (and a leaked config line) and fails. */
const TEST_SH = `env >> "$(git rev-parse --git-common-dir)/../../probe-env.txt"
echo "--- run" >> "$(git rev-parse --git-common-dir)/../../probe-env.txt"
if [ -f done.txt ]; then echo "1 pass"; exit 0; fi
echo "environment at failure:"
env
cat ../leaked-config.txt
exit 1
`;

describe("secrets in the run's environment (trap 30)", () => {
  let project: TestProject;
  let run: CliResult;
  let diagnose: CliResult;
  let calls: FakeClaudeInvocation[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Add the feature", routing: { complexity: "simple" } }],
      files: { "probe.sh": TEST_SH },
      config: {
        quality: { commands: { test: "sh probe.sh" }, keepEnvVars: ["NPM_TOKEN"] },
        execution: { rectification: { maxRetries: 0 }, regressionGate: { mode: "disabled" } },
        autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 3 }] } },
      },
      script: {
        sessions: [
          {
            name: "error-with-key",
            times: 1,
            result: { is_error: true, result: `upstream refused the request made with ${ANTHROPIC}` },
          },
          {
            name: "fails-tests",
            times: 1,
            actions: [
              { text: `I can see AWS_SECRET_ACCESS_KEY=${AWS} in the config` },
              { write: { path: "src/a.txt", content: "a\n" } },
            ],
            result: { result: `done; the key was ${ANTHROPIC}` },
          },
        ],
        default: { name: "passes", actions: [{ write: { path: "done.txt", content: "ok\n" } }] },
      },
    });
    // Outside the project: the project's own files are the user's, not what nax writes.
    await writeFile(join(project.dir, "..", "leaked-config.txt"), `aws_secret_access_key = ${AWS}\n`);
    const env = { ...project.env, ANTHROPIC_API_KEY: ANTHROPIC, AWS_SECRET_ACCESS_KEY: AWS, NPM_TOKEN: NPM };
    const sys = createSys({ env, naxHome: project.home });
    run = await project.nax(["run", "-f", "demo", "--skip-precheck", "--verbose"], { sys });
    diagnose = await project.nax(["diagnose", "-f", "demo"], { sys });
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run went through both failures and passed, so the secrets did reach nax", async () => {
    expect(run.code).toBe(0);
    expect(calls.map((call) => call.session)).toEqual(["error-with-key", "fails-tests", "passes"]);
    const failures = (await readStories(project))["US-001"]?.priorFailures ?? [];
    expect(failures).toHaveLength(2);
    expect(JSON.stringify(failures)).toContain("[redacted]");
  });

  test("no value appears in git's history, patches and messages alike", () => {
    const history = project.git(["log", "-p", "--all", "--format=%H%n%B"]);
    expect(history).toContain("nax/features/demo/prd.json");
    for (const secret of SECRETS) expect(history).not.toContain(secret);
  });

  test("no value appears in any file under the project (nax/ included) or NAX_HOME", async () => {
    const files = await project.snapshot();
    expect([...files.keys()].some((path) => path.includes("/runs/") && path.endsWith(".jsonl"))).toBe(true);
    for (const [path, content] of files) {
      for (const secret of SECRETS) {
        if (content.includes(secret)) throw new Error(`${path} holds a secret value`);
      }
    }
  });

  test("no value appears on the console, for the run or for diagnose", () => {
    const console = `${run.out}${run.err}${diagnose.out}${diagnose.err}`;
    expect(console).toContain("US-001");
    for (const secret of SECRETS) expect(console).not.toContain(secret);
  });

  test("the agent's prompts carry the earlier failures with the values redacted", () => {
    const retry = calls[2]?.prompt ?? "";
    expect(retry).toContain("[redacted]");
    for (const call of calls) for (const secret of [ANTHROPIC, AWS]) expect(call.prompt).not.toContain(secret);
  });

  test("the test command saw no secret-named variable but the kept one", async () => {
    const seen = await readFile(join(project.dir, "..", "probe-env.txt"), "utf8");
    expect(seen).toContain("PATH=");
    expect(seen).toContain(`NPM_TOKEN=${NPM}`);
    expect(seen).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(seen).not.toContain("ANTHROPIC_API_KEY");
    expect(seen).not.toContain(AWS);
    expect(seen).not.toContain(ANTHROPIC);
  });
});
