/**
 * Guards on the source text for reference traps that behavioural tests can
 * only catch by luck of timing or of which path a run takes. Each rule names
 * its trap and fails on the first file that reintroduces the pattern. Comment
 * lines are skipped: a comment may name the pattern it forbids.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
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

  test("a human-review request is only ever sent with emitAsync, never fire-and-forget (trap 2)", () => {
    expect(offenders(/\.emit\(\s*["'`]human-review:requested/)).toEqual([]);
  });

  test("no uncancellable Bun.sleep on any path: waits go through the clock's cancellable sleep (trap 9)", () => {
    expect(offenders(/Bun\.sleep(Sync)?\(/)).toEqual([]);
  });

  test("only the process-group registry sends signals, and no `kill` command is ever spawned (trap 21)", () => {
    expect(offenders(/process\.kill\(/, ["system/process-groups.ts"])).toEqual([]);
    expect(offenders(/\[\s*["'`]kill["'`]/)).toEqual([]);
  });

  test("only src/cli/main.ts sets the exit code or holds process.exit (handed to the crash handler's deadline)", () => {
    expect(offenders(/process\.exitCode\s*=/, ["cli/main.ts"])).toEqual([]);
    expect(offenders(/process\.exit\(/, ["cli/main.ts"])).toEqual([]);
  });
});
