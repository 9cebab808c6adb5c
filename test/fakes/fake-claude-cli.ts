/**
 * Argv parsing of the fake Claude CLI, with the real CLI's messages for the
 * errors nax can hit (measured against 2.1.197): unknown option, bad choice,
 * missing argument. Pure: the fake decides what to do with the result.
 */

export interface FakeClaudeArgs {
  print: boolean;
  version: boolean;
  outputFormat: "text" | "json" | "stream-json";
  verbose: boolean;
  model: string | null;
  skipPermissions: boolean;
  permissionMode: string | null;
  maxTurns: number | null;
  prompt: string | null;
}

const FORMATS = ["text", "json", "stream-json"];
const PERMISSION_MODES = ["acceptEdits", "auto", "bypassPermissions", "default", "dontAsk", "plan"];
const FLAGS = new Set([
  "--verbose",
  "--dangerously-skip-permissions",
  "--no-session-persistence",
  "--include-partial-messages",
  "--bare",
  "--debug",
]);
/** Options taking one value, with the placeholder the real CLI names in its errors. */
const VALUED: Record<string, string> = {
  "--output-format": "<format>",
  "--model": "<model>",
  "--permission-mode": "<mode>",
  "--max-turns": "<turns>",
  "--session-id": "<uuid>",
  "--resume": "<sessionId>",
  "-r": "<sessionId>",
  "--append-system-prompt": "<prompt>",
  "--system-prompt": "<prompt>",
  "--fallback-model": "<model>",
  "--max-budget-usd": "<amount>",
};
/** Options taking one or more values up to the next option. */
const VARIADIC = new Set([
  "--allowedTools",
  "--allowed-tools",
  "--disallowedTools",
  "--disallowed-tools",
  "--tools",
  "--add-dir",
]);

export function parseFakeClaudeArgs(argv: string[]): FakeClaudeArgs | { error: string } {
  const args: FakeClaudeArgs = {
    print: false,
    version: false,
    outputFormat: "text",
    verbose: false,
    model: null,
    skipPermissions: false,
    permissionMode: null,
    maxTurns: null,
    prompt: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-p" || arg === "--print") args.print = true;
    else if (arg === "-v" || arg === "--version") args.version = true;
    else if (FLAGS.has(arg)) {
      if (arg === "--verbose") args.verbose = true;
      if (arg === "--dangerously-skip-permissions") args.skipPermissions = true;
    } else if (arg in VALUED) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("-"))
        return { error: `error: option '${arg} ${VALUED[arg]}' argument missing` };
      i++;
      if (arg === "--output-format") {
        if (!FORMATS.includes(value)) return invalidChoice(arg, value, FORMATS);
        args.outputFormat = value as FakeClaudeArgs["outputFormat"];
      } else if (arg === "--permission-mode") {
        if (!PERMISSION_MODES.includes(value)) return invalidChoice(arg, value, PERMISSION_MODES);
        args.permissionMode = value;
      } else if (arg === "--model") args.model = value;
      else if (arg === "--max-turns") args.maxTurns = Number(value);
    } else if (VARIADIC.has(arg)) {
      while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith("-")) i++;
    } else if (arg.startsWith("-")) {
      return { error: `error: unknown option '${arg}'` };
    } else {
      args.prompt = arg;
    }
  }
  return args;
}

function invalidChoice(option: string, value: string, choices: string[]): { error: string } {
  return {
    error: `error: option '${option} ${VALUED[option]}' argument '${value}' is invalid. Allowed choices are ${choices.join(", ")}.`,
  };
}
