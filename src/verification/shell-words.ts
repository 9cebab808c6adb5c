/**
 * Just enough shell lexing to rewrite a simple test command safely: words
 * with their original text (quotes kept, so flags survive byte for byte) and
 * their unquoted value. Anything beyond one simple command (`&&`, `|`, `;`,
 * redirects, substitutions) returns undefined: we do not guess at it. So does
 * any word the shell would expand (`$VAR`, unquoted globs, `~`), since one
 * such word may become several, or none, by the time the runner reads it.
 */

export interface ShellWord {
  /** As the user wrote it, quotes included. */
  raw: string;
  /** With quotes and escapes removed. */
  value: string;
}

const OPERATORS = new Set([";", "&", "|", "<", ">", "`", "\n", "$", "*", "?", "[", "(", ")"]);

export function splitShellWords(command: string): ShellWord[] | undefined {
  const words: ShellWord[] = [];
  let raw = "";
  let value = "";
  let quote: "'" | '"' | undefined;
  const flush = () => {
    if (raw.length > 0) words.push({ raw, value });
    raw = "";
    value = "";
  };
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index] as string;
    if (quote) {
      raw += char;
      if (char === quote) quote = undefined;
      else if (quote === '"' && (char === "$" || char === "`")) return undefined;
      else if (char === "\\" && quote === '"' && index + 1 < command.length) {
        raw += command[index + 1];
        value += command[index + 1];
        index += 1;
      } else value += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      raw += char;
    } else if (char === "\\" && index + 1 < command.length) {
      raw += char + command[index + 1];
      value += command[index + 1];
      index += 1;
    } else if (OPERATORS.has(char) || (char === "~" && raw === "")) return undefined;
    else if (/\s/.test(char)) flush();
    else {
      raw += char;
      value += char;
    }
  }
  if (quote) return undefined;
  flush();
  return words;
}

/** Quotes one argument for `sh`: plain paths stay readable, anything else is single-quoted. */
export function quoteShellArg(arg: string): string {
  if (/^[A-Za-z0-9_./@%+=:,-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
