/**
 * Small pure text helpers shared by the parsers: ANSI stripping (vitest
 * colours piped output), line splitting and message trimming.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export function toLines(text: string): string[] {
  return stripAnsi(text).replace(/\r\n?/g, "\n").split("\n");
}

/** What a parser keeps of one failure's message; the prompt caps it again. */
const MAX_MESSAGE = 1500;

/**
 * Joins the lines of a failure message and caps it. Blank lines go; the
 * runner's indentation of the block (the first line's) goes, but not the
 * indentation inside the message (a diff's context lines keep their spaces).
 */
export function joinMessage(lines: string[]): string {
  const kept = lines.map((line) => line.trimEnd()).filter((line) => line.trim().length > 0);
  const first = kept[0] ?? "";
  const indent = first.length - first.trimStart().length;
  const text = kept.map((line) => line.replace(new RegExp(`^ {0,${indent}}`), "")).join("\n");
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The last match of a global regex over the text, or undefined. */
export function lastMatch(text: string, pattern: RegExp): RegExpExecArray | undefined {
  let found: RegExpExecArray | undefined;
  for (const match of text.matchAll(pattern)) found = match as RegExpExecArray;
  return found;
}

/** A program's name without its folder or a Windows-style suffix (npm ships `bun.exe` on every platform). */
export function executableName(path: string): string {
  return path.replace(/^.*\//, "").replace(/\.(exe|cmd)$/i, "");
}

/** Command words with quotes removed and the path stripped (`./node_modules/.bin/jest` → `jest`). */
export function commandBasenames(words: string[]): string[] {
  return words.map((word) => executableName(word.replace(/^['"]|['"]$/g, "")));
}

/** True when `first` is immediately followed by `second` in the command's words (`bun test`, `go test`). */
export function hasPair(words: string[], first: string, second: string): boolean {
  const names = commandBasenames(words);
  return names.some((name, index) => name === first && names[index + 1] === second);
}
