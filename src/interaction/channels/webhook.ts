/**
 * The `webhook` channel: each question and notification POSTed to
 * `interaction.webhook.url` as signed JSON (webhook-sign.ts). A question's
 * payload carries `callbackUrl`, the loopback server this run starts on the
 * first question: a signed POST `{questionId, choice, by?}` there answers it
 * (refused when tampered, stale or replayed). `nax answer` works as well.
 */
import { errorMessage } from "../../errors";
import type { Logger } from "../../logger/logger";
import type { Fetch, LoopbackServer } from "../../system/http";
import type { Channel, Question, Respond } from "../question";
import { questionText } from "../question";
import { signedHeaders, type Verifier } from "./webhook-sign";

export interface WebhookDeps {
  url: string;
  secret: string;
  fetch: Fetch;
  nowMs: () => number;
  uuid: () => string;
  verifier: Verifier;
  logger: Logger;
  /** Starts the loopback callback server with this handler. */
  serve(handle: (request: Request) => Promise<Response>): LoopbackServer;
}

const reply = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

export function createWebhookChannel(deps: WebhookDeps): Channel & { callbackUrl(): string | undefined } {
  const waiting = new Map<string, { question: Question; respond: Respond }>();
  let server: LoopbackServer | undefined;

  const post = async (payload: Record<string, unknown>) => {
    const body = JSON.stringify(payload);
    const headers = {
      "content-type": "application/json",
      ...signedHeaders(deps.secret, body, deps.nowMs(), deps.uuid()),
    };
    const response = await deps.fetch(deps.url, { method: "POST", headers, body });
    if (!response.ok) throw new Error(`${deps.url} answered HTTP ${response.status}`);
  };

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/answer")
      return reply(404, { error: "POST /answer only" });
    const body = await request.text();
    const verdict = deps.verifier.verify(request.headers, body);
    if (!verdict.ok) {
      deps.logger.warn(`webhook answer refused: ${verdict.reason} signature`);
      return reply(401, { error: `${verdict.reason} signature` });
    }
    const answer = parseAnswer(body);
    if (!answer) return reply(400, { error: "the body must be {questionId, choice, by?}" });
    const target = waiting.get(answer.questionId);
    if (!target) return reply(404, { error: `no question ${answer.questionId} is waiting` });
    const by = answer.by === undefined ? {} : { by: answer.by };
    if (!target.respond({ choice: answer.choice, channel: "webhook", ...by }))
      return reply(422, { error: `choose one of ${target.question.choices.join(", ")}` });
    return reply(200, { accepted: true, questionId: answer.questionId, choice: answer.choice });
  };

  return {
    name: "webhook",
    callbackUrl: () => (server ? `${server.url}/answer` : undefined),
    async ask(question, respond, signal) {
      server ??= deps.serve(handle);
      waiting.set(question.id, { question, respond });
      signal.addEventListener("abort", () => waiting.delete(question.id), { once: true });
      await post({
        type: "question",
        runId: question.runId,
        feature: question.feature,
        question: {
          id: question.id,
          kind: question.kind,
          prompt: question.prompt,
          choices: question.choices,
          fallback: question.fallback,
          expiresAt: question.expiresAt,
          ...(question.storyId === undefined ? {} : { storyId: question.storyId }),
          ...(question.lane === undefined ? {} : { lane: question.lane }),
        },
        text: questionText(question),
        callbackUrl: `${server.url}/answer`,
      });
    },
    async notify(notification) {
      await post({ type: "notification", ...notification });
    },
    async close() {
      await server?.stop().catch((error: unknown) => {
        deps.logger.warn(`the webhook callback server did not stop cleanly: ${errorMessage(error)}`);
      });
      server = undefined;
    },
  };
}

function parseAnswer(body: string): { questionId: string; choice: string; by?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // Not JSON: refused with a 400 by the caller.
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { questionId, choice, by } = value as Record<string, unknown>;
  if (typeof questionId !== "string" || typeof choice !== "string") return undefined;
  return { questionId, choice, ...(typeof by === "string" ? { by } : {}) };
}
