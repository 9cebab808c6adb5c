/**
 * The numbered "what to do" list at the end of `nax diagnose`: the run-level
 * action first (it decides whether anything else matters yet), then one line
 * per distinct fix, then how to resume. Pure.
 */
import type { Finding, RunDiagnosis } from "./schema";

export function recommend(feature: string, run: RunDiagnosis, findings: readonly Finding[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (line: string) => {
    if (seen.has(line)) return;
    seen.add(line);
    out.push(line);
  };
  switch (run.state) {
    case "not-started":
      add(`start the feature with \`nax run -f ${feature}\``);
      break;
    case "running":
      add(`the run is in progress: follow it with \`nax logs -f ${feature} --follow\``);
      break;
    case "completed":
      if (findings.length === 0) add("nothing to do: every story passed");
      break;
    default:
      break;
  }
  for (const finding of findings) {
    const subject = finding.storyId ? `${finding.storyId}: ` : "";
    add(`${subject}${finding.fix}`);
  }
  const stuck = findings.filter((f) => f.storyStatus === "failed" || f.storyStatus === "paused");
  if (stuck.length > 0 && run.state !== "running") {
    const ids = stuck.map((f) => f.storyId).join(", ");
    const resets = stuck.map((f) => `\`nax story reset ${f.storyId} -f ${feature}\``).join(", ");
    add(`once fixed, set ${ids} back to pending (${resets}) and rerun \`nax run -f ${feature}\``);
  } else if ((run.state === "failed" || run.state === "stalled") && findings.length === 0) {
    add(`rerun \`nax run -f ${feature}\`${run.exitReason ? ` (it stopped: ${run.exitReason})` : ""}`);
  }
  return out;
}
