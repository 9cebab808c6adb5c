/**
 * What a story's frozen tests were written for: a hash of its id, title,
 * description and criteria, carried as a trailer in the frozen-tests commit.
 * A later attempt reuses the tests only while the story still reads the
 * same; an edited story gets a new test writer.
 */
import { createHash } from "node:crypto";
import type { UserStory } from "../prd/schema";

export const TESTS_FOR_TRAILER = "Nax-Tests-For";

export function storyFingerprint(story: UserStory): string {
  const input = [story.id, story.title, story.description, story.acceptanceCriteria];
  return createHash("sha256").update(JSON.stringify(input)).digest("hex").slice(0, 16);
}

export function frozenCommitMessage(story: UserStory, runId: string): string {
  return [
    `nax: ${story.id} tests, frozen after RED`,
    "",
    `Nax-Story: ${story.id}`,
    `Nax-Run: ${runId}`,
    `${TESTS_FOR_TRAILER}: ${storyFingerprint(story)}`,
    "",
  ].join("\n");
}

export function isFrozenFor(message: string, story: UserStory): boolean {
  return message.includes(`${TESTS_FOR_TRAILER}: ${storyFingerprint(story)}`);
}
