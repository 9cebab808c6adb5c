import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { namedFiles, readPlanSpec } from "../../../src/plan/spec";
import { specTemplate } from "../../../src/prd/template";
import { createNodeFs } from "../../../src/system/fs";

let root: string;
let workdir: string;
const fs = createNodeFs();
const SPEC = "nax/features/cart/spec.md";

async function put(path: string, content: string) {
  await mkdir(dirname(join(workdir, path)), { recursive: true });
  await writeFile(join(workdir, path), content);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nax-plan-spec-"));
  workdir = join(root, "project");
  await mkdir(workdir);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the files a spec names", () => {
  test("are the list items of its Files section: a backticked path, else the first word", () => {
    const spec = [
      "# cart",
      "## Behaviour",
      "- `src/not-this.ts` is mentioned elsewhere",
      "## Files",
      "Read these:",
      "- `src/cart.ts` (the cart)",
      "* docs/cart.md for the rules",
      "- src/cart.ts",
      "## Context files",
      "- src/more.ts",
      "## Notes",
      "- src/not-either.ts",
    ].join("\n");
    expect(namedFiles(spec)).toEqual(["src/cart.ts", "docs/cart.md", "src/more.ts"]);
  });
});

describe("reading a spec for nax plan", () => {
  test("reads spec.md and each named file inside the project; outside, missing and linked files are noted, not read", async () => {
    await writeFile(join(root, "secret.txt"), "outside\n");
    await put("src/cart.ts", "export const cart = [];\n");
    await symlink(join(root, "secret.txt"), join(workdir, "src", "link.txt"));
    await put(
      SPEC,
      "# cart\n\nA cart.\n\n## Files\n- src/cart.ts\n- ../secret.txt\n- src/missing.ts\n- `src/link.txt`\n",
    );
    const spec = await readPlanSpec(fs, workdir, "cart");
    expect(spec.path).toBe(SPEC);
    expect(spec.text).toContain("A cart.");
    expect(spec.files).toEqual([{ path: "src/cart.ts", text: "export const cart = [];\n" }]);
    expect(spec.notes).toEqual([
      "- ../secret.txt: skipped, outside the project folder",
      "- src/missing.ts: not found",
      "- src/link.txt: skipped, a symbolic link (not followed)",
    ]);
  });

  test("a named file is cut at the per-file cap, and files past the total cap are skipped", async () => {
    await put("a.txt", "a".repeat(50));
    await put("b.txt", "b".repeat(50));
    await put("c.txt", "c".repeat(50));
    await put(SPEC, "# cart\n\nA cart.\n\n## Files\n- a.txt\n- b.txt\n- c.txt\n");
    const spec = await readPlanSpec(fs, workdir, "cart", { perFileChars: 30, totalChars: 60 });
    expect(spec.files).toEqual([
      { path: "a.txt", text: `${"a".repeat(30)}\n… (truncated: 20 more bytes)` },
      { path: "b.txt", text: `${"b".repeat(30)}\n… (truncated: 20 more bytes)` },
    ]);
    expect(spec.notes).toEqual(["- c.txt: skipped, size limit of the named files reached"]);
  });

  test("a missing spec, the untouched template and a spec too long to read whole are refused with the fix", async () => {
    await expect(readPlanSpec(fs, workdir, "cart")).rejects.toThrow("no spec.md; create the feature with");
    await put(SPEC, specTemplate("cart"));
    await expect(readPlanSpec(fs, workdir, "cart")).rejects.toThrow("still the template from `nax features create`");
    await put(SPEC, `# cart\n\n${"x".repeat(40_001)}`);
    await expect(readPlanSpec(fs, workdir, "cart")).rejects.toThrow("split the feature into smaller features");
    await put(SPEC, "x".repeat(160_001));
    await expect(readPlanSpec(fs, workdir, "cart")).rejects.toThrow("(160001 bytes); split the feature");
  });
});
