import { describe, expect, test } from "bun:test";
import { createContextStage, insideWorkdir } from "../../../../src/pipeline/stages/context";
import { specTemplate } from "../../../../src/prd/template";
import { createManualClock } from "../../../../src/system/clock";
import { makeContext, makeStory } from "../helpers";

function files(map: Record<string, string>) {
  const reads: string[] = [];
  return {
    reads,
    readText: async (path: string) => {
      reads.push(path);
      return map[path];
    },
  };
}

async function contextFor(
  contextFiles: string[],
  map: Record<string, string>,
  limits?: { perFileChars: number; totalChars: number },
) {
  const fs = files(map);
  const stage = createContextStage({
    readText: fs.readText,
    clock: createManualClock(),
    ...(limits ? { limits } : {}),
  });
  const { ctx, logger } = makeContext({ story: makeStory({ contextFiles }), workdir: "/repo" });
  const result = await stage.run(ctx);
  const text = result.action === "continue" ? (result.patch?.contextText ?? "") : "";
  return { text, reads: fs.reads, logger };
}

describe("the context stage", () => {
  test("starts with the feature and its stories for orientation, then each context file", async () => {
    const { text } = await contextFor(["src/greet.ts"], { "/repo/src/greet.ts": "export const greet = 1;" });
    expect(text).toStartWith(
      "Feature: greeting (project demo)\nStories in this feature:\n- US-001 — Greet the user by name",
    );
    expect(text).toContain("### src/greet.ts\n```\nexport const greet = 1;\n```");
  });

  test("includes the feature's spec.md after the orientation, before the context files", async () => {
    const { text, reads } = await contextFor(["src/greet.ts"], {
      "/repo/nax/features/greeting/spec.md": "# greeting\n\nGreetings are always in the user's language.\n",
      "/repo/src/greet.ts": "x",
    });
    expect(reads).toContain("/repo/nax/features/greeting/spec.md");
    expect(text).toContain(
      "### Feature spec (nax/features/greeting/spec.md)\n# greeting\n\nGreetings are always in the user's language.",
    );
    expect(text.indexOf("Feature spec")).toBeLessThan(text.indexOf("### src/greet.ts"));
  });

  test("leaves out a spec.md that is still the `nax features create` template", async () => {
    const { text } = await contextFor([], { "/repo/nax/features/greeting/spec.md": specTemplate("greeting") });
    expect(text).not.toContain("Feature spec");
  });

  test("reads a nax 0.22 story's relevantFiles like its contextFiles, each file once", async () => {
    const fs = files({ "/repo/a.ts": "A", "/repo/b.ts": "B" });
    const stage = createContextStage({ readText: fs.readText, clock: createManualClock() });
    const story = makeStory({ contextFiles: ["a.ts"], relevantFiles: ["a.ts", "b.ts"] });
    const { ctx } = makeContext({ story, workdir: "/repo" });
    await stage.run(ctx);
    expect(fs.reads).toEqual(["/repo/nax/features/greeting/spec.md", "/repo/a.ts", "/repo/b.ts"]);
  });

  test("notes a missing file instead of failing", async () => {
    const { text, logger } = await contextFor(["src/gone.ts"], {});
    expect(text).toContain("- src/gone.ts: not found");
    expect(logger.records.some((r) => r.level === "warn")).toBe(true);
  });

  test("never reads a path that leaves the workdir", async () => {
    const { text, reads } = await contextFor(["../secrets.txt", "/etc/passwd"], {
      "/secrets.txt": "x",
      "/etc/passwd": "root",
    });
    expect(reads).toEqual(["/repo/nax/features/greeting/spec.md"]);
    expect(text).toContain("- ../secrets.txt: skipped, outside the project folder");
    expect(text).toContain("- /etc/passwd: skipped, outside the project folder");
  });

  test("caps each file and the total", async () => {
    const { text } = await contextFor(
      ["a.txt", "b.txt", "c.txt"],
      { "/repo/a.txt": "a".repeat(50), "/repo/b.txt": "b".repeat(50), "/repo/c.txt": "c" },
      { perFileChars: 30, totalChars: 45 },
    );
    expect(text).toContain(`${"a".repeat(30)}\n… (truncated: 20 more characters)`);
    expect(text).toContain(`${"b".repeat(15)}\n… (truncated: 35 more characters)`);
    expect(text).toContain("- c.txt: skipped, context size limit reached");
  });

  test("insideWorkdir accepts nested paths and refuses escapes", () => {
    expect(insideWorkdir("/repo", "src/a.ts")).toBe("/repo/src/a.ts");
    expect(insideWorkdir("/repo", "src/../../x")).toBeUndefined();
    expect(insideWorkdir("/repo", ".")).toBeUndefined();
  });
});

describe("the context stage's base commit", () => {
  test("records the head as the attempt's base when the story loop did not", async () => {
    const stage = createContextStage({
      readText: async () => undefined,
      clock: createManualClock(),
      git: { head: async () => "abc" },
    });
    const { ctx } = makeContext();
    const result = await stage.run(ctx);
    expect(result.action === "continue" ? result.patch?.baseRef : undefined).toBe("abc");
  });

  test("keeps a base the story loop already set", async () => {
    const stage = createContextStage({
      readText: async () => undefined,
      clock: createManualClock(),
      git: { head: async () => "abc" },
    });
    const { ctx } = makeContext({ state: { baseRef: "loop-base" } });
    const result = await stage.run(ctx);
    expect(result.action === "continue" ? result.patch?.baseRef : undefined).toBe("loop-base");
  });

  test("a git failure leaves the base unknown with a warning, and the story goes on", async () => {
    const head = async (): Promise<string | undefined> => {
      throw new Error("not a git repository");
    };
    const stage = createContextStage({ readText: async () => undefined, clock: createManualClock(), git: { head } });
    const { ctx, logger } = makeContext();
    const result = await stage.run(ctx);
    expect(result.action).toBe("continue");
    expect(result.action === "continue" ? result.patch?.baseRef : "x").toBeUndefined();
    expect(logger.records.some((r) => r.level === "warn" && r.message.includes("not a git repository"))).toBe(true);
  });
});
