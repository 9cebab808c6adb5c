import { describe, expect, test } from "bun:test";
import { parseObjection, parseVerdict } from "../../../src/tdd/verdict";

const fenced = (tag: string, body: string) => `I checked it.\n\`\`\`${tag}\n${body}\n\`\`\`\n`;

describe("the verifier's verdict", () => {
  test("a pass, or a fail with reasons, in the fence is read", () => {
    expect(parseVerdict(fenced("nax-verdict", '{"verdict":"pass"}'))).toEqual({
      kind: "found",
      value: { verdict: "pass", reasons: [] },
    });
    const failed = parseVerdict(fenced("nax-verdict", '{"verdict":"fail","reasons":["criterion 2 untested"]}'));
    expect(failed).toEqual({ kind: "found", value: { verdict: "fail", reasons: ["criterion 2 untested"] } });
  });

  test("no fence, bad JSON, an unknown key, an unknown verdict or a fail without reasons is missing, with why", () => {
    const cases = [
      "Looks good to me!",
      fenced("nax-verdict", "{verdict: pass}"),
      fenced("nax-verdict", '{"verdict":"pass","confidence":0.9}'),
      fenced("nax-verdict", '{"verdict":"probably"}'),
      fenced("nax-verdict", '{"verdict":"fail"}'),
      fenced("json", '{"verdict":"pass"}'),
    ];
    const whys = cases.map((text) => {
      const parsed = parseVerdict(text);
      expect(parsed.kind).toBe("missing");
      return parsed.kind === "missing" ? parsed.why : "";
    });
    expect(whys[1]).toContain("not JSON");
    expect(whys[4]).toContain("at least one reason");
  });

  test("the last fence counts: a verdict quoted earlier in the reply does not", () => {
    const text = `${fenced("nax-verdict", '{"verdict":"pass"}')}${fenced("nax-verdict", '{"verdict":"fail","reasons":["x"]}')}`;
    const parsed = parseVerdict(text);
    expect(parsed.kind === "found" && parsed.value.verdict).toBe("fail");
  });
});

describe("the implementer's objection", () => {
  test("a well-formed objection is read; anything else is no objection", () => {
    expect(
      parseObjection(fenced("nax-objection", '{"test":"test/a.test.ts","reason":"contradicts criterion 1"}')),
    ).toEqual({ test: "test/a.test.ts", reason: "contradicts criterion 1" });
    expect(parseObjection("All done.")).toBeUndefined();
    expect(parseObjection(fenced("nax-objection", '{"test":"x"}'))).toBeUndefined();
  });
});
