/**
 * An `Fs` whose writes pass through the redactor: a run hands this to every
 * writer (PRD store, status files, event log, progress file, run registry,
 * lock), so no writer can forget to redact and no secret value reaches a
 * file (trap 30, docs/traps.md). Reads are untouched.
 */
import type { Fs } from "./fs";
import type { Redactor } from "./secrets";

export function createRedactingFs(fs: Fs, redactor: Redactor): Fs {
  if (redactor.size === 0) return fs;
  /** Chunks `encode` made, redacted then: a write passes them as they are (the PRD's unchanged stories). */
  const redacted = new WeakSet<Uint8Array>();
  const encode = (text: string): Uint8Array => {
    const bytes = fs.encode(redactor.text(text));
    redacted.add(bytes);
    return bytes;
  };
  const decoder = new TextDecoder();
  return {
    // Named one by one, not spread: a class-based Fs keeps its methods on the prototype.
    readText: (path) => fs.readText(path),
    readTextFrom: (path, offset) => fs.readTextFrom(path, offset),
    readBytes: (path, offset, length) => fs.readBytes(path, offset, length),
    exists: (path) => fs.exists(path),
    mkdirp: (path) => fs.mkdirp(path),
    remove: (path) => fs.remove(path),
    readdir: (path) => fs.readdir(path),
    stat: (path) => fs.stat(path),
    isSymlink: (path) => fs.isSymlink(path),
    // Copies and links carry the user's own files byte for byte (isolation): nothing of nax's is written.
    copyFile: (from, to) => fs.copyFile(from, to),
    symlink: (target, path) => fs.symlink(target, path),
    encode,
    // A chunk from anywhere else is decoded and redacted like text. A value split across two chunks is not
    // seen: the PRD's chunks are whole stories and the JSON between them.
    writeAtomic: (path, content) =>
      fs.writeAtomic(
        path,
        typeof content === "string"
          ? redactor.text(content)
          : content.map((chunk) => (redacted.has(chunk) ? chunk : encode(decoder.decode(chunk)))),
      ),
    createExclusive: (path, content) => fs.createExclusive(path, redactor.text(content)),
    appendText: (path, content) => fs.appendText(path, redactor.text(content)),
  };
}
