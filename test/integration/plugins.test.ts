/**
 * Plugins end to end, in a real run with the fake agent: from nax/plugins/,
 * a reporter sees the run's events, a review gate fails the first attempt
 * and its repair text reaches the agent's autofix prompt, a context provider's
 * text reaches the implement prompt; a reporter that throws, a context
 * provider that throws and a module that cannot be imported are each named
 * in a warning and the run still completes. `nax plugins list` says what
 * loaded and what did not.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FakeClaudeInvocation } from "../fakes/fake-claude-script";
import { type CliResult, createTestProject, type TestProject } from "../helpers/project";
import { dataOf, readEvents } from "../helpers/read-run";

setDefaultTimeout(60_000);

const REPORTER = `
import { appendFile } from "node:fs/promises";
export default {
  name: "recorder",
  reporter: {
    "*": async (event, { settings }) => { await appendFile(settings.file, event.type + "\\n"); },
  },
};
`;

const GATE = `
import { existsSync } from "node:fs";
import { join } from "node:path";
export default {
  name: "fixed-gate",
  reviewer: {
    async review({ cwd }) {
      if (existsSync(join(cwd, "src/fixed.txt"))) return { passed: true };
      return { passed: false, output: "src/fixed.txt is missing", repair: "GATE-REPAIR: create src/fixed.txt containing ok" };
    },
  },
};
`;

const CONTEXT = `
export default {
  name: "marker-context",
  context: { async provide({ storyId }) { return "PLUGIN-CONTEXT-MARKER for " + storyId; } },
};
`;

const BROKEN = `
export default {
  name: "broken",
  reporter: { "story:started": () => { throw new Error("reporter boom"); } },
  context: { async provide() { throw new Error("context boom"); } },
};
`;

// Records whether the run still held its lock when its end reached this reporter.
const LOCK_WITNESS = `
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
let workdir = "";
export default {
  name: "lock-witness",
  reporter: {
    "run:started": (event) => { workdir = event.data.workdir; },
    "run:completed": () => { writeFileSync(join(workdir, "..", "lock-seen.txt"), existsSync(join(workdir, "nax.lock")) ? "held" : "free"); },
  },
};
`;

const UNIMPORTABLE = `throw new Error("import boom");\nexport default {};\n`;

describe("a run with plugins from nax/plugins/", () => {
  let project: TestProject;
  let run: CliResult;
  let calls: FakeClaudeInvocation[];
  let reporterFile: string;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      files: {
        "nax/plugins/recorder.ts": REPORTER,
        "nax/plugins/fixed-gate/index.ts": GATE,
        "nax/plugins/marker-context.ts": CONTEXT,
        "nax/plugins/broken.ts": BROKEN,
        "nax/plugins/unimportable.ts": UNIMPORTABLE,
        "nax/plugins/lock-witness.ts": LOCK_WITNESS,
      },
      script: {
        sessions: [
          { match: "GATE-REPAIR", actions: [{ write: { path: "src/fixed.txt", content: "ok\n" } }] },
          { match: "# Task: US-001", actions: [{ append: { path: "src/one.txt", content: "one\n" } }] },
        ],
      },
    });
    reporterFile = join(project.dir, "..", "reporter.txt");
    const config = await project.readJson<Record<string, unknown>>("nax/config.json");
    await project.writeText(
      "nax/config.json",
      JSON.stringify({ ...config, plugins: { settings: { recorder: { file: reporterFile } } } }, null, 2),
    );
    project.git(["add", "-A"]);
    project.git(["commit", "-qm", "plugins"]);
    run = await project.nax(["run", "-f", "demo"]);
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run completes despite the throwing and unimportable plugins", () => {
    expect(run.code).toBe(0);
  });

  test("the reporter saw the run's events in order, from run:started to run:completed", async () => {
    const seen = (await readFile(reporterFile, "utf8")).trim().split("\n");
    expect(seen[0]).toBe("run:started");
    expect(seen.at(-1)).toBe("run:completed");
    expect(seen).toContain("story:completed");
  });

  test("a reporter gets the run's end only after the lock is released, as hooks do", async () => {
    expect(await readFile(join(project.dir, "..", "lock-seen.txt"), "utf8")).toBe("free");
  });

  test("the context provider's text is in the implement prompt", () => {
    expect(calls[0]?.prompt).toContain("PLUGIN-CONTEXT-MARKER for US-001");
    expect(calls[0]?.prompt).toContain("From the marker-context plugin");
  });

  test("the review gate failed the first review and its repair text reached the autofix session", async () => {
    expect(calls.map((c) => c.prompt.includes("GATE-REPAIR"))).toEqual([false, true]);
    const autofix = dataOf(await readEvents(project), "autofix:started");
    expect(autofix.map((d) => d.problems)).toEqual(["plugin:fixed-gate"]);
  });

  test("each failure is a warning naming the plugin and what threw", async () => {
    const warnings = dataOf(await readEvents(project), "log")
      .filter((d) => d.level === "warn")
      .map((d) => String(d.message));
    expect(warnings.some((w) => w.includes("plugin broken") && w.includes("reporter boom"))).toBe(true);
    expect(warnings.some((w) => w.includes("plugin broken") && w.includes("context boom"))).toBe(true);
    expect(warnings.some((w) => w.includes("unimportable.ts was not loaded") && w.includes("import boom"))).toBe(true);
  });

  test("nax plugins list shows the five that loaded with their extension points, and the one that did not", async () => {
    const listed = await project.nax(["plugins", "list", "--json"]);
    expect(listed.code).toBe(0);
    const report = JSON.parse(listed.out) as {
      loaded: { name: string; points: string[] }[];
      failed: { source: string; reason: string }[];
    };
    expect(report.loaded.map((p) => [p.name, p.points])).toEqual([
      ["broken", ["reporter", "context"]],
      ["fixed-gate", ["reviewer"]],
      ["lock-witness", ["reporter"]],
      ["marker-context", ["context"]],
      ["recorder", ["reporter"]],
    ]);
    expect(report.failed.map((f) => f.source.endsWith("unimportable.ts"))).toEqual([true]);
  });
});

describe("plugin settings in config.json", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      files: { "nax/plugins/marker-context.ts": CONTEXT },
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax prompts shows the plugin's context, as the run would send it", async () => {
    const shown = await project.nax(["prompts", "--json"]);
    expect(shown.code).toBe(0);
    const report = JSON.parse(shown.out) as { prompts: { prompt: string }[] };
    expect(report.prompts[0]?.prompt).toContain("### From the marker-context plugin\nPLUGIN-CONTEXT-MARKER for US-001");
  });

  test("an unknown plugin section is an error naming the key and the closest plugin, and nothing runs", async () => {
    const config = await project.readJson<Record<string, unknown>>("nax/config.json");
    await project.writeText(
      "nax/config.json",
      JSON.stringify({ ...config, plugins: { settings: { "marker-contxt": {} } } }),
    );
    const refused = await project.nax(["run", "-f", "demo"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('plugins.settings: unknown plugin section "marker-contxt"');
    expect(refused.err).toContain('did you mean "marker-context"');
    expect(await project.claudeCalls()).toEqual([]);
  });
});
