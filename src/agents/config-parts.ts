/**
 * The pieces every adapter's config schema shares (`agents.<name>` in
 * nax/config.json): the executable, extra arguments, the adapter's own
 * tier → model map, and, for CLIs that report tokens but no cost, the price
 * table the estimate is made with. Only zod here: config/schema.ts builds the
 * `agents` record from the adapters' schemas.
 */
import { z } from "zod";

export const commandSchema = (cli: string, fallback: string) =>
  z.string().min(1).default(fallback).describe(`the ${cli} executable`);

export const extraArgsSchema = (cli: string) =>
  z.array(z.string()).default([]).describe(`extra arguments for every ${cli} session`);

export const modelsSchema = (cli: string, defaults: Record<string, string>) =>
  z
    .record(z.string(), z.string().min(1))
    .default(defaults)
    .describe(`tier → model for ${cli} (used when models.<tier> names no model for this agent)`);

const PriceSchema = z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) });
export type Price = z.infer<typeof PriceSchema>;

export const pricingSchema = (cli: string, defaults: Record<string, Price>) =>
  z
    .record(z.string(), PriceSchema)
    .default(defaults)
    .describe(
      `USD per million input and output tokens by ${cli} model: its cost is estimated from the tokens it reports`,
    );

/** Tokens × the model's price; undefined when the table has no price for the model. */
export function estimateCost(
  pricing: Readonly<Record<string, Price>>,
  model: string,
  tokens: { inputTokens: number; outputTokens: number },
): number | undefined {
  const price = Object.hasOwn(pricing, model) ? pricing[model] : undefined;
  if (!price) return undefined;
  return (tokens.inputTokens * price.inputPerMTok + tokens.outputTokens * price.outputPerMTok) / 1_000_000;
}

/** The refusal of a session whose cost could not count against the cost limit. */
export function unpricedReason(agent: string, model: string): string {
  return (
    `${agent} reports tokens but no cost, and agents.${agent}.pricing has no price for model "${model}", ` +
    `so its cost could not count against execution.costLimit; add agents.${agent}.pricing["${model}"]`
  );
}
