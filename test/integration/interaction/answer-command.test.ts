/** `nax answer` when nothing waits: a clear refusal naming the status file, and nothing written. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestProject, type TestProject } from "../../helpers/project";

describe("nax answer with no question waiting", () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await createTestProject({ stories: [{ id: "US-001", title: "one" }] });
  });
  afterAll(() => project.cleanup());

  test("exits 2, says no run is waiting for an answer, and writes no answers file", async () => {
    const before = await project.snapshot();
    const result = await project.nax(["answer", "q-1a2b3c", "skip"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("no question q-1a2b3c is waiting in");
    expect(result.err).toContain("no run is waiting for an answer");
    expect(await project.snapshot()).toEqual(before);
  });
});
