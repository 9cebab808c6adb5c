/**
 * `codex exec`'s argv for an unattended session: JSON lines on stdout, the
 * model, the story's worktree as the root, the sandbox from the config, and
 * the prompt on stdin (`-`: argv breaks past 128 KiB). `exec` never asks for
 * approval; with the workspace-write sandbox it is told so explicitly, and
 * danger-full-access drops both sandbox and approvals for machines that are
 * a sandbox already.
 */
import type { CodexConfig } from "./config";

export interface CodexArgsInput {
  command: string;
  model: string;
  workdir: string;
  sandbox: CodexConfig["sandbox"] | "read-only";
  extraArgs?: readonly string[];
}

export function buildCodexArgs(input: CodexArgsInput): string[] {
  const argv = [input.command, "exec", "--json", "--color", "never", "--model", input.model, "--cd", input.workdir];
  if (input.sandbox === "danger-full-access") argv.push("--dangerously-bypass-approvals-and-sandbox");
  else argv.push("--sandbox", input.sandbox, "--config", 'approval_policy="never"');
  argv.push(...(input.extraArgs ?? []), "-");
  return argv;
}
