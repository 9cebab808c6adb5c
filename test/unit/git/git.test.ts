import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createGit } from "../../../src/git/git";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createRedactor } from "../../../src/system/secrets";
import { createSpawner } from "../../../src/system/spawn";

const spawn = createSpawner(createProcessGroups());
const redactor = createRedactor({});
const roots: string[] = [];
let home: string;
let env: Record<string, string | undefined>;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "nax-git-home-"));
  roots.push(home);
  // No global or system git config: the machine's identity and signing settings must not leak in.
  env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: join(home, "gitconfig"), GIT_CONFIG_NOSYSTEM: "1" };
});

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function sh(cwd: string, ...args: string[]): Promise<string> {
  const result = await spawn({ cmd: ["git", ...args], cwd, env });
  if (result.kind !== "exited" || result.exitCode !== 0) {
    throw new Error(`git ${args.join(" ")}: ${result.kind === "exited" ? result.stderr : result.kind}`);
  }
  return result.stdout;
}

async function write(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

async function repo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nax-git-"));
  roots.push(root);
  await sh(root, "init", "-q", "-b", "main");
  await write(root, "README.md", "hello\n");
  await sh(root, "add", "README.md");
  await sh(root, "-c", "user.name=Setup", "-c", "user.email=setup@example.test", "commit", "-q", "-m", "initial");
  return root;
}

const RUNTIME = [
  "nax.lock",
  "nax/status.json",
  "nax/features/auth/status.json",
  "nax/features/auth/runs/run-1.jsonl",
  "nax/features/auth/progress.txt",
];

async function writeRuntimeFiles(root: string): Promise<void> {
  for (const path of RUNTIME) await write(root, path, "{}\n");
}

describe("createGit", () => {
  test("isRepo and head tell a repo with commits from a plain folder", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    const plain = await mkdtemp(join(tmpdir(), "nax-plain-"));
    roots.push(plain);
    expect(await git.isRepo(root)).toBe(true);
    expect(await git.isRepo(plain)).toBe(false);
    expect(await git.head(root)).toMatch(/^[0-9a-f]{40}$/);
    await sh(plain, "init", "-q");
    expect(await git.head(plain)).toBeUndefined();
  });

  test("commitStory makes one commit with both trailers, leaves runtime files out even when not ignored, and the tree clean", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    const before = await git.head(root);
    await write(root, "src/login.ts", "export const login = true;\n");
    await write(root, "README.md", "hello login\n");
    await write(root, "nax/features/auth/prd.json", '{"status":"passed"}\n');
    await writeRuntimeFiles(root);

    const result = await git.commitStory({
      cwd: root,
      storyId: "US-001",
      title: "Add login",
      runId: "run-2026-03-07T05-30-00-000Z",
    });

    expect(result.committed).toBe(true);
    expect(await sh(root, "rev-list", "--count", `${before}..HEAD`)).toBe("1\n");
    expect(result.sha).toBe(await git.head(root));
    expect(await sh(root, "log", "-1", "--format=%s")).toBe("feat(US-001): Add login\n");
    const trailers = await sh(root, "log", "-1", "--format=%(trailers:only,unfold)");
    expect(trailers.trim().split("\n")).toEqual(["Nax-Story: US-001", "Nax-Run: run-2026-03-07T05-30-00-000Z"]);
    const files = (await sh(root, "show", "--name-only", "--format=", "HEAD")).trim().split("\n").sort();
    expect(files).toEqual(["README.md", "nax/features/auth/prd.json", "src/login.ts"]);
    const status = (await sh(root, "status", "--porcelain", "-uall")).trim().split("\n").sort();
    expect(status).toEqual(RUNTIME.map((path) => `?? ${path}`).sort());
    expect(await git.isClean(root)).toBe(true);
  });

  test("a story commit starts none of git's automatic housekeeping (the run asks for it once, at its end)", async () => {
    const root = await repo();
    const trace = join(home, "git-trace.log");
    const git = createGit({ spawn, env: { ...env, GIT_TRACE: trace }, redactor });
    await write(root, "src/a.ts", "export const a = 1;\n");
    const result = await git.commitStory({ cwd: root, storyId: "US-001", title: "a", runId: "run-1" });
    expect(result.committed).toBe(true);
    const ran = await Bun.file(trace).text();
    expect(ran).toContain("git commit");
    expect(ran).not.toMatch(/maintenance run|gc --auto/);
  });

  test("with the runtime files ignored as init writes them, git status is empty after the commit", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, ".gitignore", "nax.lock\n");
    await write(
      root,
      "nax/.gitignore",
      "status.json\nfeatures/*/status.json\nfeatures/*/runs/\nfeatures/*/progress.txt\n*.tmp\n",
    );
    await writeRuntimeFiles(root);
    await write(root, "src/a.ts", "a\n");
    await git.commitStory({ cwd: root, storyId: "US-002", title: "A", runId: "run-1" });
    expect(await sh(root, "status", "--porcelain")).toBe("");
  });

  test("commits as nax when the repo has no author, and as the configured author otherwise", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, "a.txt", "1\n");
    await git.commitStory({ cwd: root, storyId: "US-1", title: "one", runId: "r" });
    expect(await sh(root, "log", "-1", "--format=%an <%ae>")).toBe("nax <nax@localhost>\n");

    await sh(root, "config", "user.name", "Ada");
    await sh(root, "config", "user.email", "ada@example.test");
    await write(root, "b.txt", "2\n");
    await git.commitStory({ cwd: root, storyId: "US-2", title: "two", runId: "r" });
    expect(await sh(root, "log", "-1", "--format=%an <%ae>")).toBe("Ada <ada@example.test>\n");
  });

  test("a pre-commit hook that refuses fails the story commit loudly, never as 'nothing to commit'", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, ".git/hooks/pre-commit", "#!/bin/sh\necho 'lint says no' >&2\nexit 1\n");
    await chmod(join(root, ".git/hooks/pre-commit"), 0o755);
    await write(root, "a.txt", "1\n");
    const before = await git.head(root);
    await expect(git.commitStory({ cwd: root, storyId: "US-1", title: "t", runId: "r" })).rejects.toThrow(
      "lint says no",
    );
    expect(await git.head(root)).toBe(before);
  });

  test("a complete author identity is asked of git once per folder, a missing one before every commit", async () => {
    const configCalls: string[] = [];
    const counting: typeof spawn = (options) => {
      if (options.cmd.includes("config")) configCalls.push(options.cwd);
      return spawn(options);
    };
    const git = createGit({ spawn: counting, env, redactor });
    const missing = await repo();
    const complete = await repo();
    await sh(complete, "config", "user.name", "Ada");
    await sh(complete, "config", "user.email", "ada@example.test");
    for (const [index, root] of [missing, complete, missing, complete].entries()) {
      await write(root, `f${index}.txt`, "x\n");
      await git.commitStory({ cwd: root, storyId: `US-${index}`, title: "t", runId: "r" });
    }
    expect(configCalls.filter((cwd) => cwd === missing)).toHaveLength(2);
    expect(configCalls.filter((cwd) => cwd === complete)).toHaveLength(1);
    expect(await sh(complete, "log", "-1", "--format=%an <%ae>")).toBe("Ada <ada@example.test>\n");
    expect(await sh(missing, "log", "-1", "--format=%an <%ae>")).toBe("nax <nax@localhost>\n");
  });

  test("a secret value in a title never reaches the commit message (trap 30)", async () => {
    const secret = "AKIA-commit-secret-9876543210";
    const git = createGit({ spawn, env, redactor: createRedactor({ AWS_SECRET_ACCESS_KEY: secret }) });
    const root = await repo();
    await write(root, "a.txt", "1\n");
    await git.commitStory({ cwd: root, storyId: "US-4", title: `rotate ${secret} now`, runId: "r" });
    expect(await sh(root, "log", "-1", "--format=%B")).toBe(
      "feat(US-4): rotate [redacted] now\n\nNax-Story: US-4\nNax-Run: r\n\n",
    );
  });

  test("a title with shell syntax, quotes, a leading '#' and a newline reaches the message verbatim on one line", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, "a.txt", "1\n");
    const title = `#1 "quoted" $(touch pwned) \`id\`; rm -rf x\nsecond line`;
    await git.commitStory({ cwd: root, storyId: "US-3", title, runId: "r" });
    expect(await sh(root, "log", "-1", "--format=%s")).toBe(
      `feat(US-3): #1 "quoted" $(touch pwned) \`id\`; rm -rf x second line\n`,
    );
    expect(await git.isClean(root)).toBe(true);
  });

  test("with nothing to commit, commitStory makes no commit and returns the current head", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await writeRuntimeFiles(root);
    const head = await git.head(root);
    expect(await git.commitStory({ cwd: root, storyId: "US-1", title: "t", runId: "r" })).toEqual({
      committed: false,
      sha: head,
    });
    expect(await git.head(root)).toBe(head);
  });

  test("storyCommits matches the Nax-Story trailer exactly: US-1 never matches US-10 or a mention in prose", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, "one.txt", "1\n");
    const one = await git.commitStory({ cwd: root, storyId: "US-1", title: "first", runId: "r" });
    await write(root, "ten.txt", "10\n");
    await git.commitStory({ cwd: root, storyId: "US-10", title: "tenth", runId: "r" });
    await write(root, "prose.txt", "p\n");
    await sh(root, "add", "prose.txt");
    await sh(
      root,
      "-c",
      "user.name=x",
      "-c",
      "user.email=x@x",
      "commit",
      "-q",
      "-m",
      "mentions Nax-Story: US-1 in passing, then more text",
    );
    await write(root, "one-more.txt", "1b\n");
    const again = await git.commitStory({ cwd: root, storyId: "US-1", title: "first, again", runId: "r2" });

    expect(await git.storyCommits(root, "US-1")).toEqual([again.sha as string, one.sha as string]);
    expect(await git.storyCommits(root, "US-10")).toHaveLength(1);
    expect(await git.storyCommits(root, "US-")).toEqual([]);
    expect(await git.filesInCommits(root, await git.storyCommits(root, "US-1"))).toEqual(["one-more.txt", "one.txt"]);
    expect(await git.filesInCommits(root, [])).toEqual([]);
  });

  test("changedFiles lists changes since the base and untracked files, not ignored or runtime ones", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    const base = (await git.head(root)) as string;
    await write(root, ".gitignore", "dist/\n");
    await write(root, "README.md", "changed\n");
    await write(root, "src/new.ts", "n\n");
    await write(root, "dist/out.js", "built\n");
    await writeRuntimeFiles(root);
    await sh(root, "add", ".gitignore");
    await sh(root, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "ignore dist");
    expect(await git.changedFiles(root, base)).toEqual([".gitignore", "README.md", "src/new.ts"]);
    await expect(git.changedFiles(root, "--output=/tmp/x")).rejects.toThrow("refusing the base ref");
  });

  test("isClean leaves the kept paths alone: a dirty nax/ folder is clean", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await write(root, "nax/features/demo/prd.json", "{}\n");
    await sh(root, "add", "nax");
    await sh(root, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "prd");
    await write(root, "nax/features/demo/prd.json", '{"edited":true}\n');
    expect(await git.isClean(root)).toBe(false);
    expect(await git.isClean(root, ["nax"])).toBe(true);

    await write(root, "src/half.ts", "left by an agent\n");
    expect(await git.isClean(root, ["nax"])).toBe(false);
  });

  test("uncommitted lists changed, untracked and renamed paths, but not runtime files or the kept paths", async () => {
    const git = createGit({ spawn, env, redactor });
    const root = await repo();
    await writeRuntimeFiles(root);
    await write(root, "nax/features/demo/prd.json", "{}\n");
    expect(await git.uncommitted(root, ["nax"])).toEqual([]);
    await write(root, "README.md", "changed\n");
    await write(root, "src/new file.ts", "untracked\n");
    expect((await git.uncommitted(root, ["nax"])).sort()).toEqual(["README.md", "src/new file.ts"]);
    await sh(root, "mv", "README.md", "GUIDE.md");
    expect((await git.uncommitted(root, ["nax"])).sort()).toEqual(["GUIDE.md", "src/new file.ts"]);
  });

  test("a missing git binary is a GIT_FAILED error naming the problem", async () => {
    const git = createGit({ spawn, env: { ...env, PATH: home }, redactor });
    await expect(git.isRepo(home)).rejects.toMatchObject({ code: "GIT_FAILED" });
  });
});
