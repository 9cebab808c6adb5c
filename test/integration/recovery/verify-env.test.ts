/**
 * Every command the recovery loop runs for the user (the verify stage's
 * tests, the review's lint, the deferred gate's full suite) sees nax's whole
 * environment minus secret-named variables and `quality.stripEnvVars`: an API
 * key in nax's environment never reaches test code, anything else does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createSys } from "../../../src/system/sys";
import { createTestProject, type TestProject } from "../../helpers/project";

const PROBE_SH = `echo "$1 key=\${ANTHROPIC_API_KEY:-unset} other=\${OTHER_SECRET:-unset} stripped=\${NAX_TEST_STRIPPED:-unset} custom=\${NAX_TEST_CUSTOM:-unset}" >> "$(git rev-parse --git-common-dir)/../../probe.log"
`;

describe("the environment of the user's test and lint commands", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      files: { "probe.sh": PROBE_SH },
      config: {
        quality: {
          requireLint: true,
          commands: { test: "sh probe.sh test", lint: "sh probe.sh lint" },
          stripEnvVars: ["NAX_TEST_STRIPPED"],
        },
        execution: { regressionGate: { mode: "deferred" } },
      },
      script: { default: { actions: [{ write: { path: "src/a.txt", content: "a\n" } }] } },
    });
    const env = {
      ...project.env,
      ANTHROPIC_API_KEY: "sk-ant-secret",
      OTHER_SECRET: "s3",
      NAX_TEST_STRIPPED: "x",
      NAX_TEST_CUSTOM: "yes",
    };
    code = (
      await project.nax(["run", "-f", "demo", "--skip-precheck"], { sys: createSys({ env, naxHome: project.home }) })
    ).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("is nax's own minus secret-named and stripped variables, for verify, review and the deferred gate alike", async () => {
    expect(code).toBe(0);
    const lines = (await readFile(join(project.dir, "..", "probe.log"), "utf8")).trim().split("\n");
    expect(lines).toEqual([
      "test key=unset other=unset stripped=unset custom=yes",
      "lint key=unset other=unset stripped=unset custom=yes",
      "test key=unset other=unset stripped=unset custom=yes",
    ]);
  });
});
