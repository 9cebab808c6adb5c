/**
 * Which scripted session the fake Claude CLI plays for a prompt. Counters
 * persist in `<script>.state.json` beside the script so that successive (and
 * concurrent) invocations advance; a lock file serialises the read-modify-write.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { FakeClaudeScript, FakeClaudeSession } from "./fake-claude-script";

interface State {
  played: Record<string, number>;
}

const LOCK_WAIT_MS = 5000;
const STALE_LOCK_MS = 10_000;

export function matchesPrompt(match: string | undefined, prompt: string): boolean {
  if (match === undefined) return true;
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(match);
  if (regex) return new RegExp(regex[1] as string, regex[2]).test(prompt);
  return prompt.includes(match);
}

function withLock<T>(lockPath: string, work: () => T): T {
  const until = Date.now() + LOCK_WAIT_MS;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lockPath, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lockPath, { force: true });
      else if (Date.now() > until) throw new Error(`fake claude: script lock ${lockPath} held for ${LOCK_WAIT_MS} ms`);
      // A sibling invocation holds the lock for a few microseconds: wait a moment for it.
      else Bun.sleepSync(2);
    }
  }
  try {
    return work();
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}

function readState(path: string): State {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as State;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { played: {} };
    throw error;
  }
}

export interface PickedSession {
  label: string;
  session: FakeClaudeSession;
}

/** Picks (and counts) the first session whose match fits and whose `times` are not used up. */
export function pickSession(scriptPath: string | undefined, prompt: string): PickedSession {
  if (!scriptPath) return { label: "builtin", session: {} };
  const script = JSON.parse(readFileSync(scriptPath, "utf8")) as FakeClaudeScript;
  const statePath = `${scriptPath}.state.json`;
  return withLock(`${scriptPath}.lock`, () => {
    const state = readState(statePath);
    const sessions = script.sessions ?? [];
    for (let index = 0; index < sessions.length; index++) {
      const session = sessions[index] as FakeClaudeSession;
      const key = String(index);
      const played = state.played[key] ?? 0;
      if (!matchesPrompt(session.match, prompt)) continue;
      if (session.times !== undefined && played >= session.times) continue;
      state.played[key] = played + 1;
      writeFileSync(statePath, JSON.stringify(state));
      return { label: session.name ?? `sessions[${index}]`, session };
    }
    if (script.default) return { label: script.default.name ?? "default", session: script.default };
    return { label: "builtin", session: {} };
  });
}
