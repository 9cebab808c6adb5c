/**
 * prd.json's bytes without re-serialising every story on every save. A run
 * saves the PRD twice per story (and commits it once), and `JSON.stringify`
 * of a 2,000-story PRD is milliseconds each time while one story changed: the
 * per-story cost grew with the PRD (issue 9's "loop overhead independent of
 * PRD size"). Each story's bytes are kept per story object, so a save
 * serialises and encodes only the stories it replaced, and the file is
 * written from the chunks; the bytes are those of `serializePrd` (load.ts),
 * which a test holds them to. Correct only because
 * the store never changes a story object in place (it replaces it) and
 * freezes the ones it holds (`freezeStories`), so a stray in-place change
 * fails loudly instead of leaving a stale text here.
 */
import type { Prd, UserStory } from "./schema";

/** Nested objects and arrays frozen too: a story's history (`priorFailures`, `escalations`) is data. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  return Object.freeze(value);
}

/** Freezes one story, its nested values too; returns it. */
export function freezeStory(story: UserStory): UserStory {
  return deepFreeze(story);
}

/**
 * Freezes each story of the loaded PRD (a save freezes only the stories it makes). Not the array: in Bun's
 * engine a frozen 2,000-element array took 0.3 ms to freeze and made every scan of it several times slower
 * (`find` 6x, `filter` 8x), on every save and pick; no code changes a `userStories` array in place
 * (a source rule holds that).
 */
export function freezeStories(stories: readonly UserStory[]): readonly UserStory[] {
  for (const story of stories) deepFreeze(story);
  return stories;
}

const STORIES_KEY = '\n  "userStories": []';
const SEPARATOR = ",\n    ";

/** prd.json as chunks for `Fs.writeAtomic`: the text before the stories, each story and separator, the rest. */
export type PrdBytes = readonly Uint8Array[];

/** The text the chunks hold (their bytes, decoded once; for the rare reader that needs the string). */
export function prdBytesText(bytes: PrdBytes): string {
  return Buffer.concat(bytes as Uint8Array[]).toString("utf8");
}

/**
 * `encode`: the run's `Fs.encode` (redacting there, once per story text). Each story's bytes are kept per
 * frozen story object, so a save encodes only the stories it replaced and copies nothing whole: a routed
 * 2,000-story PRD is about 1 MB, and building, flattening and encoding one string of it cost 5-10 ms a save.
 */
export function createPrdSerializer(encode: (text: string) => Uint8Array): (prd: Prd) => PrdBytes {
  const bytesOf = new WeakMap<UserStory, Uint8Array>();
  const separator = encode(SEPARATOR);
  const storyBytes = (story: UserStory): Uint8Array => {
    let bytes = bytesOf.get(story);
    if (bytes === undefined) {
      // At depth 2 in the file: every line after the first is indented four spaces more. A newline in a
      // value is always escaped in JSON, so each one here is structural.
      bytes = encode(JSON.stringify(story, null, 2).replaceAll("\n", "\n    "));
      if (Object.isFrozen(story)) bytesOf.set(story, bytes);
    }
    return bytes;
  };
  return (prd) => {
    const head = JSON.stringify({ ...prd, userStories: [] }, null, 2);
    const at = head.indexOf(STORIES_KEY);
    if (prd.userStories.length === 0 || at < 0) return [encode(`${JSON.stringify(prd, null, 2)}\n`)];
    const end = at + STORIES_KEY.length;
    const chunks: Uint8Array[] = [encode(`${head.slice(0, end - 2)}[\n    `)];
    prd.userStories.forEach((story, index) => {
      if (index > 0) chunks.push(separator);
      chunks.push(storyBytes(story));
    });
    chunks.push(encode(`\n  ]${head.slice(end)}\n`));
    return chunks;
  };
}
