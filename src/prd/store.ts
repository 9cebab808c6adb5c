/**
 * The run's single writer of prd.json. Updates are applied in order to the
 * in-memory PRD and saved atomically; a failed save throws with the previous
 * file intact, and the in-memory copy is not advanced. Stories are replaced,
 * never changed in place (they are frozen), so a save serialises only the
 * stories it replaced and writes the file from per-story chunks (story-text-cache.ts).
 */
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import type { Prd, UserStory } from "./schema";
import { createPrdSerializer, freezeStories, freezeStory, type PrdBytes } from "./story-text-cache";

export interface PrdStore {
  readonly path: string;
  current(): Prd;
  /** The bytes of the last save, as the chunks written (once per save; before any save, of the loaded PRD). */
  bytes(): PrdBytes;
  story(id: string): UserStory;
  /**
   * Runs `task` in the save queue: no save starts until it settles, so a task that touches the
   * file (the checkout's fast-forward) never races a save. Its rejection reaches the caller only.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Applies `mutate` to a copy of one story, saves, and returns the saved PRD. */
  updateStory(id: string, mutate: (story: UserStory) => UserStory): Promise<Prd>;
  /** Applies each story's mutation to a copy of it and saves once (many stories, one write). */
  updateStories(mutations: ReadonlyMap<string, (story: UserStory) => UserStory>): Promise<Prd>;
  /** Adds new stories at the end (ids the PRD does not hold yet) and saves. */
  appendStories(stories: readonly UserStory[]): Promise<Prd>;
}

export function createPrdStore(fs: Fs, path: string, initial: Prd, nowIso: () => string): PrdStore {
  const serializePrd = createPrdSerializer((text) => fs.encode(text));
  let prd: Prd = { ...initial, userStories: freezeStories(initial.userStories) as UserStory[] };
  let saved: PrdBytes | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const find = (id: string) => {
    const story = prd.userStories.find((s) => s.id === id);
    if (!story) throw new NaxError("INTERNAL", `story ${id} is not in ${path}`);
    return story;
  };
  return {
    path,
    current: () => prd,
    bytes,
    story: find,
    updateStory: (id, mutate) => updateStories(new Map([[id, mutate]])),
    updateStories,
    appendStories: (stories) =>
      save((current) => {
        for (const story of stories) {
          if (current.some((s) => s.id === story.id))
            throw new NaxError("INTERNAL", `story ${story.id} is already in ${path}`);
        }
        return [...current, ...stories.map(freezeStory)];
      }),
    exclusive(task) {
      const run = queue.then(task);
      queue = run.catch(() => undefined);
      return run;
    },
  };

  function bytes(): PrdBytes {
    saved ??= serializePrd(prd);
    return saved;
  }

  function updateStories(mutations: ReadonlyMap<string, (story: UserStory) => UserStory>): Promise<Prd> {
    return save((current) => {
      let found = 0;
      const next = current.map((s) => {
        const mutate = mutations.get(s.id);
        if (!mutate) return s;
        found++;
        return freezeStory(mutate({ ...s }));
      });
      // One pass: routing changes every story of a 2,000-story PRD at once, and a lookup per id was quadratic.
      if (found < mutations.size) for (const id of mutations.keys()) find(id);
      return next;
    });
  }

  function save(change: (current: UserStory[]) => UserStory[]): Promise<Prd> {
    const run = queue.then(async () => {
      // The stories `change` made are frozen by it; the others were frozen when they came in (the array is
      // not: see `freezeStories`).
      const userStories = change(prd.userStories);
      const next: Prd = { ...prd, userStories, updatedAt: nowIso() };
      const chunks = serializePrd(next);
      try {
        // Atomic: temp file and rename; the previous file stays intact if this throws.
        await fs.writeAtomic(path, chunks);
        prd = next;
        saved = chunks;
      } catch (error) {
        throw new NaxError("STATE_WRITE_FAILED", `${path}: could not save the PRD (${(error as Error).message})`, {
          path,
          cause: error,
        });
      }
      return prd;
    });
    // The caller sees the rejection through `run`; the queue only keeps order.
    queue = run.catch(() => undefined);
    return run;
  }
}
