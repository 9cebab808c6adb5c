import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ClaudeStreamEvent,
  emptyStreamSummary,
  parseStreamLine,
  progressOf,
  reduceStream,
  streamUsage,
} from "../../../../src/agents/claude/stream-parser";

function fixture(name: string): string[] {
  return readFileSync(join(import.meta.dir, "fixtures", name), "utf8").split("\n");
}

function summarise(lines: string[]) {
  const events: ClaudeStreamEvent[] = lines.flatMap(parseStreamLine);
  return { events, summary: events.reduce(reduceStream, emptyStreamSummary()) };
}

describe("parseStreamLine on real CLI output", () => {
  test("usage is counted per assistant message: the blocks of one message are not counted twice, nothing is estimated", () => {
    const { events, summary } = summarise(fixture("success-write.ndjson"));
    // Two messages of 12 input tokens; the CLI reports each message's output as of its start (1 token).
    expect(streamUsage(summary)).toEqual({ inputTokens: 24, outputTokens: 2 });
    const afterFirstMessage = events.slice(0, 5).reduce(reduceStream, emptyStreamSummary());
    expect(streamUsage(afterFirstMessage)).toEqual({ inputTokens: 12, outputTokens: 1 });
    expect(streamUsage(emptyStreamSummary())).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  test("a Write session yields init, text, tool use, tool result, text and the result, each assistant block with its message's usage", () => {
    const { events, summary } = summarise(fixture("success-write.ndjson"));
    expect(events.map((e) => e.kind)).toEqual([
      "init",
      "usage",
      "text",
      "usage",
      "tool-use",
      "tool-result",
      "usage",
      "text",
      "result",
    ]);
    expect(summary.model).toBe("claude-sonnet-4-5");
    expect(summary.version).toBe("2.1.197");
    expect(summary.toolUses).toBe(1);
    expect(summary.lastText).toBe("Done.");
    expect(summary.result).toMatchObject({
      subtype: "success",
      isError: false,
      apiErrorStatus: null,
      numTurns: 2,
      result: "Done.",
      totalCostUsd: 0.000252,
      inputTokens: 24,
      outputTokens: 12,
      permissionDenials: 0,
    });
    expect(summary.sessionId).toBe(summary.result?.sessionId);
  });

  test("a persistent 429 yields an api_retry with its delay and an is_error result with status 429", () => {
    const { summary } = summarise(fixture("rate-limit-429.ndjson"));
    expect(summary.retries).toBe(1);
    expect(summary.lastRetry).toEqual({
      attempt: 1,
      maxRetries: 1,
      errorStatus: 429,
      retryDelayMs: 1000,
      error: "rate_limit",
    });
    expect(summary.lastAssistantError).toBe("rate_limit");
    expect(summary.result?.isError).toBe(true);
    expect(summary.result?.subtype).toBe("success");
    expect(summary.result?.apiErrorStatus).toBe(429);
  });

  test("a max-turns result without a result field decodes to an empty text and keeps its errors", () => {
    const { summary } = summarise(fixture("max-turns.ndjson"));
    expect(summary.result?.subtype).toBe("error_max_turns");
    expect(summary.result?.result).toBe("");
    expect(summary.result?.isError).toBe(true);
    expect(summary.result?.errors).toEqual(["Reached maximum number of turns (1)"]);
    expect(summary.result?.terminalReason).toBe("max_turns");
  });
});

describe("parseStreamLine on edge cases", () => {
  test("empty lines yield nothing and non-JSON lines are counted as unparsed", () => {
    expect(parseStreamLine("")).toEqual([]);
    expect(parseStreamLine("   ")).toEqual([]);
    const { summary } = summarise(["not json", "[1,2]", '{"no":"type"}']);
    expect(summary.unparsedLines).toBe(3);
  });

  test("a result without is_error counts as an error and a missing cost stays absent", () => {
    const [event] = parseStreamLine('{"type":"result","subtype":"success","result":"ok"}');
    expect(event?.kind).toBe("result");
    if (event?.kind !== "result") return;
    expect(event.result.isError).toBe(true);
    expect(event.result.totalCostUsd).toBeUndefined();
  });

  test("cache tokens count as input and permission denials are counted", () => {
    const line = JSON.stringify({
      type: "result",
      is_error: false,
      total_cost_usd: 1.5,
      usage: { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 7 },
      permission_denials: [{ tool_name: "Bash" }, { tool_name: "Write" }],
    });
    const [event] = parseStreamLine(line);
    if (event?.kind !== "result") throw new Error("expected a result event");
    expect(event.result.inputTokens).toBe(1110);
    expect(event.result.outputTokens).toBe(7);
    expect(event.result.permissionDenials).toBe(2);
  });

  test("an assistant message with several blocks yields one event per block", () => {
    const line = JSON.stringify({
      type: "assistant",
      message: {
        content: [
          { type: "text", text: "Let me look." },
          { type: "tool_use", name: "Bash", input: { command: "ls -la\n  src" } },
          { type: "thinking", thinking: "..." },
        ],
      },
    });
    const events = parseStreamLine(line);
    expect(events).toEqual([
      { kind: "text", text: "Let me look." },
      { kind: "tool-use", name: "Bash", summary: "Bash ls -la src" },
    ]);
  });
});

describe("progressOf", () => {
  test("describes init, text, tool use and retries, and ignores the rest", () => {
    const { events } = summarise(fixture("success-write.ndjson"));
    const progress = events.map(progressOf).filter((p) => p !== undefined);
    expect(progress.map((p) => p.kind)).toEqual(["init", "text", "tool", "text"]);
    expect(progress[2]?.detail).toBe("Write /tmp/nax-scratch/repo/hello.txt");
    const retry = summarise(fixture("rate-limit-429.ndjson"))
      .events.map(progressOf)
      .find((p) => p?.kind === "retry");
    expect(retry?.detail).toBe("API retry 1/1 after 429, next in 1000 ms");
  });
});
