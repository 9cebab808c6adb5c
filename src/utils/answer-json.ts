/**
 * The JSON object in a model's answer: models like to wrap it in a code fence
 * or a sentence, so the outermost `{...}` is taken. Shared by LLM routing and
 * `nax plan`; what the object must hold is the caller's schema.
 */
export type AnswerJson = { ok: true; json: unknown } | { ok: false; error: string };

export function answerJson(text: string): AnswerJson {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return { ok: false, error: "the answer holds no JSON object" };
  try {
    return { ok: true, json: JSON.parse(text.slice(start, end + 1)) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, error: `the answer is not valid JSON (${error.message})` };
  }
}
