/**
 * Keeps the failure-relevant lines of a test run whose output is far larger
 * than what nax holds in memory. The spawn helper keeps only the tail of each
 * stream (trap 26), so on a run that prints 20 MB the first `--- FAIL` or
 * ` FAIL  file > test` block is gone by the time the runner exits. A keeper
 * sees every line as it streams, keeps the lines that look like a failure or
 * a summary plus the lines around them (bounded), and merges them with the
 * tail into one excerpt in output order, which the parsers then read.
 */

/** Lines that start a failure report or carry a count, in any runner nax knows. */
const STRONG =
  /(\bFAIL\b|^\(fail\) |^\s*error(\[E\d+\])?: |\bFAILED\b|\bERROR\b|✗|×|✕|✖|●|^\s*not ok\b|panicked at|^---- .* ----$|^\s*\d+\) |^\s*\d+ (failing|passing|pending)\b|^test result:|^\s*(Tests?|Test Files|Test Suites):?\s|^\s*\d+ (pass|fail)$|^[#ℹ] (tests|pass|fail|suites|cancelled|skipped|todo) \d+|^=+ .* =+$|^(ok|\?)\s*\t\S+|\bError\b|AssertionError|^E {2,}|\S+_test\.go:\d+: )/;
/** Lines that only say which test is running (go -v and -json, cargo): kept alone, no context, so later messages find their owner. */
const OWNER =
  /^(=== (RUN|CONT|PAUSE|NAME)\s|\{"Time":"[^"]*","Action":"run"|\s*Running |test \S+ \.\.\. |\s*# Subtest: |\S.*\.(test|spec)\.\w+:$)/;

export interface KeeperLimits {
  /** Lines kept before a strong line. */
  before: number;
  /** Lines kept after a strong line (a diff, a code frame, a stack). */
  after: number;
  /** Characters of kept lines; once reached, nothing more is kept (the tail still holds the end). */
  maxChars: number;
}

export const DEFAULT_KEEPER_LIMITS: KeeperLimits = { before: 3, after: 40, maxChars: 512 * 1024 };
/** A kept line longer than this is cut: one minified bundle line must not eat the budget. */
const MAX_LINE = 2000;

interface KeptLine {
  index: number;
  text: string;
}

export class FailureLineKeeper {
  private readonly kept: KeptLine[] = [];
  private readonly recent: KeptLine[] = [];
  private chars = 0;
  private afterLeft = 0;
  /** Lines seen so far; the index of the next line. */
  lines = 0;
  full = false;

  constructor(private readonly limits: KeeperLimits = DEFAULT_KEEPER_LIMITS) {}

  push(raw: string): void {
    const index = this.lines;
    this.lines += 1;
    if (this.full) return;
    const text = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}…` : raw;
    const line = { index, text };
    if (STRONG.test(text)) {
      for (const before of this.recent) this.keep(before);
      this.recent.length = 0;
      this.keep(line);
      this.afterLeft = this.limits.after;
      return;
    }
    if (this.afterLeft > 0) {
      this.afterLeft -= 1;
      this.keep(line);
      return;
    }
    if (OWNER.test(text)) {
      this.recent.length = 0;
      this.keep(line);
      return;
    }
    this.recent.push(line);
    if (this.recent.length > this.limits.before) this.recent.shift();
  }

  private keep(line: KeptLine): void {
    if (this.full) return;
    const last = this.kept[this.kept.length - 1];
    if (last && last.index >= line.index) return;
    this.chars += line.text.length + 1;
    if (this.chars > this.limits.maxChars) {
      this.full = true;
      return;
    }
    this.kept.push(line);
  }

  /**
   * The kept lines that come before `tail`, then the tail: one text in output
   * order, with a marker where lines were left out. `tail` is what the spawn
   * helper kept of the same stream (its last characters); `truncated` says it
   * lost its beginning, so its first line is partial and the kept lines fill
   * in what came before it.
   */
  excerpt(tail: string, truncated: boolean): string {
    if (!truncated) return tail;
    const tailLines = tail.split("\n");
    if (tail.endsWith("\n")) tailLines.pop();
    tailLines.shift(); // partial: the line it belongs to is in `kept` if it mattered
    const tailStart = this.lines - tailLines.length;
    const parts: string[] = [];
    let next = 0;
    for (const line of this.kept) {
      if (line.index >= tailStart) break;
      if (line.index > next) parts.push(omitted(line.index - next));
      parts.push(line.text);
      next = line.index + 1;
    }
    if (tailStart > next) parts.push(omitted(tailStart - next));
    const head = parts.join("\n");
    const body = tailLines.join("\n");
    return `${head}\n${body}${tail.endsWith("\n") ? "\n" : ""}`;
  }
}

function omitted(count: number): string {
  return `… [${count} line(s) of output omitted] …`;
}
