/**
 * Wire formats of the mock: a scripted turn as Messages API content blocks,
 * as an SSE event sequence (every event with its `event:` line, or the CLI
 * silently falls back to a non-streaming request), as a plain Message object,
 * and Anthropic-shaped error bodies.
 */
import { errorTypeFor, type MockError, type MockTurn } from "./scenario";

export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** Small fake numbers: the CLI prices them at real rates into total_cost_usd. */
export const DEFAULT_USAGE = { input_tokens: 12, output_tokens: 6 };

let idCounter = 0;
function nextId(prefix: string): string {
  idCounter += 1;
  return `${prefix}_mock${Date.now().toString(36)}${idCounter.toString(36).padStart(6, "0")}`;
}

export function contentBlocksOf(turn: MockTurn): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (turn.text) blocks.push({ type: "text", text: turn.text });
  const tools = [...(turn.tool_use ? [turn.tool_use] : []), ...(turn.tool_uses ?? [])];
  for (const tool of tools) {
    blocks.push({ type: "tool_use", id: tool.id ?? nextId("toolu"), name: tool.name, input: tool.input });
  }
  // An empty assistant message makes the CLI ask again ("please continue"), so never send one.
  if (blocks.length === 0) blocks.push({ type: "text", text: "ok" });
  return blocks;
}

function stopReasonOf(blocks: ContentBlock[]): "tool_use" | "end_turn" {
  return blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
}

function usageOf(turn: MockTurn) {
  return {
    input_tokens: turn.usage?.input_tokens ?? DEFAULT_USAGE.input_tokens,
    output_tokens: turn.usage?.output_tokens ?? DEFAULT_USAGE.output_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

export function messageObject(turn: MockTurn, model: string, blocks = contentBlocksOf(turn)) {
  return {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model,
    content: blocks,
    stop_reason: stopReasonOf(blocks),
    stop_sequence: null,
    usage: usageOf(turn),
  };
}

export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function messageStartEvent(turn: MockTurn, model: string): string {
  const usage = { ...usageOf(turn), output_tokens: 1 };
  const message = {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  };
  return sseEvent("message_start", { type: "message_start", message });
}

/** Splits a string in two so the CLI really has to concatenate deltas. */
function halves(text: string): string[] {
  if (text.length < 2) return [text];
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

/** The whole event sequence of one streamed turn, message_start included. */
export function sseEventsOf(turn: MockTurn, model: string): string[] {
  const blocks = contentBlocksOf(turn);
  const events = [messageStartEvent(turn, model), sseEvent("ping", { type: "ping" })];
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      events.push(
        sseEvent("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "text", text: "" },
        }),
      );
      for (const part of halves(block.text)) {
        events.push(
          sseEvent("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "text_delta", text: part },
          }),
        );
      }
    } else {
      const start = { type: "tool_use", id: block.id, name: block.name, input: {} };
      events.push(sseEvent("content_block_start", { type: "content_block_start", index, content_block: start }));
      for (const part of halves(JSON.stringify(block.input))) {
        const delta = { type: "input_json_delta", partial_json: part };
        events.push(sseEvent("content_block_delta", { type: "content_block_delta", index, delta }));
      }
    }
    events.push(sseEvent("content_block_stop", { type: "content_block_stop", index }));
  });
  const usage = { output_tokens: usageOf(turn).output_tokens };
  const delta = { stop_reason: stopReasonOf(blocks), stop_sequence: null };
  events.push(sseEvent("message_delta", { type: "message_delta", delta, usage }));
  events.push(sseEvent("message_stop", { type: "message_stop" }));
  return events;
}

export function errorResponse(error: MockError): Response {
  const body = {
    type: "error",
    error: { type: error.type ?? errorTypeFor(error.status), message: error.message ?? `mock error ${error.status}` },
  };
  return Response.json(body, { status: error.status, headers: error.headers ?? {} });
}
