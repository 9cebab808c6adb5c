/**
 * The REAL codex, opencode and gemini CLIs (devDependencies), each driving
 * one story from prompt to commit through nax against a loopback mock of
 * its model API: the OpenAI Responses API for codex, the Anthropic Messages
 * API (test/helpers/mock-anthropic) for opencode, the Gemini API for gemini.
 * Each runs in a user + network namespace with only loopback
 * (`unshare -rn`), the mock inside it too (real-agents/one-story.ts), so no
 * CLI can reach the real network whatever it tries. Where the machine cannot
 * make such a namespace the tests are skipped, saying so. Each costs one CLI
 * start or two: seconds, minutes for opencode on a busy machine.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const PATH = [join(ROOT, "node_modules/.bin"), dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(
  ":",
);

function canIsolateNetwork(): boolean {
  const probe = spawnSync("unshare", ["-rn", "sh", "-c", "ip link set lo up"], { encoding: "utf8" });
  return probe.status === 0;
}
const isolated = canIsolateNetwork();
if (!isolated)
  console.warn("real-agents e2e skipped: `unshare -rn` (a network namespace with only loopback) is not available here");

interface Summary {
  code: number;
  status: string;
  commits: string[];
  hello: string | null;
  requests: number;
  out: string;
  err: string;
}

function oneStory(cli: string): Summary {
  const script = join(import.meta.dir, "real-agents/one-story.ts");
  const run = spawnSync("unshare", ["-rn", "sh", "-c", `ip link set lo up && exec bun "${script}" ${cli}`], {
    encoding: "utf8",
    env: { PATH, HOME: process.env.HOME ?? "/tmp", TMPDIR: process.env.TMPDIR ?? "/tmp" },
    timeout: 280_000,
  });
  const line = (run.stdout ?? "").trim().split("\n").pop() ?? "";
  if (!line.startsWith("{"))
    throw new Error(`one-story ${cli} printed no summary (status ${run.status}): ${run.stderr}`);
  return JSON.parse(line) as Summary;
}

describe.skipIf(!isolated)("real agent CLIs against loopback mocks of their APIs", () => {
  for (const cli of ["codex", "gemini", "opencode"]) {
    // opencode-ai is not a devDependency: its platform binaries are missing from this machine's registry,
    // so `npm ci` could not install it; the test runs wherever opencode is on PATH.
    const installed = Bun.which(cli, { PATH }) !== null;
    if (!installed) console.warn(`real-agents e2e: ${cli} is not installed; its one-story test is skipped`);
    test.skipIf(!installed)(
      `${cli}: one story goes from prompt to commit`,
      () => {
        const summary = oneStory(cli);
        expect({ code: summary.code, err: summary.err }).toEqual({ code: 0, err: "" });
        expect(summary.status).toBe("passed");
        expect(summary.commits).toEqual(["feat(US-001): Write hello.txt", "initial"]);
        expect(summary.hello).toBe("hello\n");
        expect(summary.requests).toBeGreaterThan(0);
        // codex and gemini report tokens, not dollars: the summary says the cost is an estimate.
        if (cli !== "opencode") expect(summary.out).toContain("estimated from tokens");
      },
      300_000,
    );
  }
});
