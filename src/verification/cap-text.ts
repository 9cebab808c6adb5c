/**
 * Caps text for prompts and logs. Output is kept from both ends: the head
 * holds the first errors, the tail holds the runner's summary.
 */

export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = (omitted: number) => `\n… [${omitted} characters omitted] …\n`;
  const room = Math.max(0, maxChars - marker(text.length).length);
  const head = Math.floor(room / 4);
  const tail = room - head;
  return `${text.slice(0, head)}${marker(text.length - head - tail)}${text.slice(text.length - tail)}`;
}

/** The last `maxChars` characters, starting at a line boundary when one is near. */
export function tailText(text: string, maxChars: number): string {
  if (maxChars <= 0) return "";
  if (text.length <= maxChars) return text;
  const cut = text.slice(text.length - maxChars);
  const newline = cut.indexOf("\n");
  return newline >= 0 && newline < 200 ? cut.slice(newline + 1) : cut;
}
