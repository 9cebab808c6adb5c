import { describe, expect, test } from "bun:test";
import { formatCost, formatDate, formatDuration, paintStatus } from "../../../../src/cli/render/format";
import { createPaint } from "../../../../src/cli/render/paint";
import { renderTable, visibleWidth } from "../../../../src/cli/render/table";

describe("formatDuration", () => {
  test("reads like the runs table: seconds, minutes, hours and minutes", () => {
    expect(formatDuration(12_400)).toBe("12s");
    expect(formatDuration(3 * 60_000 + 5_000)).toBe("3m 5s");
    expect(formatDuration(45 * 60_000 + 30_000)).toBe("45m");
    expect(formatDuration(62 * 60_000)).toBe("1h 2m");
    expect(formatDuration(2 * 3_600_000)).toBe("2h");
  });

  test("unknown or negative durations are a dash", () => {
    expect(formatDuration(undefined)).toBe("-");
    expect(formatDuration(Number.NaN)).toBe("-");
    expect(formatDuration(-5)).toBe("-");
  });
});

describe("formatCost and formatDate", () => {
  test("costs have two decimals and a dollar sign", () => {
    expect(formatCost(0.4213)).toBe("$0.42");
    expect(formatCost(12)).toBe("$12.00");
  });

  test("dates are local minutes, and invalid ones a dash", () => {
    const iso = "2026-03-07T05:30:00.000Z";
    const d = new Date(iso);
    const expected = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    expect(formatDate(iso)).toBe(expected);
    expect(formatDate("yesterday")).toBe("-");
  });
});

describe("renderTable", () => {
  test("aligns columns by their visible width, even when cells are coloured", () => {
    const paint = createPaint({ env: { FORCE_COLOR: "1" }, isTTY: true });
    const lines = renderTable(
      [{ header: "ID" }, { header: "STATUS" }, { header: "COST", align: "right" }],
      [
        ["a", paintStatus(paint, "completed"), "$1.00"],
        ["bbbb", paintStatus(paint, "failed"), "$12.00"],
      ],
    );
    expect(lines[1]).toContain("\u001b[");
    const widths = lines.map(visibleWidth);
    expect(new Set(widths).size).toBe(1);
    expect(lines[0]).toBe("ID    STATUS       COST");
  });

  test("an unavailable run is shown as [unavailable]", () => {
    const paint = createPaint({ env: { NO_COLOR: "1" }, isTTY: true });
    expect(paintStatus(paint, "unavailable")).toBe("[unavailable]");
  });
});
