/** `agents.claude` in nax/config.json: the Claude Code CLI's own settings, its permission mode among them. */
import { z } from "zod";
import { commandSchema, extraArgsSchema, modelsSchema } from "../config-parts";

export const ClaudeConfigSchema = z.strictObject({
  command: commandSchema("Claude Code CLI", "claude"),
  extraArgs: extraArgsSchema("Claude CLI"),
  models: modelsSchema("Claude Code", { fast: "haiku", balanced: "sonnet", powerful: "opus" }),
  permissionMode: z
    .enum(["bypassPermissions", "acceptEdits"])
    .optional()
    .describe(
      "Claude Code's permission mode (default bypassPermissions; acceptEdits lets root run without IS_SANDBOX)",
    ),
});
export type ClaudeConfig = z.infer<typeof ClaudeConfigSchema>;
