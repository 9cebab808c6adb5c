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
    writeAtomic: (path, content) => fs.writeAtomic(path, redactor.text(content)),
    createExclusive: (path, content) => fs.createExclusive(path, redactor.text(content)),
    appendText: (path, content) => fs.appendText(path, redactor.text(content)),
  };
}
