/**
 * Aligned plain-text tables. Widths are measured without colour codes, so a
 * painted cell lines up with a plain one; the last column is never padded.
 */

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return text.replace(ANSI, "").length;
}

function pad(text: string, width: number, align: Align): string {
  const gap = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return align === "right" ? gap + text : text + gap;
}

/** Renders a header row (passed through `header` for styling) and the rows, columns separated by two spaces. */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  header: (text: string) => string = (t) => t,
): string[] {
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => visibleWidth(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? "";
        const last = i === columns.length - 1;
        return last && c.align !== "right" ? cell : pad(cell, widths[i] ?? 0, c.align ?? "left");
      })
      .join("  ")
      .trimEnd();
  return [header(line(columns.map((c) => c.header))), ...rows.map(line)];
}
