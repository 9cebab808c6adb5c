/**
 * `agents.codex` in nax/config.json. Codex reports tokens but no cost, so its
 * cost is estimated from `pricing` (USD per million tokens, OpenAI's list
 * prices when this was written; README "Agents" says how to change them).
 */
import { z } from "zod";
import { commandSchema, extraArgsSchema, modelsSchema, pricingSchema } from "../config-parts";

export const CodexConfigSchema = z.strictObject({
  command: commandSchema("Codex CLI", "codex"),
  extraArgs: extraArgsSchema("codex exec"),
  models: modelsSchema("Codex", {
    fast: "gpt-5.1-codex-mini",
    balanced: "gpt-5.1-codex",
    powerful: "gpt-5.1-codex-max",
  }),
  pricing: pricingSchema("Codex", {
    "gpt-5.1-codex-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
    "gpt-5.1-codex": { inputPerMTok: 1.25, outputPerMTok: 10 },
    "gpt-5.1-codex-max": { inputPerMTok: 1.25, outputPerMTok: 10 },
    "gpt-5-codex": { inputPerMTok: 1.25, outputPerMTok: 10 },
    "gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
  }),
  sandbox: z
    .enum(["workspace-write", "danger-full-access"])
    .default("workspace-write")
    .describe(
      "codex's sandbox: workspace-write (edits only in the story's worktree) or danger-full-access (no sandbox, for machines that are one)",
    ),
});
export type CodexConfig = z.infer<typeof CodexConfigSchema>;
