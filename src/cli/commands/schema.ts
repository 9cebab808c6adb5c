/**
 * `nax schema prd|config|events|job|worker-result`: the JSON Schema of
 * prd.json, config.json, the event envelope or `nax worker`'s job and result, generated from the zod schemas nax parses with, on
 * stdout (`nax schema prd > nax/schemas/prd.schema.json` refreshes the copy
 * `nax init` wrote).
 */
import { NaxError } from "../../errors";
import { jsonSchemaText, SCHEMA_KINDS, type SchemaKind } from "../../state/json-schema";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

function isSchemaKind(value: string): value is SchemaKind {
  return SCHEMA_KINDS.some((kind) => kind === value);
}

export function schemaCommand(io: CliIo, kind: string): number {
  if (!isSchemaKind(kind)) {
    throw new NaxError("USAGE", `nax schema: "${kind}" is not a schema; use one of ${SCHEMA_KINDS.join(", ")}`);
  }
  io.out(jsonSchemaText(kind).trimEnd());
  return 0;
}

export const registerSchema: RegisterCommand = (program, ctx) => {
  program
    .command("schema")
    .description(
      "print the JSON Schema of prd.json, config.json, the event envelope, or nax worker's job and result (prd | config | events | job | worker-result)",
    )
    .argument("<kind>", SCHEMA_KINDS.join(" | "))
    .action((kind: string) => {
      ctx.setExit(schemaCommand(ctx.io, kind));
    });
};
