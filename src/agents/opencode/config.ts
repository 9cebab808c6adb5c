/** `agents.opencode` in nax/config.json. opencode reports each step's cost itself: no price table. */
import { z } from "zod";
import { commandSchema, extraArgsSchema, modelsSchema } from "../config-parts";

export const OpencodeConfigSchema = z.strictObject({
  command: commandSchema("opencode CLI", "opencode"),
  extraArgs: extraArgsSchema("opencode run"),
  models: modelsSchema("opencode (provider/model)", {
    fast: "anthropic/claude-haiku-4-5",
    balanced: "anthropic/claude-sonnet-4-5",
    powerful: "anthropic/claude-opus-4-1",
  }),
});
export type OpencodeConfig = z.infer<typeof OpencodeConfigSchema>;
