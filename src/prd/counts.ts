/** Story counts by status: the numbers every status file and summary shows. */
import type { Prd } from "./schema";

export interface StoryCounts {
  total: number;
  passed: number;
  failed: number;
  paused: number;
  blocked: number;
  skipped: number;
  pending: number;
  /** Of `passed`, how many passed without their tests being run (trap 28); present only when some did. */
  unverified?: number;
}

export function countStories(prd: Pick<Prd, "userStories">): StoryCounts {
  const counts: StoryCounts = { total: 0, passed: 0, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 0 };
  for (const story of prd.userStories) {
    counts.total++;
    switch (story.status) {
      case "passed":
        counts.passed++;
        if (story.verified === false) counts.unverified = (counts.unverified ?? 0) + 1;
        break;
      case "failed":
        counts.failed++;
        break;
      case "paused":
        counts.paused++;
        break;
      case "blocked":
        counts.blocked++;
        break;
      case "skipped":
        counts.skipped++;
        break;
      case "pending":
      case "in-progress":
        counts.pending++;
        break;
      default: {
        const unreachable: never = story.status;
        throw new Error(`unknown story status ${String(unreachable)}`);
      }
    }
  }
  return counts;
}
