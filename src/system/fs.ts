/**
 * The file system seen through one small interface. Every state file nax
 * writes goes through `writeAtomic` (temp file + rename), so a reader never
 * sees half a file and a crash never leaves one behind.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import { dirname } from "node:path";

export interface FileStat {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

export interface Fs {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /**
   * Creates parent folders, writes a temp file beside `path`, then renames it over `path`. `content` is text,
   * or chunks from `encode` written one after another (a big file kept as pieces: no whole copy per write).
   */
  writeAtomic(path: string, content: string | readonly Uint8Array[]): Promise<void>;
  /** `text`'s bytes for `writeAtomic`'s chunks; a redacting Fs redacts them here, once (redacting-fs.ts). */
  encode(text: string): Uint8Array;
  /** Creates `path` only if it does not exist; false when it already does. */
  createExclusive(path: string, content: string): Promise<boolean>;
  appendText(path: string, content: string): Promise<void>;
  /**
   * The file's text from byte `offset` to its end, and its size in bytes; undefined when it does not exist.
   * Lets a follower read only what was appended (callers keep offsets on line boundaries, so UTF-8 is never split).
   */
  readTextFrom(path: string, offset: number): Promise<{ text: string; size: number } | undefined>;
  /** Up to `length` bytes from byte `offset`, or undefined when the file does not exist. */
  readBytes(path: string, offset: number, length: number): Promise<Uint8Array | undefined>;
  exists(path: string): Promise<boolean>;
  mkdirp(path: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Entry names, or [] when the folder does not exist. */
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat | undefined>;
  /** True when `path` itself is a symbolic link (not followed); false when it is anything else or missing. */
  isSymlink(path: string): Promise<boolean>;
  /** Copies a file byte for byte (mode kept), creating `to`'s folders. */
  copyFile(from: string, to: string): Promise<void>;
  /** Creates a symbolic link at `path` pointing to `target`; false when `path` already exists. */
  symlink(target: string, path: string): Promise<boolean>;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT" || (error as NodeJS.ErrnoException)?.code === "ENOTDIR";
}

/** Opens `path` for reading, runs `use`, closes it; undefined when the file does not exist. */
async function withReadHandle<T>(path: string, use: (handle: nodeFs.FileHandle) => Promise<T>): Promise<T | undefined> {
  let handle: nodeFs.FileHandle;
  try {
    handle = await nodeFs.open(path, "r");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** Exclusive create on file systems without hard links: atomic existence check, content written after. */
async function createWithFlag(path: string, content: string): Promise<boolean> {
  try {
    await nodeFs.writeFile(path, content, { encoding: "utf8", flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** The most buffers one `writev` takes (Linux's IOV_MAX). */
const IOV_MAX = 1024;

/** Writes the chunks in order, a `writev` per 1,024; a short write's remainder is written whole. */
async function writeChunks(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const handle = await nodeFs.open(path, "w");
  try {
    for (let at = 0; at < chunks.length; at += IOV_MAX) {
      const group = chunks.slice(at, at + IOV_MAX);
      const size = group.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      const { bytesWritten } = await handle.writev(group as Uint8Array[]);
      if (bytesWritten < size) await handle.write(Buffer.concat(group).subarray(bytesWritten));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Runs `write`; when the target's folder is missing, creates it and runs `write` once more.
 * Creating the folder before every write cost a syscall per state-file update (dozens per story).
 */
async function inFolder(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await nodeFs.mkdir(dirname(path), { recursive: true });
    await write();
  }
}

export function createNodeFs(): Fs {
  return {
    async readText(path) {
      try {
        return await nodeFs.readFile(path, "utf8");
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async writeAtomic(path, content) {
      const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      try {
        await inFolder(path, () =>
          typeof content === "string" ? nodeFs.writeFile(temp, content, "utf8") : writeChunks(temp, content),
        );
        await nodeFs.rename(temp, path);
      } catch (error) {
        // A missing or non-folder parent means the temp file was never created; removing it there
        // would only fail in turn (EFAULT under a file) and hide the error that matters.
        if (!isMissing(error)) await nodeFs.rm(temp, { force: true });
        throw error;
      }
    },
    encode: (text) => Buffer.from(text, "utf8"),
    async createExclusive(path, content) {
      await nodeFs.mkdir(dirname(path), { recursive: true });
      // Complete content first, then hard-link it into place: `link` fails with EEXIST like `wx`, but a reader
      // can never see the file empty (an empty lock read mid-write looked stale, so two runs both won).
      const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      await nodeFs.writeFile(temp, content, "utf8");
      try {
        await nodeFs.link(temp, path);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") return false;
        if (code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EPERM") return createWithFlag(path, content);
        throw error;
      } finally {
        await nodeFs.rm(temp, { force: true });
      }
    },
    async appendText(path, content) {
      await inFolder(path, () => nodeFs.appendFile(path, content, "utf8"));
    },
    readTextFrom: (path, offset) =>
      withReadHandle(path, async (handle) => {
        const { size } = await handle.stat();
        if (size <= offset) return { text: "", size };
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return { text: buffer.subarray(0, bytesRead).toString("utf8"), size: offset + bytesRead };
      }),
    readBytes: (path, offset, length) =>
      withReadHandle(path, async (handle) => {
        const buffer = Buffer.alloc(Math.max(0, length));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      }),
    async exists(path) {
      try {
        await nodeFs.access(path);
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async mkdirp(path) {
      await nodeFs.mkdir(path, { recursive: true });
    },
    async remove(path) {
      await nodeFs.rm(path, { force: true });
    },
    async readdir(path) {
      try {
        return await nodeFs.readdir(path);
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
    },
    async copyFile(from, to) {
      await nodeFs.mkdir(dirname(to), { recursive: true });
      await nodeFs.cp(from, to, { preserveTimestamps: true, verbatimSymlinks: true });
    },
    async symlink(target, path) {
      try {
        await nodeFs.symlink(target, path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      }
    },
    async stat(path) {
      try {
        const s = await nodeFs.stat(path);
        return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async isSymlink(path) {
      try {
        return (await nodeFs.lstat(path)).isSymbolicLink();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
