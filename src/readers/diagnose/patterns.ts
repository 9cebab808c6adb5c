/**
 * Why a story failed, paused or is blocked: one pattern per story, with the
 * evidence it was read from (the PRD's structured prior failures, the run's
 * event lines for that story) and a concrete fix. Pure. An environmental
 * cause explains everything else, so it is checked first; otherwise the
 * latest failure decides, then the shape of all failures.
 */
import type { AgentOutcome } from "../../agents/types";

import { type ReadinessIndex, readinessOf } from "../../prd/readiness";
import type { Prd, PriorFailure, UserStory } from "../../prd/schema";
import type { EventLine } from "../../state/event-line";
import type { Finding, Pattern } from "./schema";

interface Rule {
  pattern: Pattern;
  test: RegExp;
  summary: string;
  fix: string;
}

const INSTALL = "npm install -g @anthropic-ai/claude-code";

const ENVIRONMENT: Rule[] = [
  {
    pattern: "environmental",
    test: /cannot be used with root|as root|root privileges|IS_SANDBOX/i,
    summary: "the agent refused to run as root",
    fix: "run nax as a non-root user, or set IS_SANDBOX=1 when this really is a disposable sandbox",
  },
  {
    pattern: "environmental",
    test: /agent.*not (installed|found)|claude.*not (installed|found)|AGENT_NOT_FOUND/i,
    summary: "the coding agent is not installed",
    fix: `install it (\`${INSTALL}\`) and check that \`claude --version\` works`,
  },
  {
    pattern: "environmental",
    test: /command not found|not-found|spawn \S+ ENOENT|executable not found/i,
    summary: "a command the story needs is missing",
    fix: "install the missing command or correct quality.commands in nax/config.json, then rerun",
  },
  {
    pattern: "environmental",
    test: /authentication (failed|error)|\b401\b|invalid api key|not logged in|unauthori[sz]ed|\/login/i,
    summary: "the agent could not authenticate",
    fix: "log in with `claude` (or set ANTHROPIC_API_KEY) and rerun",
  },
];

const LATEST: Rule[] = [
  {
    pattern: "rate-limited",
    test: /rate.?limit|\b429\b|\b529\b|overload/i,
    summary: "the model API kept rate limiting the agent",
    fix: "wait for the limit to reset and rerun; raise execution.rateLimit.maxWaitSeconds/maxRetries to wait longer",
  },
  {
    pattern: "session-timeout",
    test: /\btime[ds]? ?out|\bstall/i,
    summary: "agent sessions timed out",
    fix: "split the story, or raise execution.sessionTimeoutSeconds / stallTimeoutSeconds in nax/config.json",
  },
  {
    pattern: "session-crash",
    test: /crash|exited with code|signal|killed|aborted/i,
    summary: "the agent session crashed",
    fix: "read the session's error with `nax logs --story <id> --level warn`; rerun once the cause is fixed",
  },
  {
    pattern: "isolation-violation",
    test: /isolation/i,
    summary: "the agent touched files outside the story's scope",
    fix: "tighten the story's contextFiles and acceptance criteria, then rerun",
  },
];

const TEST_STAGES = new Set(["verify", "rectify", "regression", "acceptance"]);

/** A failure whose verification hung: recorded as such, or (older records) told by the summary's first words. */
function timedOutVerification(f: PriorFailure): boolean {
  return f.category === "verification-timeout" || (TEST_STAGES.has(f.stage) && /^Tests timed out/.test(f.summary));
}
/** Session outcomes that are evidence of a failure (a closed set: the event schema refuses any other outcome). */
const BAD_SESSION: ReadonlySet<string> = new Set<AgentOutcome>([
  "timeout",
  "stalled",
  "error",
  "aborted",
  "rate-limited",
  "not-found",
]);

function describeFailure(f: PriorFailure, index: number): string {
  const tests = f.failingTests.length > 0 ? ` [failing: ${f.failingTests.slice(0, 5).join(", ")}]` : "";
  return `prior failure ${index + 1} (attempt ${f.attempt}, tier ${f.tier}, ${f.stage}): ${f.reason ?? f.summary}${tests}`;
}

function describeLine(line: EventLine): string {
  return `${line.at} ${line.type}: ${line.message}`;
}

/** The failing tests every test-stage failure shares, when there are at least two such failures. */
function persistentTests(failures: readonly PriorFailure[]): { tests: string[]; tiers: string[] } | undefined {
  const testFailures = failures.filter((f) => TEST_STAGES.has(f.stage) && f.failingTests.length > 0);
  if (testFailures.length < 2) return undefined;
  const [first, ...rest] = testFailures;
  const shared = (first?.failingTests ?? []).filter((t) => rest.every((f) => f.failingTests.includes(t)));
  if (shared.length === 0) return undefined;
  return { tests: shared, tiers: [...new Set(testFailures.map((f) => f.tier))] };
}

function storyTexts(story: UserStory, lines: readonly EventLine[]): { all: string[]; latest: string[] } {
  const failures = story.priorFailures ?? [];
  const fromFailures = failures.map((f) => `${f.reason ?? ""} ${f.summary}`);
  const sessions = lines.flatMap((l) =>
    l.type === "agent:session-completed" && BAD_SESSION.has(l.data.outcome) ? [l.data] : [],
  );
  const fromLines = [
    ...sessions.map((d) => `${d.outcome} ${d.error ?? ""}`),
    ...lines
      .filter((l) => l.type === "story:failed" || l.type === "story:paused" || l.level === "error")
      .map((l) => l.message),
  ];
  const lastFailed = [...lines].reverse().find((l) => l.type === "story:failed" || l.type === "story:paused");
  const latest = [lastFailed?.message, fromFailures.at(-1), fromLines.at(-1)].filter((t): t is string => Boolean(t));
  return { all: [...fromFailures, ...fromLines], latest };
}

export interface StoryDiagnosisOptions {
  verbose: boolean;
}

export function classifyStory(
  prd: Prd,
  story: UserStory,
  lines: readonly EventLine[],
  options: StoryDiagnosisOptions,
  readiness: ReadinessIndex = readinessOf(prd),
): Finding {
  const failures = story.priorFailures ?? [];
  const shown = options.verbose ? failures : failures.slice(-3);
  const evidence = shown.map((f) => describeFailure(f, failures.indexOf(f)));
  const keyLines = lines.filter((l) => l.level === "error" || l.level === "warn");
  evidence.push(...(options.verbose ? keyLines : keyLines.slice(-3)).map(describeLine));
  const found = (pattern: Pattern, summary: string, fix: string, extra: string[] = []): Finding => ({
    pattern,
    storyId: story.id,
    storyStatus: readiness.shownStatus(story),
    summary: `${story.id}: ${summary}`,
    evidence: [...extra, ...evidence],
    fix: fix.replaceAll("<id>", `${story.id} -f ${prd.feature}`),
  });

  if (readiness.shownStatus(story) === "blocked") {
    const named = readiness.blockedBy(story).map((id) => `${id} is ${readiness.story(id)?.status ?? "missing"}`);
    return found(
      "dependency-blocked",
      "blocked by a dependency that cannot pass",
      "fix the dependency first (its own finding above), or remove it from this story's dependencies",
      named.length > 0 ? [`dependencies: ${named.join(", ")}`] : [],
    );
  }
  const last = failures.at(-1);
  // The categories are the story outcome's (`no-changes`, `verification-timeout`), stored with each failure.
  if (last?.category === "no-changes") {
    return found(
      "no-changes",
      "the agent made no changes",
      `if the story is already satisfied, mark it passed with \`nax story pass ${story.id} --reason "<why>"\`; otherwise make the acceptance criteria say what must change, set it back to pending and rerun`,
    );
  }
  if (last?.category === "test-integrity") {
    // The guard's evidence is the reason's lines after the first: file, line and what was weakened.
    const findings = (last.reason ?? "").split("\n").slice(1, 6);
    return found(
      "test-integrity",
      "an attempt weakened the tests (a test-integrity guard tripped; nothing of it was merged)",
      "the tests are the contract: if a test is truly wrong, fix it yourself and commit it, then `nax story reset <id>` and rerun; otherwise rerun and the next attempt is told what was caught (turning the guard off in quality.guards lets such a change through)",
      findings,
    );
  }
  if (last && timedOutVerification(last)) {
    return found(
      "verification-timeout",
      "the test command did not finish (a verification timeout, not an agent session timeout)",
      "find the test that hangs (run the test command yourself), or raise execution.verificationTimeoutSeconds in nax/config.json; then set the story back to pending and rerun",
      [`timed out: ${last.summary.split("\n")[0]}`],
    );
  }
  const texts = storyTexts(story, lines);
  const env = ENVIRONMENT.find((r) => texts.all.some((t) => r.test.test(t)));
  if (env) return found(env.pattern, env.summary, env.fix);
  const latest = LATEST.find((r) => texts.latest.some((t) => r.test.test(t)));
  if (latest) return found(latest.pattern, latest.summary, latest.fix);
  const persistent = persistentTests(failures);
  if (persistent) {
    return found(
      "test-mismatch",
      `the same tests failed after every attempt (tiers ${persistent.tiers.join(", ")})`,
      "the tests and the story disagree: check the failing tests against the acceptance criteria, fix whichever is wrong, then `nax story reset <id> --clear-attempts` and rerun",
      [`failing every time: ${persistent.tests.join(", ")}`],
    );
  }
  if (story.status === "paused") {
    return found(
      "needs-review",
      "paused for a human decision",
      "review the story, then `nax story reset <id>` (or `nax story pass <id> --reason ...`) and rerun",
    );
  }
  if (story.status === "failed") {
    const tiers = [...new Set([...failures.map((f) => f.tier), ...(story.escalations ?? []).map((e) => e.toTier)])];
    return found(
      "tiers-exhausted",
      `failed on every tier (${tiers.join(", ") || "none recorded"}) after ${story.attempts} attempts`,
      "split the story into smaller ones or sharpen its acceptance criteria, then `nax story reset <id> --clear-attempts` and rerun",
    );
  }
  return found("unknown", "no known pattern", `read \`nax logs --story ${story.id}\` for the details`);
}

/** The stories worth a finding: failed, paused, blocked, or pending behind a dependency that cannot pass. */
export function storiesToDiagnose(prd: Prd, readiness: ReadinessIndex = readinessOf(prd)): UserStory[] {
  return prd.userStories.filter((s) => {
    const shown = readiness.shownStatus(s);
    return shown === "failed" || shown === "paused" || shown === "blocked";
  });
}
