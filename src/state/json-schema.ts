/**
 * JSON Schema documents generated from the zod schemas nax itself parses
 * with (`nax schema prd|config|events|job|worker-result`), so an editor checks prd.json and
 * config.json by the same rules as the loader, and hook or `--json` consumers
 * know every event's shape; `nax worker`'s job and result (docs/worker.md) too. `nax init` writes the config and PRD schemas to
 * `nax/schemas/`, and the files it creates point there with `$schema`
 * (a relative path, so it works offline and in any clone).
 */
import { z } from "zod";
import { ConfigSchema } from "../config/schema";
import { EVENT_ENVELOPE_VERSION, EventEnvelopeSchema } from "../events/envelope";
import { PrdSchema } from "../prd/schema";
import { WORKER_JOB_VERSION, WorkerJobSchema } from "../worker/job";
import { WORKER_RESULT_VERSION, WorkerResultSchema } from "../worker/result";

export const SCHEMA_KINDS = ["prd", "config", "events", "job", "worker-result"] as const;
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
  job: {
    title: `nax worker job v${WORKER_JOB_VERSION}`,
    description:
      "The input of `nax worker`: one story at one base commit, with the config, budget, deadline and push target (docs/worker.md).",
  },
  "worker-result": {
    title: `nax worker result v${WORKER_RESULT_VERSION}`,
    description:
      "The last line `nax worker` writes to stdout: the branch pushed, the verification evidence, cost and terminal reason (docs/worker.md).",
  },
};

/** Each kind's schema, and whether it is checked as input a person writes (defaults make keys optional) or as nax writes it. */
const SCHEMAS: Record<SchemaKind, { schema: z.ZodType; io: "input" | "output" }> = {
  prd: { schema: PrdSchema, io: "input" },
  config: { schema: ConfigSchema, io: "input" },
  events: { schema: EventEnvelopeSchema, io: "output" },
  job: { schema: WorkerJobSchema, io: "input" },
  "worker-result": { schema: WorkerResultSchema, io: "output" },
};

export function jsonSchemaOf(kind: SchemaKind): Record<string, unknown> {
  const { schema, io } = SCHEMAS[kind];
  const generated = z.toJSONSchema(schema, { io });
  const { $schema, ...rest } = generated;
  return { $schema, ...TITLES[kind], ...rest };
}

export function jsonSchemaText(kind: SchemaKind): string {
  return `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`;
}
