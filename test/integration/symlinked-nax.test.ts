/**
 * A nax/ folder (or its features folder) that is a symbolic link: git would
 * refuse every story's commit after the agent was paid for, so the run is
 * refused before anything runs, with the reason and the fix.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { rename, symlink } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, exists, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function linkedProject(linked: "nax" | "nax/features"): Promise<TestProject> {
  const made = await createTestProject({
    stories: [{ id: "US-001", title: "one" }],
    config: { quality: { commands: { test: "true" } } },
    script: { default: { actions: [{ write: { path: "src/one.txt", content: "one\n" } }] } },
  });
  const real = join(made.dir, "..", "linked-target");
  await rename(join(made.dir, linked), real);
  await symlink(real, join(made.dir, linked));
  return made;
}

describe("a symbolic link under the project's nax/ state", () => {
  for (const linked of ["nax", "nax/features"] as const) {
    test(`${linked} as a link refuses the run with exit 2, the reason and the fix, before any agent session or state file`, async () => {
      project = await linkedProject(linked);
      const result = await project.nax(["run", "-f", "demo"]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`${join(project.dir, linked)} is a symbolic link`);
      expect(result.err).toContain("git refuses paths through a symbolic link");
      expect(result.err).toContain("real folder");
      expect(await project.claudeCalls()).toEqual([]);
      expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
      for (const written of ["nax/status.json", "nax/features/demo/status.json", "nax/features/demo/runs"]) {
        expect({ written, exists: await exists(join(project.dir, written)) }).toEqual({ written, exists: false });
      }
    });
  }
});
