/** `nax status` as text: the live run block (or a crash warning with its fix), the features table, one feature's stories. */
import type { FeatureRow, LiveRun, ProjectStatus, StoryRow } from "../../readers/project-status";
import { formatAge, formatClock, formatCost, formatDate, formatDuration, paintStatus } from "./format";
import type { Paint } from "./paint";
import { renderQuestions } from "./questions-view";
import { renderTable } from "./table";

function renderRunBlock(run: LiveRun, paint: Paint): string[] {
  const head = `${paint.bold(`Run ${run.runId}`)} (feature ${run.feature}): ${paintStatus(paint, run.status)}`;
  const lines = [head];
  const pid =
    run.pidAlive === null
      ? `pid ${run.pid} on ${run.hostname}`
      : `pid ${run.pid} ${run.pidAlive ? "alive" : "not running"}`;
  if (run.status === "running") {
    lines.push(`  ${pid}`);
    // One line per lane at work; a sequential run's one lane reads as before.
    const atWork = run.lanes.length > 0 ? run.lanes : run.current ? [run.current] : [];
    for (const c of atWork) {
      const lane = atWork.length > 1 && c.lane !== undefined ? `lane ${c.lane}: ` : "";
      const waits = c.questionId ? ` on question ${c.questionId}` : "";
      const on = c.agent ? ` on ${c.agent}${c.model ? ` ${c.model}` : ""}` : "";
      lines.push(
        `  ${lane}story ${c.storyId} "${c.title}": ${c.phase}${waits} (tier ${c.tier}${on}, attempt ${c.attempt})`,
      );
    }
    lines.push(...renderQuestions(run.questions, paint));
    lines.push(`  stories ${run.passed}/${run.total} passed`);
    const routing = run.routingCost
      ? ` (routing ${formatCost(run.routingCost.usd)}, ${run.routingCost.source.replaceAll("-", " ")})`
      : "";
    const estimated = run.estimatedCost ? ` (${formatCost(run.estimatedCost)} of it estimated from tokens)` : "";
    lines.push(`  cost ${formatCost(run.costUsd)} of ${formatCost(run.costLimit)}${routing}${estimated}`);
    for (const w of run.agentSwitches.slice(-3)) {
      lines.push(
        paint.warn(`  agent switched for ${w.storyId} at ${formatClock(w.at)}: ${w.from} → ${w.to} (${w.reason})`),
      );
    }
    lines.push(`  elapsed ${formatDuration(run.durationMs)}, last heartbeat ${formatAge(run.heartbeatAgeMs)}`);
    if (run.rateLimit) {
      const r = run.rateLimit;
      lines.push(
        paint.warn(
          `  rate limited: waiting ${formatDuration(r.waitMs)} (until ${formatClock(r.waitingUntil)}): ${r.reason}`,
        ),
      );
    }
    return lines;
  }
  if (run.status === "crashed" && run.signal) {
    // A signal is the user's own stop (Ctrl-C), not a fault: no WARNING.
    const during = run.currentStoryId ? ` while working on ${run.currentStoryId}` : "";
    lines[0] = `${paint.bold(`Run ${run.runId}`)} (feature ${run.feature}): ${run.exitReason ?? "interrupted"}${during}`;
  } else if (run.status === "crashed") {
    const during = run.currentStoryId ? ` while working on ${run.currentStoryId}` : "";
    lines[0] = paint.error(`WARNING: run ${run.runId} (feature ${run.feature}) crashed${during}`);
    const reason = run.exitReason ?? "the run stopped without finishing";
    lines.push(`  ${reason.includes(String(run.pid)) ? reason : `${reason}; ${pid}`}`);
  } else if (run.exitReason) {
    lines.push(`  ${run.exitReason}`);
  }
  lines.push(
    `  stories ${run.passed}/${run.total} passed, ${formatCost(run.costUsd)}, ${formatDuration(run.durationMs)}, started ${formatDate(run.startedAt)}`,
  );
  lines.push(...switchLines(run, paint));
  return lines;
}

/** The run's latest agent switches (`autoMode.fallback`), one line each. */
function switchLines(run: LiveRun, paint: Paint): string[] {
  return run.agentSwitches
    .slice(-3)
    .map((w) =>
      paint.warn(`  agent switched for ${w.storyId} at ${formatClock(w.at)}: ${w.from} → ${w.to} (${w.reason})`),
    );
}

function featureCells(row: FeatureRow, paint: Paint): string[] {
  const c = row.counts;
  const last = row.lastRun;
  // A signal-stopped run is "crashed" in the files but was the user's own stop.
  const status = last ? paintStatus(paint, last.signal ? "interrupted" : last.status) : paint.dim("not run");
  if (!c)
    return [
      row.feature,
      "-",
      "-",
      "-",
      "-",
      last ? formatDate(last.startedAt) : "-",
      "-",
      paint.error("invalid prd.json"),
    ];
  return [
    row.feature,
    `${c.passed + c.skipped}/${c.total}${c.unverified ? ` (${c.unverified} unverified)` : ""}`,
    String(c.failed),
    String(c.pending),
    String(c.paused + c.blocked),
    last ? formatDate(last.startedAt) : "-",
    last ? formatCost(last.costUsd) : "-",
    status,
  ];
}

const FEATURE_COLUMNS = [
  { header: "FEATURE" },
  { header: "DONE", align: "right" as const },
  { header: "FAILED", align: "right" as const },
  { header: "PENDING", align: "right" as const },
  { header: "PAUSED/BLOCKED", align: "right" as const },
  { header: "LAST RUN" },
  { header: "COST", align: "right" as const },
  { header: "STATUS" },
];

const STORY_COLUMNS = [
  { header: "ID" },
  { header: "STATUS" },
  { header: "TIER" },
  { header: "STRATEGY" },
  { header: "ATTEMPTS", align: "right" as const },
  { header: "TITLE" },
];

/** The title, with why a story is blocked or who set its state by hand. */
function storyTitle(s: StoryRow): string {
  if (s.blockedBy.length > 0) return `${s.title} (blocked by ${s.blockedBy.join(", ")})`;
  const d = s.decision;
  if (d && (s.status === "passed" || s.status === "skipped")) {
    return `${s.title} (${s.status} by hand: ${d.by}${d.reason ? `, "${d.reason}"` : ""})`;
  }
  return s.title;
}

export function renderProjectStatus(report: ProjectStatus, paint: Paint): string[] {
  const lines: string[] = [];
  if (report.run) lines.push(...renderRunBlock(report.run, paint));
  else lines.push(paint.dim("No run yet in this project."));
  for (const fix of report.fixes) lines.push(paint.warn(`  fix: ${fix}`));
  lines.push("");
  if (report.features.length === 0) {
    lines.push("No features yet: create one with `nax features create <name>`.");
  } else {
    lines.push(
      ...renderTable(
        FEATURE_COLUMNS,
        report.features.map((f) => featureCells(f, paint)),
        paint.bold,
      ),
    );
    for (const f of report.features) if (f.error) lines.push(paint.error(`${f.feature}: ${f.error}`));
  }
  const detail = report.feature;
  if (detail) {
    lines.push("", paint.bold(`Stories of ${detail.name}`));
    if (detail.error) lines.push(paint.error(detail.error));
    const rows = detail.stories.map((s) => [
      s.id,
      s.verified ? paintStatus(paint, s.status) : `${paintStatus(paint, s.status)} ${paint.warn("(unverified)")}`,
      s.tier ?? "-",
      s.strategy ?? "-",
      String(s.attempts),
      storyTitle(s),
    ]);
    if (rows.length > 0) lines.push(...renderTable(STORY_COLUMNS, rows, paint.bold));
    const last = report.features.find((f) => f.feature === detail.name)?.lastRun;
    lines.push(
      "",
      last
        ? `Last run ${last.runId}: ${paintStatus(paint, last.signal ? "interrupted" : last.status)}${last.exitReason ? ` (${last.exitReason})` : ""}, ${last.passed}/${last.total} passed, ${formatCost(last.costUsd)}, ${formatDuration(last.durationMs)}`
        : paint.dim(`${detail.name} has not run yet: \`nax run -f ${detail.name}\``),
    );
  }
  return lines;
}
