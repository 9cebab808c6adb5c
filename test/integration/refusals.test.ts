import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { createTestProject, type TestProject } from "../helpers/project";

const PRD_PATH = "nax/features/demo/prd.json";
const CONFIG_PATH = "nax/config.json";

function prdWith(stories: unknown[]): string {
  return JSON.stringify({ project: "project", feature: "demo", userStories: stories });
}

/** A run refused before it starts must leave the project and NAX_HOME exactly as they were. */
async function expectRefusedUnchanged(project: TestProject, args: string[], code: number, messageParts: string[]) {
  const before = await project.snapshot();
  const result = await project.nax(args);
  expect(result.code).toBe(code);
  for (const part of messageParts) expect(result.err).toContain(part);
  const after = await project.snapshot();
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [path, content] of before) expect({ path, content: after.get(path) }).toEqual({ path, content });
  expect(project.git(["status", "--porcelain"])).toBe("");
  return result;
}

describe("a run that cannot start writes nothing", () => {
  let project: TestProject;
  let goodPrd: string;
  let goodConfig: string;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "true" } } },
    });
    goodPrd = JSON.stringify(await project.readJson(PRD_PATH), null, 2);
    goodConfig = JSON.stringify(await project.readJson(CONFIG_PATH), null, 2);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  async function withFile(path: string, content: string, check: () => Promise<unknown>) {
    await project.writeText(path, content);
    project.git(["commit", "-q", "-am", `break ${path}`]);
    try {
      await check();
    } finally {
      await project.writeText(path, path === PRD_PATH ? goodPrd : goodConfig);
      project.git(["commit", "-q", "-am", `restore ${path}`]);
    }
  }

  test("duplicate story ids stop the run with exit 2, naming the file and the field", async () => {
    await withFile(
      PRD_PATH,
      prdWith([
        { id: "US-001", title: "a" },
        { id: "US-001", title: "b" },
      ]),
      () =>
        expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, [
          PRD_PATH,
          'userStories[1].id: duplicate story id "US-001"',
        ]),
    );
  });

  test("a prd.json that is not JSON stops the run with exit 2", async () => {
    await withFile(PRD_PATH, "{ not json", () =>
      expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, [PRD_PATH, "not valid JSON"]),
    );
  });

  test("a dependency on a story that does not exist stops the run with exit 2", async () => {
    await withFile(PRD_PATH, prdWith([{ id: "US-001", title: "a", dependencies: ["US-404"] }]), () =>
      expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, ['userStories[0].dependencies[0]: "US-404"']),
    );
  });

  test("a dependency cycle stops the run with exit 2", async () => {
    const cyclic = [
      { id: "US-001", title: "a", dependencies: ["US-002"] },
      { id: "US-002", title: "b", dependencies: ["US-001"] },
    ];
    await withFile(PRD_PATH, prdWith(cyclic), () =>
      expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, ["dependency cycle"]),
    );
  });

  test("an unknown config key stops the run with exit 2, naming the file and the key", async () => {
    const config = { ...JSON.parse(goodConfig), execution: { maxIteration: 3 } };
    await withFile(CONFIG_PATH, JSON.stringify(config), () =>
      expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, [CONFIG_PATH, '"maxIteration"']),
    );
  });

  test("a config value of the wrong type stops the run with exit 2, naming the field", async () => {
    const config = { ...JSON.parse(goodConfig), execution: { maxIterations: "ten" } };
    await withFile(CONFIG_PATH, JSON.stringify(config), () =>
      expectRefusedUnchanged(project, ["run", "-f", "demo"], 2, [CONFIG_PATH, "execution.maxIterations"]),
    );
  });

  test("a bad --max-iterations value is a usage error that writes nothing", async () => {
    await expectRefusedUnchanged(project, ["run", "-f", "demo", "--max-iterations", "0"], 2, ["--max-iterations"]);
  });

  test("--dry-run prints the routing and plan, writes nothing and marks nothing passed", async () => {
    const result = await expectRefusedUnchanged(project, ["run", "-f", "demo", "--dry-run"], 0, []);
    expect(result.out).toContain("plan: US-001 -> US-002");
    expect(result.out).toContain("US-001  pending");
    const prd = await project.readJson<{ userStories: { status?: string }[] }>(PRD_PATH);
    expect(prd.userStories.map((s) => s.status ?? "pending")).toEqual(["pending", "pending"]);
    expect(await project.claudeCalls()).toEqual([]);
  });

  test("a lock held by another live process refuses the run with exit 3 naming its pid, feature and start", async () => {
    const holder = Bun.spawn(["sleep", "30"], { stdout: "ignore", stderr: "ignore" });
    try {
      const lock = {
        pid: holder.pid,
        hostname: hostname(),
        runId: "run-other",
        feature: "other",
        startedAt: "2026-01-02T03:04:05.000Z",
      };
      await writeFile(join(project.dir, "nax.lock"), JSON.stringify(lock));
      await expectRefusedUnchanged(project, ["run", "-f", "demo"], 3, [
        `pid ${holder.pid}`,
        'feature "other"',
        "started 2026-01-02T03:04:05.000Z",
      ]);
    } finally {
      holder.kill();
      await holder.exited;
      await rm(join(project.dir, "nax.lock"), { force: true });
    }
    expect(await project.claudeCalls()).toEqual([]);
  });
});
