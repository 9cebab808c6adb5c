/**
 * The webhook channel against servers on 127.0.0.1 only: a receiver the test
 * starts gets the signed question, and the answers go to the run's own
 * loopback callback server, which accepts a signed answer and refuses a
 * tampered, stale, replayed or unsigned one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createWebhookChannel } from "../../../src/interaction/channels/webhook";
import { createVerifier, signedHeaders } from "../../../src/interaction/channels/webhook-sign";
import type { Answer } from "../../../src/interaction/question";
import { serveLoopback, timedFetch } from "../../../src/system/http";
import { until } from "../../helpers/until";
import { interactionWith, recordingLogger, uuid } from "./fixtures";

const SECRET = "test-webhook-secret";

interface Received {
  body: string;
  headers: Headers;
}

describe("the webhook channel and its loopback callback server", () => {
  const received: Received[] = [];
  let receiver: ReturnType<typeof Bun.serve>;
  let callbackUrl: string;
  let asking: Promise<Answer>;
  let close: () => Promise<void>;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(callbackUrl, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  beforeAll(async () => {
    receiver = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(request) {
        received.push({ body: await request.text(), headers: request.headers });
        return new Response("ok");
      },
    });
    const { logger } = recordingLogger();
    const channel = createWebhookChannel({
      url: `http://127.0.0.1:${receiver.port}/hook`,
      secret: SECRET,
      fetch: timedFetch(5000),
      nowMs: () => Date.now(),
      uuid: () => crypto.randomUUID(),
      logger,
      verifier: createVerifier({ secret: SECRET, maxSkewSeconds: 300, nowMs: () => Date.now() }),
      serve: (handle) => serveLoopback(0, handle),
    });
    const { interaction } = interactionWith([channel]);
    close = () => interaction.close();
    asking = interaction.ask({
      kind: "security-review",
      prompt: "US-003 touches auth",
      choices: ["approve", "reject"],
      fallback: "reject",
      storyId: "US-003",
      lane: 2,
    });
    await until("the question reached the receiver", () => received.length > 0, 5000);
    callbackUrl = (JSON.parse(received[0]?.body ?? "{}") as { callbackUrl: string }).callbackUrl;
  });
  afterAll(async () => {
    await close();
    await receiver.stop(true);
  });

  test("the question is POSTed as JSON signed over body, timestamp and nonce, with a loopback callback URL", () => {
    const [hit] = received;
    const payload = JSON.parse(hit?.body ?? "{}");
    expect(payload).toMatchObject({
      type: "question",
      runId: "run-1",
      question: { kind: "security-review", choices: ["approve", "reject"], fallback: "reject", storyId: "US-003" },
    });
    expect(callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/answer$/);
    const verifier = createVerifier({ secret: SECRET, maxSkewSeconds: 300, nowMs: () => Date.now() });
    expect(verifier.verify(hit?.headers ?? new Headers(), hit?.body ?? "")).toEqual({ ok: true });
    expect(hit?.body).not.toContain(SECRET);
  });

  test("an unsigned answer is refused with 401 (trap 35)", async () => {
    const response = await post(JSON.stringify({ questionId: "q-x", choice: "approve" }), {});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "unsigned signature" });
  });

  test("a tampered answer (body changed after signing) is refused with 401 (trap 35)", async () => {
    const id = JSON.parse(received[0]?.body ?? "{}").question.id;
    const signed = JSON.stringify({ questionId: id, choice: "reject" });
    const headers = signedHeaders(SECRET, signed, Date.now(), uuid());
    const response = await post(JSON.stringify({ questionId: id, choice: "approve" }), headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "tampered signature" });
  });

  test("a stale answer (signed ten minutes ago) is refused with 401 (trap 35)", async () => {
    const id = JSON.parse(received[0]?.body ?? "{}").question.id;
    const body = JSON.stringify({ questionId: id, choice: "approve" });
    const response = await post(body, signedHeaders(SECRET, body, Date.now() - 600_000, uuid()));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "stale signature" });
  });

  test("a signed answer is accepted and answers the question; the same request replayed is refused (trap 35)", async () => {
    const id = JSON.parse(received[0]?.body ?? "{}").question.id;
    const body = JSON.stringify({ questionId: id, choice: "approve", by: "sec-team" });
    const headers = signedHeaders(SECRET, body, Date.now(), uuid());
    const accepted = await post(body, headers);
    expect(accepted.status).toBe(200);
    expect(await asking).toMatchObject({ questionId: id, choice: "approve", source: "answered", channel: "webhook" });
    const replayed = await post(body, headers);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({ error: "replayed signature" });
  });
});
