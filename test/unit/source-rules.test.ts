/**
 * Guards on the source text for reference traps that behavioural tests can
 * only catch by luck of timing or of which path a run takes. Each rule names
 * its trap and fails on the first file that reintroduces the pattern. Comment
 * lines are skipped: a comment may name the pattern it forbids.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const SRC = join(ROOT, "src");
const TESTS = join(ROOT, "test");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    if (entry.name === "node_modules") return [];
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Code without comment lines and trailing `//` comments (strings with `//` are rare enough here). */
function code(path: string): string {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .map((line) => line.replace(/\s\/\/\s.*$/, ""))
    .join("\n");
}

const FILES = sourceFiles(SRC).map((path) => ({ name: relative(SRC, path), text: code(path) }));

/** Files whose code matches `pattern`, except the allowed ones. */
function offenders(pattern: RegExp, allowed: string[] = []): string[] {
  return FILES.filter((f) => pattern.test(f.text) && !allowed.includes(f.name)).map((f) => f.name);
}

describe("source rules", () => {
  test("the scan sees the source tree", () => {
    expect(FILES.map((f) => f.name)).toContain("system/spawn.ts");
    expect(FILES.length).toBeGreaterThan(50);
  });

  test("no empty catch block and no promise catch that swallows silently, around stream draining or anywhere (trap 7)", () => {
    expect(offenders(/catch\s*(\([^)]*\))?\s*\{\s*\}/)).toEqual([]);
    expect(offenders(/\.catch\(\s*\(\s*\)\s*=>\s*\{\s*\}\s*\)/)).toEqual([]);
  });

  test("no bookkeeping by array splice or by `+= await` across concurrent promises (trap 5)", () => {
    expect(offenders(/\.splice\(/)).toEqual([]);
    expect(offenders(/[+-]=\s*await\b/)).toEqual([]);
  });

  test("no PRD's story array is changed in place: the store shares its array (unfrozen, for speed) with every reader", () => {
    expect(offenders(/userStories\.(sort|reverse|splice|push|pop|shift|unshift|fill|copyWithin)\(/)).toEqual([]);
    expect(offenders(/userStories\[[^\]]*\]\s*=[^=]/)).toEqual([]);
  });

  test("a question for a person is only ever sent with emitAsync, never fire-and-forget (trap 2)", () => {
    expect(offenders(/\.emit\(\s*["'`]interaction:asked/)).toEqual([]);
  });

  test("no uncancellable Bun.sleep on any path: waits go through the clock's cancellable sleep (trap 9)", () => {
    expect(offenders(/Bun\.sleep(Sync)?\(/)).toEqual([]);
  });

  test("only the process-group registry sends signals, and no `kill` command is ever spawned (trap 21)", () => {
    expect(offenders(/process\.kill\(/, ["system/process-groups.ts"])).toEqual([]);
    expect(offenders(/\[\s*["'`]kill["'`]/)).toEqual([]);
  });

  test("no git command that deletes work: no `git clean`, no forced branch deletion (traps 19 and 34)", () => {
    // `program.command("clean")` names `nax clean`, which is not git's.
    expect(offenders(/(?<!\.command\()["'`]clean["'`]/)).toEqual([]);
    expect(offenders(/["'`]branch["'`]\s*,\s*["'`]-D["'`]/)).toEqual([]);
  });

  test("the Anthropic SDK is loaded on the first API call, never at start: no static import of it anywhere", () => {
    // Loading it cost every command about 60 ms (`nax status -f` on 2,000 stories: 581 ms to 474 ms without it).
    expect(offenders(/^import (?!type )[^;]*from "@anthropic-ai\/sdk"/m)).toEqual([]);
    expect(offenders(/await import\("@anthropic-ai\/sdk"\)/)).toEqual(["routing/messages-client.ts"]);
  });

  test("only src/cli/main.ts sets the exit code or holds process.exit (handed to the crash handler's deadline)", () => {
    expect(offenders(/process\.exitCode\s*=/, ["cli/main.ts"])).toEqual([]);
    expect(offenders(/process\.exit\(/, ["cli/main.ts"])).toEqual([]);
  });
});

/** Every `trap N`, `traps N and M`, `traps 1, 26` in a text. */
function trapNumbers(text: string): number[] {
  return [...text.matchAll(/\btraps? (\d+(?:(?:, | and )\d+)*)/g)].flatMap((m) =>
    (m[1] as string).split(/, | and /).map(Number),
  );
}

describe("references point inside the repository", () => {
  const TRAPS_DOC = readFileSync(join(ROOT, "docs/traps.md"), "utf8");
  const documented = new Set([...TRAPS_DOC.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
  const everything = [...sourceFiles(SRC), ...sourceFiles(TESTS)].map((path) => ({
    name: relative(ROOT, path),
    text: readFileSync(path, "utf8"),
  }));

  test("docs/traps.md has every trap, numbered from 1 in order: the spec's 34, then the ones found since", () => {
    // Traps found after the spec's 34 are appended; none may be missing or out of order.
    expect([...documented]).toEqual(Array.from({ length: Math.max(34, documented.size) }, (_, i) => i + 1));
  });

  test("no file under src/ or test/ refers to the spec, which is not part of the repository", () => {
    // Built from parts so that this file does not match itself.
    const spec = new RegExp(`SPEC ${"§"}|SPEC${"'"}s`);
    expect(everything.filter((f) => spec.test(f.text)).map((f) => f.name)).toEqual([]);
  });

  test("every trap named in src/ or test/ is one docs/traps.md describes", () => {
    const unknown = everything.flatMap((f) =>
      trapNumbers(f.text)
        .filter((n) => !documented.has(n))
        .map((n) => `${f.name}: trap ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  test("every test docs/traps.md cites exists and still has the quoted words in it", () => {
    const citations = [...TRAPS_DOC.matchAll(/^- `([^`]+)` — "([^"]+)"/gm)];
    expect(citations.length).toBeGreaterThan(34);
    const missing = citations.flatMap(([, path, words]) => {
      const file = everything.find((f) => f.name === path);
      if (!file) return [`${path}: no such test file`];
      return file.text.includes(words as string) ? [] : [`${path}: no test says "${words}"`];
    });
    expect(missing).toEqual([]);
  });

  test("every trap in docs/traps.md cites at least one test", () => {
    const sections = TRAPS_DOC.split(/^## /m).slice(1);
    const bare = sections.filter((section) => !/^- `test\//m.test(section)).map((section) => section.split("\n")[0]);
    expect(bare).toEqual([]);
  });
});
