/**
 * What a run needs of a PRD beyond a valid shape, checked before anything is
 * written (also by `--dry-run`): at least one story, no story still holding
 * the `nax features create` template's text, and acceptance criteria on every
 * story (they are what the agent and the tests are held to), and a story's
 * own `routing.modelTier` naming a tier of `models` (else the agent would be
 * asked for a model literally named so), and a `branchName` git accepts that
 * does not clash with nax's own branches. Readers do not
 * apply these: `nax status` still shows a feature that cannot run yet.
 */
import { NaxError } from "../errors";
import { branchNameProblem } from "../git/branch-name";
import { closestName } from "../utils/did-you-mean";
import type { Prd } from "./schema";
import { templateFieldsOf } from "./template";

export function findRunProblems(prd: Prd, tiers?: readonly string[]): string[] {
  if (prd.userStories.length === 0) {
    return ["userStories: the PRD has no stories; add at least one (id, title, description, acceptanceCriteria)"];
  }
  const problems: string[] = [];
  const branch = branchNameProblem(prd.branchName, prd.feature);
  if (branch) problems.push(branch);
  prd.userStories.forEach((story, i) => {
    const where = `userStories[${i}] (${story.id})`;
    const fields = templateFieldsOf(story);
    if (fields.length > 0) {
      problems.push(
        `${where}: still the template from \`nax features create\` (${fields.join(", ")}); edit the template first: describe the story you want built`,
      );
      return;
    }
    const tier = story.routing?.modelTier;
    const open = story.status !== "passed" && story.status !== "skipped";
    if (tiers && open && tier !== undefined && !tiers.includes(tier)) {
      const match = closestName(tier, tiers);
      const hint = match ? `did you mean "${match}"?` : `use one of ${tiers.map((t) => `"${t}"`).join(", ")}`;
      problems.push(`${where}.routing.modelTier: "${tier}" is not a tier in models; ${hint}`);
    }
    if (story.acceptanceCriteria.every((c) => c.trim() === "")) {
      problems.push(
        `${where}.acceptanceCriteria: story ${story.id} has no acceptance criteria; add at least one behaviour a test can check`,
      );
    }
  });
  return problems;
}

export function assertRunnable(prd: Prd, path: string, tiers?: readonly string[]): void {
  const problems = findRunProblems(prd, tiers).map((line) => `${path}: ${line}`);
  if (problems.length > 0) throw new NaxError("PRD_INVALID", problems.join("\n"), { path, problems });
}
