/**
 * Cross-story checks zod cannot express: unique ids, dependencies that exist,
 * no dependency cycle (trap 23, docs/traps.md), one criterion id per acceptance
 * criterion (prd/criteria.ts). Returns `path: message` problems.
 */
import { findCriterionIdProblems } from "./criteria";
import type { Prd } from "./schema";

export function findPrdProblems(prd: Prd): string[] {
  const problems: string[] = [];
  const ids = new Map<string, number>();
  prd.userStories.forEach((story, index) => {
    const first = ids.get(story.id);
    if (first !== undefined) {
      problems.push(
        `userStories[${index}].id: duplicate story id "${story.id}" (also userStories[${first}]); give each story its own id`,
      );
    } else {
      ids.set(story.id, index);
    }
  });
  prd.userStories.forEach((story, index) => {
    (story.dependencies ?? []).forEach((dep, d) => {
      if (!ids.has(dep)) {
        problems.push(`userStories[${index}].dependencies[${d}]: "${dep}" is not a story id in this PRD`);
      } else if (dep === story.id) {
        problems.push(`userStories[${index}].dependencies[${d}]: story "${story.id}" depends on itself`);
      }
    });
  });
  prd.userStories.forEach((story, index) => {
    problems.push(...findCriterionIdProblems(story, `userStories[${index}]`));
  });
  const cycle = findCycle(prd);
  if (cycle) problems.push(`userStories: dependency cycle ${cycle.join(" -> ")}; remove one of these dependencies`);
  return problems;
}

function findCycle(prd: Prd): string[] | undefined {
  const deps = new Map(prd.userStories.map((s) => [s.id, (s.dependencies ?? []).filter((d) => d !== s.id)]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of deps.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}
