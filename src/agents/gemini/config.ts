/**
 * `agents.gemini` in nax/config.json. Gemini CLI reports tokens but no cost,
 * so its cost is estimated from `pricing` (USD per million tokens, Google's
 * list prices when this was written; README "Agents").
 */
import { z } from "zod";
import { commandSchema, extraArgsSchema, modelsSchema, pricingSchema } from "../config-parts";

export const GeminiConfigSchema = z.strictObject({
  command: commandSchema("Gemini CLI", "gemini"),
  extraArgs: extraArgsSchema("gemini"),
  models: modelsSchema("Gemini CLI", {
    fast: "gemini-2.5-flash",
    balanced: "gemini-2.5-pro",
    powerful: "gemini-2.5-pro",
  }),
  pricing: pricingSchema("Gemini CLI", {
    "gemini-2.5-flash-lite": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    "gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
    "gemini-2.5-pro": { inputPerMTok: 1.25, outputPerMTok: 10 },
  }),
  approvalMode: z
    .enum(["yolo", "auto_edit"])
    .default("yolo")
    .describe("gemini's --approval-mode: yolo (every tool) or auto_edit (edits only; shell commands are refused)"),
});
export type GeminiConfig = z.infer<typeof GeminiConfigSchema>;
