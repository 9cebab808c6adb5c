/**
 * The text patterns the test-integrity guards look for, per language: test
 * declarations (to count tests), markers that skip or focus tests, and
 * assertions (to notice removed or loosened ones). They read lines, not
 * syntax trees: simple, fast, language-neutral, and each pattern is tested.
 */

/** One test declared on a line: `it(`/`test(` (with `.each`/`.concurrent`), `def test_`, `func TestX(`, `#[test]`. */
const DECLARATIONS: readonly RegExp[] = [
  /(?:^|[^\w.$])(?:it|test)(?:\.(?:each|concurrent|failing)(?:`[^`]*`|\([^)]*\))?)?\s*\(\s*["'`]/,
  /^\s*(?:async\s+)?def\s+test\w*\s*\(/,
  /^\s*func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)/,
  /^\s*#\[(?:tokio::)?test\]/,
];

export function countTestDeclarations(text: string): number {
  return text.split("\n").filter((line) => DECLARATIONS.some((pattern) => pattern.test(line))).length;
}

/** Markers that skip, focus or defer a test; `what` names it in the evidence. */
const SKIP_MARKERS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /(?:^|[^\w$])(?:it|test|describe|context|suite)\.(skip|only|todo|skipIf|runIf)\b/, what: ".$1" },
  { pattern: /(?:^|[^\w.$])(xit|xtest|xdescribe|xcontext|fit|fdescribe)\s*\(/, what: "$1(" },
  { pattern: /@pytest\.mark\.(skip|skipif|xfail)\b/, what: "@pytest.mark.$1" },
  { pattern: /\bpytest\.(skip|xfail)\s*\(/, what: "pytest.$1(" },
  { pattern: /@unittest\.(skip\w*|expectedFailure)\b/, what: "@unittest.$1" },
  { pattern: /\bt\.(Skip|SkipNow|Skipf)\s*\(/, what: "t.$1(" },
  { pattern: /#\[ignore\b/, what: "#[ignore]" },
  { pattern: /@(?:Disabled|Ignore)\b/, what: "@Disabled" },
];

/** The skip or focus marker on this line, or undefined. */
export function skipMarker(line: string): string | undefined {
  for (const { pattern, what } of SKIP_MARKERS) {
    const match = pattern.exec(line);
    if (match) return what.replace("$1", match[1] ?? "");
  }
  return undefined;
}

/** One assertion on a line: expect(...), assert..., t.Error/Fatal, assert_eq!, should. */
const ASSERTIONS: readonly RegExp[] = [
  /\bexpect\s*\(/g,
  /(?:^|[^\w.])assert(?:_eq|_ne)?!?\s*[(\s]/g,
  /\bassert\.\w+\s*\(/g,
  /\bself\.assert\w+\s*\(/g,
  /\bt\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(/g,
  /\.should\b/g,
];

export function countAssertions(text: string): number {
  let count = 0;
  for (const line of text.split("\n")) {
    for (const pattern of ASSERTIONS) count += line.match(pattern)?.length ?? 0;
  }
  return count;
}

/** Matchers that pin a value, and the loose ones that accept almost anything. */
const STRONG_MATCHERS = new Set([
  "toBe",
  "toEqual",
  "toStrictEqual",
  "toMatchObject",
  "toContain",
  "toContainEqual",
  "toHaveLength",
  "toMatch",
  "toThrow",
  "toHaveProperty",
  "toBeCloseTo",
  "toHaveBeenCalledWith",
  "toHaveBeenCalledTimes",
  "toMatchSnapshot",
  "toMatchInlineSnapshot",
]);
const LOOSE_MATCHERS = new Set(["toBeDefined", "toBeTruthy", "toBeFalsy", "not.toBeUndefined", "not.toBeNull"]);

export type AssertionStrength = { subject: string; strength: "strong" | "loose" };

/**
 * How strongly this line asserts about which subject: `expect(x).toBe(1)` is
 * strong about `x`, `expect(x).toBeDefined()` loose; `assert x == y` strong
 * about `x`, a bare `assert x` loose. Undefined for other lines.
 */
export function assertionStrength(line: string): AssertionStrength | undefined {
  const js = /\bexpect\s*\((.*?)\)\s*\.((?:not\.)?\w+)\s*\(/.exec(line);
  if (js) {
    const subject = (js[1] ?? "").trim();
    const matcher = js[2] ?? "";
    if (LOOSE_MATCHERS.has(matcher)) return { subject, strength: "loose" };
    if (STRONG_MATCHERS.has(matcher.replace(/^not\./, ""))) return { subject, strength: "strong" };
    return undefined;
  }
  const py = /^\s*assert\s+(.+?)\s*(?:,\s*["'].*)?$/.exec(line);
  if (py) {
    const body = py[1] ?? "";
    const compared = /^(.+?)\s*(==|!=|<=|>=|<|>|\bnot in\b|\bin\b|\bis not\b|\bis\b)\s*(.+)$/.exec(body);
    if (compared) return { subject: (compared[1] ?? "").trim(), strength: "strong" };
    return { subject: body.trim(), strength: "loose" };
  }
  const rust = /\bassert_(?:eq|ne)!\s*\(\s*([^,]+),/.exec(line);
  if (rust) return { subject: (rust[1] ?? "").trim(), strength: "strong" };
  const rustLoose = /\bassert!\s*\(\s*(.+?)\s*\)\s*;?\s*$/.exec(line);
  if (rustLoose) return { subject: (rustLoose[1] ?? "").trim(), strength: "loose" };
  return undefined;
}
