/**
 * A local fake of the Telegram Bot API for tests (Bun.serve on 127.0.0.1:0):
 * `sendMessage` is recorded, `getUpdates` answers at once with the updates
 * the test pushed (from `offset` on), and every call is recorded with the
 * `x-test-run` header the test's fetch adds, so a test can tell which run polled.
 */
export interface FakeUpdate {
  update_id: number;
  message: { text: string; from: { id: number }; reply_to_message?: { text: string } };
}

export interface FakeTelegram {
  baseUrl: string;
  sent: { token: string; chatId: unknown; text: string }[];
  polls: { token: string; offset: number; run: string | null }[];
  /** A message from user `from`; `replyTo`: the text of the message it replies to. */
  push(token: string, from: number, text: string, replyTo?: string): void;
  stop(): Promise<void>;
}

export function startFakeTelegram(): FakeTelegram {
  const updates = new Map<string, FakeUpdate[]>();
  const sent: FakeTelegram["sent"] = [];
  const polls: FakeTelegram["polls"] = [];
  let nextId = 100;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const match = new URL(request.url).pathname.match(/^\/bot([^/]+)\/(\w+)$/);
      if (!match) return Response.json({ ok: false, description: "Not Found" }, { status: 404 });
      const [, token = "", method] = match;
      const body = (await request.json()) as Record<string, unknown>;
      if (method === "sendMessage") {
        sent.push({ token, chatId: body.chat_id, text: String(body.text) });
        return Response.json({ ok: true, result: { message_id: sent.length } });
      }
      if (method === "getUpdates") {
        const offset = Number(body.offset ?? 0);
        polls.push({ token, offset, run: request.headers.get("x-test-run") });
        return Response.json({ ok: true, result: (updates.get(token) ?? []).filter((u) => u.update_id >= offset) });
      }
      return Response.json({ ok: false, description: `no method ${method}` }, { status: 404 });
    },
  });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    sent,
    polls,
    push(token, from, text, replyTo) {
      const list = updates.get(token) ?? [];
      const reply = replyTo === undefined ? {} : { reply_to_message: { text: replyTo } };
      list.push({ update_id: nextId++, message: { text, from: { id: from }, ...reply } });
      updates.set(token, list);
    },
    stop: () => server.stop(true),
  };
}
