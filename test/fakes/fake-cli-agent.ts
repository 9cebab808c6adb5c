/**
 * A test double of the codex, opencode and gemini CLIs (run through
 * `test/fakes/bin/<cli>`; which one is told by the executable's name). It
 * honours each real CLI's headless contract as the adapters use it: the
 * subcommand and the flags that make it headless and machine-readable
 * (refusing a session without them, like the real CLI would print prose),
 * the prompt on stdin, `--version`, the login status command, and the JSON
 * lines and exit codes of fake-cli-formats.ts. What a session does is
 * scripted (fake-cli-script.ts). SIGINT ends it with exit 130.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { pickSession } from "./fake-claude-session";
import { errorDefaults, formatFor, type ToolKind } from "./fake-cli-formats";
import type { FakeCliName, FakeCliSession } from "./fake-cli-script";

const VERSIONS: Record<FakeCliName, string> = {
  codex: "codex-cli 0.171.0-fake",
  opencode: "1.18.33-fake",
  gemini: "0.61.0-fake",
};

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function write(text: string): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(text)) done();
    else process.stdout.once("drain", () => done());
  });
}

function flag(argv: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) if (names.includes(argv[i] as string)) return argv[i + 1];
  return undefined;
}

/** Checks the headless flags; returns the model and the prompt argument (if any). */
function headless(cli: FakeCliName, argv: string[]): { model: string; promptArg?: string } {
  if (cli === "codex") {
    if (argv[0] !== "exec") fail("fake codex: only `codex exec` is supported by this test double");
    if (!argv.includes("--json")) fail("fake codex: the adapter must pass --json");
    const sandboxed = flag(argv, "--sandbox", "-s") !== undefined;
    if (!sandboxed && !argv.includes("--dangerously-bypass-approvals-and-sandbox")) fail("fake codex: no sandbox flag");
    if (argv[argv.length - 1] !== "-") fail("fake codex: the prompt must come from stdin (`-`)");
    return { model: flag(argv, "--model", "-m") ?? "gpt-5.1-codex" };
  }
  if (cli === "opencode") {
    if (argv[0] !== "run") fail("fake opencode: only `opencode run` is supported by this test double");
    if (flag(argv, "--format") !== "json") fail("fake opencode: the adapter must pass --format json");
    return { model: flag(argv, "--model", "-m") ?? "anthropic/claude-sonnet-4-5" };
  }
  if (flag(argv, "--output-format", "-o") !== "stream-json")
    fail("fake gemini: the adapter must pass --output-format stream-json");
  const promptArg = flag(argv, "--prompt", "-p");
  if (promptArg === undefined) fail("fake gemini: without -p the real CLI starts its interactive UI");
  return { model: flag(argv, "--model", "-m") ?? "gemini-2.5-pro", promptArg };
}

async function statusCommand(cli: FakeCliName, argv: string[]): Promise<boolean> {
  const loggedOut = process.env.NAX_FAKE_AGENT_LOGGED_OUT === "1";
  if (cli === "codex" && argv[0] === "login" && argv[1] === "status") {
    if (loggedOut) fail("Not logged in", 1);
    process.stderr.write("Logged in using an API key - sk-fake***\n");
    process.exit(0);
  }
  if (cli === "opencode" && argv[0] === "auth" && argv[1] === "list") {
    await write(`┌  Credentials ~/.local/share/opencode/auth.json\n│\n└  ${loggedOut ? 0 : 1} credentials\n`);
    process.exit(0);
  }
  return false;
}

function runShell(command: string, cwd: string): [string, boolean] {
  const out = spawnSync("sh", ["-c", command], { cwd, env: process.env, encoding: "utf8" });
  return [`${out.stdout ?? ""}${out.stderr ?? ""}`.trim(), out.status === 0];
}

async function main(): Promise<void> {
  const parent = process.ppid;
  // Test hygiene: exit when orphaned (a test SIGKILLed nax) instead of living on.
  setInterval(() => process.ppid !== parent && process.exit(129), 250).unref();
  const cli = basename(process.argv[1] ?? "") as FakeCliName;
  const argv = process.argv.slice(2);
  if (argv.includes("--version") || argv.includes("-V") || argv.includes("-v")) {
    await write(`${VERSIONS[cli]}\n`);
    return;
  }
  if (await statusCommand(cli, argv)) return;
  const { model, promptArg } = headless(cli, argv);
  const stdin = process.stdin.isTTY ? "" : await Bun.stdin.text();
  const prompt = promptArg === undefined ? stdin : `${stdin}\n\n${promptArg}`;
  if (stdin.trim() === "") fail(`fake ${cli}: no prompt on stdin`, 1);
  const picked = pickSession(process.env.NAX_FAKE_AGENT_SCRIPT, prompt) as { label: string; session: FakeCliSession };
  if (process.env.NAX_FAKE_AGENT_LOG) {
    const entry = {
      cli,
      pid: process.pid,
      argv,
      prompt,
      cwd: process.cwd(),
      envKeys: Object.keys(process.env).sort(),
      session: picked.label,
    };
    appendFileSync(process.env.NAX_FAKE_AGENT_LOG, `${JSON.stringify(entry)}\n`);
  }
  process.on("SIGINT", () => process.exit(130));
  const format = formatFor(cli);
  const emit = async (events: Record<string, unknown>[]) => {
    for (const event of events) await write(`${JSON.stringify(event)}\n`);
  };
  await emit(format.start(`fake-${cli}-${process.pid}`, model, prompt));
  const cwd = process.cwd();
  for (const action of picked.session.actions ?? []) {
    if ("write" in action || "append" in action) {
      const spec = "write" in action ? action.write : action.append;
      const path = resolve(cwd, spec.path);
      mkdirSync(dirname(path), { recursive: true });
      if ("write" in action) writeFileSync(path, spec.content);
      else appendFileSync(path, spec.content);
      const kind: ToolKind = "write" in action ? "write" : "edit";
      await emit(format.tool(kind, path, "ok", true));
    } else if ("run" in action) {
      const [output, ok] = runShell(action.run, cwd);
      await emit(format.tool("shell", action.run, output, ok));
    } else if ("text" in action) await emit(format.text(action.text));
    else if ("sleep" in action) await Bun.sleep(action.sleep);
    else if ("hang" in action) await new Promise(() => setInterval(() => undefined, 60_000));
  }
  const result = picked.session.result ?? {};
  const end = format.end(result, errorDefaults(cli, result.status));
  await emit(end.events);
  process.exit(end.exitCode);
}

await main();
