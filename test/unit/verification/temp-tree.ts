/** Generated project trees in temp dirs for the smart-runner tests. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempTrees {
  make(files: Record<string, string>): Promise<string>;
  cleanup(): Promise<void>;
}

export function createTempTrees(prefix: string): TempTrees {
  const dirs: string[] = [];
  return {
    async make(files) {
      const root = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(root);
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
      return root;
    },
    async cleanup() {
      await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
