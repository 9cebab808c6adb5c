/**
 * `nax accept` on a project a run left: the list, one criterion in full, an
 * override that a later run's outcome depends on (exit 4, said in the
 * outcome), and an amendment that rewrites only that criterion's test.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ADD,
  ADD_FILE,
  ADD_TEST,
  createAcceptanceProject,
  MUL,
  MUL_ALREADY_PASSING,
  MUL_FILE,
  MUL_TEST,
  story,
  write,
  writer,
} from "../helpers/acceptance-project";
import type { TestProject } from "../helpers/project";
import { dataOf, readEvents } from "../helpers/read-run";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

interface Entry {
  state: string;
  test?: string;
  hash?: string;
  override?: { reason: string; by: string };
  amendments: Array<{ reason: string }>;
}
const entry = async (p: TestProject, index: number) =>
  (await p.readJson<{ criteria: Entry[] }>("nax/features/demo/acceptance.json")).criteria[index] as Entry;

describe("nax accept", () => {
  test("override records a person's decision, and a run whose outcome depends on it says so and exits 4", async () => {
    project = await createAcceptanceProject(
      [
        writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_TEST)]),
        story("US-001", [write("src/add.ts", ADD)]),
        story("US-002", [write("src/mul.ts", MUL), write("src/add.ts", ADD.replace("a + b", "a - b"))]),
      ],
      { config: { acceptance: { enabled: true, command: "bun test {{files}}", maxFixAttempts: 0 } } },
    );
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const list = await project.nax(["accept", "list", "-f", "demo"]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/US-001\/AC-1\s+failing\s+acceptance\/US-001-AC-1\.test\.ts\s+US-001/);
    expect(list.out).toMatch(/US-002\/AC-1\s+passing/);
    const show = await project.nax(["accept", "show", "US-001/AC-1"]);
    expect(show.out).toContain("broken by: the merge of US-002");
    expect(show.out).toContain("add(1, 2) is 3");

    const refused = await project.nax(["accept", "override", "US-001/AC-1", "--reason", "  "]);
    expect(refused.code).toBe(2);
    const override = await project.nax(["accept", "override", "US-001/AC-1", "--reason", "subtraction is wanted now"]);
    expect(override.code).toBe(0);
    expect(await entry(project, 0)).toMatchObject({
      state: "failing",
      override: { reason: "subtraction is wanted now", by: expect.stringContaining("@") },
    });
    expect((await project.nax(["accept", "list"])).out).toMatch(/US-001\/AC-1\s+overridden/);

    const again = await project.nax(["run", "-f", "demo"]);
    expect(again.code).toBe(4);
    const completed = dataOf(await readEvents(project), "run:completed").at(-1);
    expect(completed?.status).toBe("completed");
    expect(String(completed?.exitReason)).toContain("completed on override: US-001/AC-1");
  });

  test("amend rewrites only that criterion's test with one session, commits it alone and records the reason", async () => {
    project = await createAcceptanceProject([
      writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_ALREADY_PASSING)]),
      story("US-001", [write("src/add.ts", ADD)]),
      story("US-002", [write("src/mul.ts", MUL)]),
      { name: "amend", match: "# Amend the acceptance test of US-002-AC-1", actions: [write(MUL_FILE, MUL_TEST)] },
    ]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(0);
    const before = await entry(project, 1);
    expect(before.state).toBe("already-passing");
    const unknown = await project.nax(["accept", "amend", "AC-9", "--reason", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no acceptance criterion "AC-9"');

    const amended = await project.nax(["accept", "amend", "US-002/AC-1", "--reason", "a product of 0 proves nothing"]);
    expect(amended.code).toBe(0);
    expect(amended.out).toContain("US-002/AC-1: amended, now passing");
    const prompt = (await project.claudeCalls()).at(-1)?.prompt ?? "";
    expect(prompt).toContain("a product of 0 proves nothing");
    expect(prompt).toContain(MUL_FILE);
    const after = await entry(project, 1);
    expect(after).toMatchObject({
      state: "passing",
      test: MUL_FILE,
      amendments: [{ reason: "a product of 0 proves nothing" }],
    });
    expect(after.hash).not.toBe(before.hash);
    expect(await readFile(join(project.dir, MUL_FILE), "utf8")).toBe(MUL_TEST);
    expect(await readFile(join(project.dir, ADD_FILE), "utf8")).toBe(ADD_TEST);
    expect(project.git(["log", "-1", "--format=%s", "--name-only"]).trim().split("\n").filter(Boolean)).toEqual([
      "nax: acceptance test of US-002/AC-1 amended",
      MUL_FILE,
    ]);
    expect(project.git(["status", "--porcelain"]).trim()).toBe("");

    const rerun = await project.nax(["accept", "rerun"]);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toMatch(/US-001\/AC-1\s+passing/);
    expect(rerun.out).toMatch(/US-002\/AC-1\s+passing/);
  });
});
