/**
 * The repository's own promises to a new user: package metadata that names
 * the runtime, and a README whose steps and examples work as written.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseHooksFile } from "../../src/subscribers/hooks";

const ROOT = resolve(import.meta.dir, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const README = read("README.md");

/** A README section, from its heading to the next heading of the same or a higher level (code blocks skipped). */
function section(heading: string): string {
  const lines = README.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const level = (heading.match(/^#+/) as RegExpMatchArray)[0].length;
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith("```")) fenced = !fenced;
    const match = fenced ? null : /^(#+) /.exec(line);
    if (match && (match[1] as string).length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start + 1, end).join("\n");
}

function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1] as string);
}

describe("package metadata", () => {
  test("engines names Bun, and the lock file's root entry agrees, so an install leaves it unchanged", () => {
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.engines.bun).toMatch(/^>=\d/);
    const lock = JSON.parse(read("package-lock.json"));
    expect(lock.packages[""].engines).toEqual(pkg.engines);
  });
});

describe("README", () => {
  test("the steps for your own project commit everything with git add -A, not just nax/", () => {
    const steps = codeBlocks(section("## Using nax on your project, with a real account"), "sh").join("\n");
    expect(steps).toContain("git add -A && git commit");
    expect(steps).not.toMatch(/git add nax\b/);
  });

  test("every hooks.json example in the Hooks section is accepted as written", () => {
    const examples = codeBlocks(section("### Hooks"), "json");
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(parseHooksFile(example, "README example").length).toBeGreaterThan(0);
    }
  });

  test("the demo's --keep is documented and is what the demo script reads", () => {
    expect(README).toContain("npm run demo -- --keep");
    expect(read("examples/demo/run-demo.ts")).toContain('process.argv.includes("--keep")');
  });

  test("no exact test count that goes stale with the next test", () => {
    expect(README).not.toMatch(/\b\d[\d,]* tests\b/);
  });
});
