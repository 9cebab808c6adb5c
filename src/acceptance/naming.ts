/**
 * How an acceptance test maps back to its criterion: its file, inside the
 * acceptance folder, is named with the story id and the criterion id
 * (`US-001-AC-2.test.ts`, `test_US_001_AC_2.py`): one file per criterion,
 * so nax's per-test reading of one file's run is that criterion's result.
 * Separators may be `-`, `_` or `.`; `AC-1` never matches `AC-12`.
 */

import { storyCriteria } from "../prd/criteria";
import type { Prd } from "../prd/schema";
import { isFixStory } from "./fix-stories";

export interface CriterionRef {
  storyId: string;
  criterionId: string;
  text: string;
}

/** Every criterion of the PRD but those of fix stories (they are gated by the criterion they fix). */
export function prdCriteria(prd: Prd): CriterionRef[] {
  return prd.userStories
    .filter((story) => !isFixStory(story))
    .flatMap((story) => storyCriteria(story).map((c) => ({ storyId: story.id, criterionId: c.id, text: c.text })));
}

/** The name the prompt asks for: `US-001-AC-2`. */
export const testToken = (c: Pick<CriterionRef, "storyId" | "criterionId">): string => `${c.storyId}-${c.criterionId}`;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function tokenPattern(c: Pick<CriterionRef, "storyId" | "criterionId">): RegExp {
  const part = (id: string) => id.split(/[-_.]/).map(escapeRegex).join("[-_.]?");
  return new RegExp(`(^|[^A-Za-z0-9])${part(c.storyId)}[-_.]${part(c.criterionId)}(?![0-9])`, "i");
}

/** The criterion's test among the folder's files (relative paths), if exactly one is named for it. */
export function findCriterionTest(
  files: readonly string[],
  c: Pick<CriterionRef, "storyId" | "criterionId">,
): { file?: string; problem?: string } {
  const pattern = tokenPattern(c);
  const found = files.filter((f) => pattern.test(f.split("/").pop() ?? f));
  if (found.length === 1) return { file: found[0] as string };
  if (found.length === 0) return { problem: `no file in the acceptance folder is named for ${testToken(c)}` };
  return { problem: `${found.length} files are named for ${testToken(c)} (${found.join(", ")}); keep one` };
}
