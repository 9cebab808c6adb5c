import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { StatusFileSchema } from "../../src/state/status-file";
import { createTestProject, exists, type TestProject } from "../helpers/project";

const NAX = resolve(import.meta.dir, "../../bin/nax.ts");

async function naxProcess(project: TestProject, args: string[]) {
  const proc = Bun.spawn([process.execPath, NAX, ...args], {
    cwd: project.dir,
    env: project.env,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { out, err, code };
}

describe("bin/nax.ts as a real process", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "write one" },
        { id: "US-002", title: "write two", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "test -f src/one.txt" } } },
      script: {
        sessions: [
          { match: "Task: US-001", actions: [{ write: { path: "src/one.txt", content: "ok\n" } }] },
          { match: "Task: US-002", actions: [{ write: { path: "src/two.txt", content: "ok\n" } }] },
        ],
      },
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("a dry run from a subfolder finds the project, prints the plan and exits 0", async () => {
    const result = await naxProcess(project, ["run", "--dry-run", "-d", join(project.dir, "nax")]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("plan: US-001 -> US-002");
    expect(await exists(join(project.dir, "nax/status.json"))).toBe(false);
  });

  test("nax run completes the feature with plain piped output, exit 0 and a clean tree", async () => {
    const result = await naxProcess(project, ["run", "-f", "demo", "--skip-precheck"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).not.toContain("\r");
    expect(result.out).not.toContain("\x1b[");
    expect(result.out).toContain("nax: run completed");
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    expect(status.run.status).toBe("completed");
    expect(status.run.pid).not.toBe(process.pid);
    expect(project.git(["status", "--porcelain"])).toBe("");
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });

  test("a usage error exits 2 with the message on stderr", async () => {
    const result = await naxProcess(project, ["run", "-f", "demo", "--cost-limit", "free"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--cost-limit must be a positive number");
  });
});
