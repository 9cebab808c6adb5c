/** Finding the project: from `--dir` (default cwd), walk up to the first folder holding `nax/`. */
import { dirname, resolve } from "node:path";
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";

export async function findWorkdir(fs: Fs, start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    const stat = await fs.stat(`${dir}/nax`);
    if (stat?.isDirectory) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function requireWorkdir(fs: Fs, start: string): Promise<string> {
  const found = await findWorkdir(fs, start);
  if (!found) {
    throw new NaxError("NOT_INITIALISED", `${resolve(start)}: no nax/ folder here or above; run \`nax init\` first`, {
      dir: start,
    });
  }
  return found;
}
