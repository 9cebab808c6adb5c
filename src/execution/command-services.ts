/**
 * What a local run (app.ts), `nax worker` (worker/services.ts) and `nax
 * precheck` build alike from the config: the pool of agent CLIs, the quality
 * commands' environment (secrets stripped), the test runner (its reports in
 * the system temp folder, never in the project, where they would show up in
 * the diff) and the reviewer of the lint and typecheck commands. One place,
 * so that the three run the project's agents and commands the same way.
 */
import { tmpdir } from "node:os";
import { createAgentPool } from "../agents/pool";
import { createAgentAdapter } from "../agents/registry";
import type { NaxConfig } from "../config/schema";
import type { Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { createReviewer } from "../verification/review";
import { qualityCommandEnv } from "../verification/run-shell";
import { createTestRunner, tempReportFiles } from "../verification/test-runner";

export function createCommandServices(sys: Sys, config: NaxConfig, redactor: Redactor) {
  const agents = createAgentPool((name) =>
    createAgentAdapter(name, {
      sys,
      agents: config.agents,
      legacyPermissionMode: config.execution.permissionMode,
      redactor,
    }),
  );
  const commandEnv = qualityCommandEnv(sys.env, {
    keep: config.quality.keepEnvVars,
    strip: config.quality.stripEnvVars,
    secretNames: config.security.redactEnvNames,
  });
  const tests = createTestRunner({
    spawn: sys.spawn,
    env: commandEnv,
    redactor,
    reports: tempReportFiles(sys.fs, tmpdir(), sys.uuid),
    readText: (path) => sys.fs.readText(path),
  });
  const reviewer = createReviewer({ spawn: sys.spawn, env: commandEnv, redactor });
  return { agents, agent: agents.get(config.autoMode.defaultAgent), commandEnv, tests, reviewer };
}
