/**
 * How a run ends when no story can be picked, pure: everything passed or
 * skipped → completed; a story failed → failed, naming it and what could not
 * start because of it; only paused or blocked stories left → stalled.
 */
import type { RunTerminalStatus } from "../events/events";
import { readinessOf } from "../prd/readiness";
import type { Prd } from "../prd/schema";
import { isPrdComplete } from "../prd/select";

function list(ids: string[]): string {
  return ids.length <= 5 ? ids.join(", ") : `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more`;
}

export function describeEnd(prd: Prd): { status: RunTerminalStatus; exitReason?: string } {
  if (isPrdComplete(prd)) return { status: "completed" };
  const ids = (status: string) => prd.userStories.filter((s) => s.status === status).map((s) => s.id);
  const failed = ids("failed");
  const readiness = readinessOf(prd);
  const waiting = prd.userStories
    .filter((s) => (s.status === "pending" || s.status === "in-progress") && readiness.of(s) === "blocked")
    .map((s) => s.id);
  const waitingPart = waiting.length > 0 ? `; not started because a dependency cannot pass: ${list(waiting)}` : "";
  if (failed.length > 0) {
    return {
      status: "failed",
      exitReason: `${failed.length === 1 ? "story" : "stories"} ${list(failed)} failed${waitingPart}`,
    };
  }
  const held = [...ids("paused").map((id) => `${id} paused`), ...ids("blocked").map((id) => `${id} blocked`)];
  return { status: "stalled", exitReason: `no story can run: ${list(held)}${waitingPart}` };
}
