import { describe, expect, test } from "bun:test";
import { filterEventLines, matchRunQuery } from "../../../src/readers/logs";
import { matchProject } from "../../../src/readers/project-match";
import { projectLabels, type RegistryEntry } from "../../../src/readers/registry";
import type { RunMeta } from "../../../src/state/run-meta";
import { eventLine } from "../../helpers/state-fixtures";

function meta(runId: string, workdir = "/w/app", project = "app"): RunMeta {
  return { runId, project, feature: "f", workdir, statusPath: "", eventsDir: "", registeredAt: "" };
}
const entry = (m: RunMeta): RegistryEntry => ({ dir: `/home/runs/${m.runId}`, meta: m });

describe("projectLabels", () => {
  test("a unique project name is shown as is", () => {
    expect(projectLabels([meta("r1", "/w/app"), meta("r2", "/w/app")]).get("/w/app")).toBe("app");
  });

  test("same-named checkouts get the shortest distinguishing tail of their parent folders", () => {
    const labels = projectLabels([meta("r1", "/home/ann/work/app"), meta("r2", "/home/bob/work/app")]);
    expect(labels.get("/home/ann/work/app")).toBe("app (…/ann/work)");
    expect(labels.get("/home/bob/work/app")).toBe("app (…/bob/work)");
  });
});

describe("matchProject", () => {
  test("matches the folder name exactly, the PRD's project, or a path resolved against the current folder, and says which", () => {
    const m = meta("r1", "/w/app");
    expect(matchProject(m, "Shop", "app", "/")).toBe("folder");
    expect(matchProject(m, "Shop", "Shop", "/")).toBe("prd");
    expect(matchProject(m, "Shop", "ap", "/")).toBeUndefined();
    expect(matchProject(m, undefined, "./app", "/w")).toBe("path");
    expect(matchProject(m, undefined, ".", "/w/app")).toBe("path");
    expect(matchProject(m, undefined, "/w/other", "/")).toBeUndefined();
  });
});

describe("matchRunQuery", () => {
  const entries = ["run-2026-03-07T05-00-00-000Z", "run-2026-03-07T05-20-00-000Z"].map((id) => entry(meta(id)));

  test("an exact id wins; a prefix matches with or without run-", () => {
    expect(matchRunQuery(entries, "run-2026-03-07T05-00-00-000Z")).toHaveLength(1);
    expect(matchRunQuery(entries, "2026-03-07T05-2").map((e) => e.meta.runId)).toEqual([
      "run-2026-03-07T05-20-00-000Z",
    ]);
    expect(matchRunQuery(entries, "run-2026")).toHaveLength(2);
    expect(matchRunQuery(entries, "zzz")).toHaveLength(0);
  });
});

describe("filterEventLines", () => {
  const RUN = "run-x";
  const lines = [
    eventLine(RUN, "stage:started", { storyId: "A" }, { level: "debug" }),
    eventLine(RUN, "story:failed", { storyId: "A" }, { level: "error" }),
    eventLine(RUN, "story:started", { storyId: "B" }),
    eventLine(RUN, "run:started", {}),
  ];

  test("keeps lines at or above the minimum level", () => {
    expect(filterEventLines(lines, { minLevel: "info" }).map((l) => l.type)).toEqual([
      "story:failed",
      "story:started",
      "run:started",
    ]);
  });

  test("keeps only the given story's lines", () => {
    expect(filterEventLines(lines, { storyId: "A" }).map((l) => l.type)).toEqual(["stage:started", "story:failed"]);
  });
});
