import { afterEach, describe, expect, test } from "bun:test";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isNaxError } from "../../../src/errors";
import { createSys } from "../../../src/system/sys";
import { createGitChangedFiles } from "../../../src/verification/changed-files";
import { createTempTrees } from "./temp-tree";

const trees = createTempTrees("nax-changed-files-");
afterEach(() => trees.cleanup());

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "nax test",
  GIT_AUTHOR_EMAIL: "nax@example.invalid",
  GIT_COMMITTER_NAME: "nax test",
  GIT_COMMITTER_EMAIL: "nax@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  // The machine's own git config (signing, hooks) must not leak into the test repo.
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const sys = createSys({ env, naxHome: "/nonexistent-nax-home" });

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await sys.spawn({ cmd: ["git", ...args], cwd, env });
  if (result.kind !== "exited" || result.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed`);
  return result.stdout.trim();
}

async function repo(): Promise<{ cwd: string; base: string }> {
  const cwd = await trees.make({
    "src/a.ts": "a\n",
    "src/b.ts": "b\n",
    "pkg/inner/c.ts": "c\n",
    ".gitignore": "*.log\n",
  });
  await git(cwd, "init", "-q");
  await git(cwd, "add", ".");
  await git(cwd, "commit", "-q", "-m", "base");
  return { cwd, base: await git(cwd, "rev-parse", "HEAD") };
}

describe("git changed files", () => {
  test("lists committed, uncommitted and untracked changes since the base, without ignored files", async () => {
    const { cwd, base } = await repo();
    await writeFile(join(cwd, "src/a.ts"), "a2\n");
    await git(cwd, "commit", "-q", "-am", "change a");
    await writeFile(join(cwd, "src/b.ts"), "b2\n");
    await writeFile(join(cwd, "src/new file.ts"), "n\n");
    await writeFile(join(cwd, "debug.log"), "ignored\n");
    const changed = await createGitChangedFiles(sys)(cwd, base);
    expect(changed).toEqual(["src/a.ts", "src/b.ts", "src/new file.ts"]);
  });

  test("lists paths relative to a package folder inside the repo", async () => {
    const { cwd, base } = await repo();
    await writeFile(join(cwd, "pkg/inner/c.ts"), "c2\n");
    await writeFile(join(cwd, "src/a.ts"), "a2\n");
    await mkdir(join(cwd, "pkg/inner/sub"));
    await writeFile(join(cwd, "pkg/inner/sub/d.ts"), "d\n");
    expect(await createGitChangedFiles(sys)(join(cwd, "pkg/inner"), base)).toEqual(["c.ts", "sub/d.ts"]);
  });

  test("returns nothing when nothing changed", async () => {
    const { cwd, base } = await repo();
    expect(await createGitChangedFiles(sys)(cwd, base)).toEqual([]);
  });

  test("fails with GIT_FAILED for an unknown base or one that looks like an option", async () => {
    const { cwd } = await repo();
    const changedFiles = createGitChangedFiles(sys);
    for (const ref of ["no-such-ref", "--output=/tmp/x"]) {
      const error = await changedFiles(cwd, ref).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isNaxError(error, "GIT_FAILED")).toBe(true);
    }
  });
});
