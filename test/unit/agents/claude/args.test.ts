import { describe, expect, test } from "bun:test";
import { buildClaudeArgs } from "../../../../src/agents/claude/args";

describe("buildClaudeArgs", () => {
  test("bypass mode is the documented headless invocation, with stream-json and --verbose together", () => {
    expect(buildClaudeArgs({ command: "claude", model: "sonnet", permissionMode: "bypassPermissions" })).toEqual([
      "claude",
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--model",
      "sonnet",
      "--dangerously-skip-permissions",
    ]);
  });

  test("acceptEdits uses --permission-mode instead of the bypass flag", () => {
    const argv = buildClaudeArgs({ command: "claude", model: "haiku", permissionMode: "acceptEdits" });
    expect(argv.slice(-2)).toEqual(["--permission-mode", "acceptEdits"]);
    expect(argv).not.toContain("--dangerously-skip-permissions");
  });

  test("no permission mode adds no permission flag, and max turns and extra args come last", () => {
    const argv = buildClaudeArgs({
      command: "/opt/claude",
      model: "opus",
      maxTurns: 1,
      extraArgs: ["--allowedTools", "Bash(git:*)"],
    });
    expect(argv).toEqual([
      "/opt/claude",
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--model",
      "opus",
      "--max-turns",
      "1",
      "--allowedTools",
      "Bash(git:*)",
    ]);
  });

  test("the prompt is never part of argv (it goes to stdin)", () => {
    const argv = buildClaudeArgs({ command: "claude", model: "sonnet", permissionMode: "bypassPermissions" });
    expect(argv.some((arg) => arg.includes("Task"))).toBe(false);
    expect(argv).toHaveLength(8);
  });

  test("deny rules go last, after the user's extra arguments, so nothing is read as one of them", () => {
    const argv = buildClaudeArgs({
      command: "claude",
      model: "sonnet",
      permissionMode: "bypassPermissions",
      extraArgs: ["--bare"],
      disallowedTools: ["Write(**/*.test.*)", "Edit(**/*.test.*)"],
    });
    expect(argv.slice(-4)).toEqual(["--bare", "--disallowedTools", "Write(**/*.test.*)", "Edit(**/*.test.*)"]);
    expect(buildClaudeArgs({ command: "claude", model: "sonnet", disallowedTools: [] })).not.toContain(
      "--disallowedTools",
    );
  });
});
