/**
 * JSON Schema documents generated from the zod schemas nax itself parses
 * with (`nax schema prd|config|events`), so an editor checks prd.json and
 * config.json by the same rules as the loader, and hook or `--json` consumers
 * know every event's shape. `nax init` writes the config and PRD schemas to
 * `nax/schemas/`, and the files it creates point there with `$schema`
 * (a relative path, so it works offline and in any clone).
 */
import { z } from "zod";
import { ConfigSchema } from "../config/schema";
import { EVENT_ENVELOPE_VERSION, EventEnvelopeSchema } from "../events/envelope";
import { PrdSchema } from "../prd/schema";

export const SCHEMA_KINDS = ["prd", "config", "events"] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** `$schema` in `nax/config.json` (relative to the file). */
export const CONFIG_SCHEMA_POINTER = "./schemas/config.schema.json";
/** `$schema` in `nax/features/<f>/prd.json` (relative to the file). */
export const PRD_SCHEMA_POINTER = "../../schemas/prd.schema.json";

const TITLES: Record<SchemaKind, { title: string; description: string }> = {
  prd: {
    title: "nax prd.json",
    description: "A feature's user stories (nax/features/<feature>/prd.json). Unknown keys are kept.",
  },
  config: {
    title: "nax config.json",
    description: "nax's configuration (nax/config.json, ~/.nax/config.json). Unknown keys are an error.",
  },
  events: {
    title: `nax event envelope v${EVENT_ENVELOPE_VERSION}`,
    description:
      "One line of a run's event log, of `nax run --json`, of `nax logs --json`, and a hook's stdin: one object per event, `data` as the event's `type` says.",
  },
};

export function jsonSchemaOf(kind: SchemaKind): Record<string, unknown> {
  // Files a person writes are checked as input (defaults make keys optional); events as nax writes them.
  const generated =
    kind === "events"
      ? z.toJSONSchema(EventEnvelopeSchema, { io: "output" })
      : z.toJSONSchema(kind === "prd" ? PrdSchema : ConfigSchema, { io: "input" });
  const { $schema, ...rest } = generated;
  return { $schema, ...TITLES[kind], ...rest };
}

export function jsonSchemaText(kind: SchemaKind): string {
  return `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`;
}
