/**
 * The Claude Code CLI's argv (docs/architecture.md, "One run, from the command line down"). The prompt never goes in argv: it is
 * written to stdin, because argv breaks past 128 KiB. stream-json needs
 * --verbose, or the CLI exits 1 before doing anything.
 */
/** Claude Code's own permission modes: the shared contract knows nothing of them. */
export type ClaudePermissionMode = "bypassPermissions" | "acceptEdits";

export interface ClaudeArgsInput {
  command: string;
  model: string;
  /** Undefined: no permission flag at all (the CLI's default mode, which denies tools in -p). */
  permissionMode?: ClaudePermissionMode;
  /** A one-shot completion caps the session at this many turns. */
  maxTurns?: number;
  extraArgs?: readonly string[];
}

export function buildClaudeArgs(input: ClaudeArgsInput): string[] {
  const argv = [input.command, "-p", "--output-format", "stream-json", "--verbose", "--model", input.model];
  if (input.permissionMode === "bypassPermissions") argv.push("--dangerously-skip-permissions");
  else if (input.permissionMode === "acceptEdits") argv.push("--permission-mode", "acceptEdits");
  if (input.maxTurns !== undefined) argv.push("--max-turns", String(input.maxTurns));
  argv.push(...(input.extraArgs ?? []));
  return argv;
}
