import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigSchema } from "../../../src/config/schema";
import { PrdSchema } from "../../../src/prd/schema";
import { jsonSchemaOf } from "../../../src/state/json-schema";
import { SAMPLE_PAYLOADS } from "../../helpers/event-samples";
import { checkJsonSchema } from "../../helpers/json-schema-check";

const ROOT = join(import.meta.dir, "../../..");
const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), "utf8"));

describe("the generated JSON Schemas", () => {
  test("the prd schema accepts the bundled example's prd.json and rejects a story whose attempts is a string", async () => {
    const schema = jsonSchemaOf("prd");
    const prd = await readJson("examples/demo/prd.json");
    expect(checkJsonSchema(schema, prd)).toEqual([]);
    const wrong = structuredClone(prd);
    wrong.userStories[0].attempts = "two";
    expect(checkJsonSchema(schema, wrong)).toEqual(["$.userStories[0].attempts: expected integer, got string"]);
    // The JSON Schema and the loader agree on both files.
    expect(PrdSchema.safeParse(prd).success).toBe(true);
    expect(PrdSchema.safeParse(wrong).success).toBe(false);
  });

  test("the config schema accepts nax's own config.json, a $schema pointer and an empty file, and rejects a wrong type and an unknown key", async () => {
    const schema = jsonSchemaOf("config");
    const config = await readJson("nax/config.json");
    expect(checkJsonSchema(schema, config)).toEqual([]);
    expect(checkJsonSchema(schema, {})).toEqual([]);
    expect(checkJsonSchema(schema, { $schema: "./schemas/config.schema.json", ...config })).toEqual([]);
    expect(checkJsonSchema(schema, { execution: { maxIterations: "ten" } })).toEqual([
      "$.execution.maxIterations: expected integer, got string",
    ]);
    expect(checkJsonSchema(schema, { execution: { maxIteration: 3 } })).toEqual([
      "$.execution.maxIteration: not allowed",
    ]);
    expect(ConfigSchema.safeParse({ $schema: "x", ...config }).success).toBe(true);
  });

  test("the events schema is one envelope per event, and accepts every sample event and rejects a wrong payload", () => {
    const schema = jsonSchemaOf("events");
    const options = schema.oneOf as { title: string; properties: Record<string, unknown>; required: string[] }[];
    expect(options.map((o) => o.title).sort()).toEqual(Object.keys(SAMPLE_PAYLOADS).sort());
    for (const option of options) {
      expect(option.required).toEqual(
        expect.arrayContaining(["v", "type", "runId", "seq", "at", "level", "message", "data"]),
      );
    }
    const envelope = (type: string, data: unknown) => ({
      v: 1,
      type,
      runId: "run-1",
      seq: 1,
      at: "2026-03-07T06:00:00.000Z",
      level: "info",
      message: "m",
      data,
    });
    for (const [type, data] of Object.entries(SAMPLE_PAYLOADS)) {
      expect({ type, errors: checkJsonSchema(schema, envelope(type, data)) }).toEqual({ type, errors: [] });
    }
    const wrongStage = envelope("stage:started", { storyId: "US-001", stage: "Deploy Now!" });
    expect(checkJsonSchema(schema, wrongStage)).toEqual(["$: 0 of the oneOf options match"]);
    expect(checkJsonSchema(schema, envelope("story:exploded", {}))).toEqual(["$: 0 of the oneOf options match"]);
  });
});
