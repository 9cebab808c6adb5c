/**
 * The verifier's verdict: a strictly validated JSON object in a
 * ```nax-verdict fence at the end of its final message. Anything else
 * (no fence, bad JSON, an extra key, a failing verdict without reasons) is
 * `missing` with the reason, and nax then judges by its own test run
 * (verifier stage); the agent's word never stands in for a check.
 */
import { z } from "zod";
import { OBJECTION_FENCE, VERDICT_FENCE } from "./role-prompt";

export const VerdictSchema = z
  .strictObject({
    verdict: z.enum(["pass", "fail"]),
    reasons: z.array(z.string().min(1)).default([]),
  })
  .refine((v) => v.verdict === "pass" || v.reasons.length > 0, {
    message: "a failing verdict needs at least one reason",
    path: ["reasons"],
  });
export type Verdict = z.infer<typeof VerdictSchema>;

export type FencedJson<T> = { kind: "found"; value: T } | { kind: "missing"; why: string };

/** The last ```<tag> fence of the text, parsed as JSON and checked by the schema. */
export function parseFenced<T>(text: string, tag: string, schema: z.ZodType<T>): FencedJson<T> {
  const fence = new RegExp(`\`\`\`${tag}[^\\n]*\\n([\\s\\S]*?)\`\`\``, "g");
  const bodies = [...text.matchAll(fence)].map((m) => m[1] ?? "");
  const body = bodies.at(-1);
  if (body === undefined) return { kind: "missing", why: `the final message holds no \`\`\`${tag} block` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { kind: "missing", why: `the \`\`\`${tag} block is not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { kind: "missing", why: `the \`\`\`${tag} block does not match the verdict format: ${issues}` };
  }
  return { kind: "found", value: parsed.data };
}

export function parseVerdict(text: string): FencedJson<Verdict> {
  return parseFenced(text, VERDICT_FENCE, VerdictSchema);
}

/** The implementer's "this test is wrong": recorded and the story paused; the test is never edited. */
export const ObjectionSchema = z.strictObject({
  test: z.string().min(1),
  reason: z.string().min(1),
});
export type Objection = z.infer<typeof ObjectionSchema>;

export function parseObjection(text: string): Objection | undefined {
  const found = parseFenced(text, OBJECTION_FENCE, ObjectionSchema);
  return found.kind === "found" ? found.value : undefined;
}
