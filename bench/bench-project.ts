/**
 * What the story-loop benchmarks share: N stories that each write their own
 * file, the fake agent's script for them, and the git project they run in,
 * set up as a user would (`nax init`, `nax features create`, the PRD, a
 * commit) with the test double as the agent and `true` as the test command.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fakeClaudePath } from "../test/fakes/fake-claude-script";

export type Sh = (cmd: string[], cwd: string) => Promise<string>;

export const benchStoryId = (index: number) => `US-${String(index + 1).padStart(3, "0")}`;

const fileOf = (index: number) => `src/${benchStoryId(index).toLowerCase()}.txt`;

export function fileStoriesPrd(count: number) {
  const userStories = Array.from({ length: count }, (_, index) => ({
    id: benchStoryId(index),
    title: `Write the file of story ${index + 1}`,
    description: `Create ${fileOf(index)}.`,
    acceptanceCriteria: [`${fileOf(index)} exists`],
  }));
  return { project: "bench", feature: "bench", userStories };
}

/** One session per story, matched by the prompt's task line, running `before` and then writing its file. */
export function fileStoriesScript(count: number, before: Record<string, unknown>[] = []) {
  return {
    sessions: Array.from({ length: count }, (_, index) => ({
      name: benchStoryId(index),
      match: `# Task: ${benchStoryId(index)} `,
      actions: [...before, { write: { path: fileOf(index), content: `story ${benchStoryId(index)}\n` } }],
      result: { total_cost_usd: 0.0003 },
    })),
  };
}

export async function createBenchProject(input: {
  dir: string;
  home: string;
  naxEntry: string;
  prd: unknown;
  sh: Sh;
}): Promise<string> {
  const { dir, sh } = input;
  const bun = process.execPath;
  await mkdir(join(dir, "src"), { recursive: true });
  await mkdir(input.home, { recursive: true });
  await writeFile(join(dir, "src", ".keep"), "");
  await sh(["git", "init", "-q", "-b", "main"], dir);
  await sh(["git", "config", "user.name", "nax bench"], dir);
  await sh(["git", "config", "user.email", "bench@nax.invalid"], dir);
  await sh(["git", "config", "commit.gpgsign", "false"], dir);
  await sh([bun, input.naxEntry, "init", "-d", dir], dir);
  await sh([bun, input.naxEntry, "features", "create", "bench", "-d", dir], dir);
  await writeFile(join(dir, "nax", "features", "bench", "prd.json"), `${JSON.stringify(input.prd, null, 2)}\n`);
  const configPath = join(dir, "nax", "config.json");
  // init wrote only what it detected (nothing, here): the bench sets the rest.
  const written = JSON.parse(await readFile(configPath, "utf8"));
  const config = {
    ...written,
    agents: { claude: { command: fakeClaudePath() } },
    quality: { commands: { test: "true" }, requireLint: false, requireTypecheck: false },
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  await sh(["git", "add", "-A"], dir);
  await sh(["git", "commit", "-q", "-m", "bench project"], dir);
  return dir;
}
