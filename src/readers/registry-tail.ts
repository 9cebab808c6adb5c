/**
 * The newest registry entries without listing every run folder: `nax runs
 * --last 20` must not grow with the registry (100,000 runs).
 *
 * The index alone is complete when it is at least as new as the `runs/`
 * folder: a run's folder is created before its index line is appended, and a
 * removed folder bumps the folder's time. Then the newest runs are the index's
 * last lines, read backwards a chunk at a time and parsed only as far as the
 * caller asks. When the folder is newer (a run whose append failed, a folder
 * removed by hand, a compacted index), the caller falls back to the full scan
 * of `registry-scan.ts`, which repairs the index and marks it current again.
 */
import { join } from "node:path";
import { globalPaths } from "../state/paths";
import { RunIndexLineSchema, runIndexPath } from "../state/run-index";
import type { Fs } from "../system/fs";
import type { Sys } from "../system/sys";
import { parseJsonAs } from "./read-json";
import { isIndexStale, type RegistryEntry } from "./registry-scan";

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface IndexTail {
  runsDir: string;
  /** Up to `count` more entries, newest registered last-appended first; [] once the index is exhausted. */
  next(count: number): Promise<RegistryEntry[]>;
}

/** The index, when it alone describes every registered run; undefined when a full scan is needed. */
export async function openIndexTail(sys: Pick<Sys, "fs" | "naxHome">): Promise<IndexTail | undefined> {
  const indexPath = runIndexPath(sys.naxHome);
  if (await isIndexStale(sys.fs, sys.naxHome)) return undefined;
  const index = await sys.fs.stat(indexPath);
  if (!index) return undefined;
  return createTail(sys.fs, globalPaths(sys.naxHome).runsDir, indexPath, index.size);
}

function createTail(fs: Fs, runsDir: string, indexPath: string, size: number): IndexTail {
  let end = size;
  /** Bytes before `end` that belong to a line whose start is not read yet. */
  let carry = new Uint8Array(0);
  let pending: RegistryEntry[] = [];
  const seen = new Set<string>();

  const take = (line: Uint8Array) => {
    if (line.length === 0) return;
    const read = parseJsonAs(new TextDecoder().decode(line), RunIndexLineSchema);
    // An unusable line is skipped here as in the full scan; the full scan is what counts and repairs them.
    if (read.kind !== "ok") return;
    const { dir, ...meta } = read.value;
    if (seen.has(dir)) return;
    seen.add(dir);
    pending.push({ dir: join(runsDir, dir), meta });
  };

  const readChunk = async (): Promise<void> => {
    const start = Math.max(0, end - CHUNK_BYTES);
    const bytes = (await fs.readBytes(indexPath, start, end - start)) ?? new Uint8Array(0);
    const joined = new Uint8Array(bytes.length + carry.length);
    joined.set(bytes, 0);
    joined.set(carry, bytes.length);
    end = start;
    // Lines are cut at newline bytes, which never occur inside a UTF-8 sequence.
    let lineEnd = joined.length;
    for (let i = joined.length - 1; i >= 0; i--) {
      if (joined[i] !== NEWLINE) continue;
      take(joined.subarray(i + 1, lineEnd));
      lineEnd = i;
    }
    carry = joined.slice(0, lineEnd);
    if (start === 0) {
      take(carry);
      carry = new Uint8Array(0);
    }
  };

  return {
    runsDir,
    async next(count) {
      while (pending.length < count && (end > 0 || carry.length > 0)) await readChunk();
      const taken = pending.slice(0, count);
      pending = pending.slice(count);
      return taken;
    },
  };
}
