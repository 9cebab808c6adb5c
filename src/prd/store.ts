/**
 * The run's single writer of prd.json. Updates are applied in order to the
 * in-memory PRD and saved atomically; a failed save throws with the previous
 * file intact, and the in-memory copy is not advanced.
 */
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import { savePrd } from "./load";
import type { Prd, UserStory } from "./schema";

export interface PrdStore {
  readonly path: string;
  current(): Prd;
  story(id: string): UserStory;
  /** Applies `mutate` to a copy of one story, saves, and returns the saved PRD. */
  updateStory(id: string, mutate: (story: UserStory) => UserStory): Promise<Prd>;
  /** Applies each story's mutation to a copy of it and saves once (many stories, one write). */
  updateStories(mutations: ReadonlyMap<string, (story: UserStory) => UserStory>): Promise<Prd>;
  /** Adds new stories at the end (ids the PRD does not hold yet) and saves. */
  appendStories(stories: readonly UserStory[]): Promise<Prd>;
}

export function createPrdStore(fs: Fs, path: string, initial: Prd, nowIso: () => string): PrdStore {
  let prd = initial;
  let queue: Promise<unknown> = Promise.resolve();
  const find = (id: string) => {
    const story = prd.userStories.find((s) => s.id === id);
    if (!story) throw new NaxError("INTERNAL", `story ${id} is not in ${path}`);
    return story;
  };
  return {
    path,
    current: () => prd,
    story: find,
    updateStory: (id, mutate) => updateStories(new Map([[id, mutate]])),
    updateStories,
    appendStories: (stories) =>
      save((current) => {
        for (const story of stories) {
          if (current.some((s) => s.id === story.id))
            throw new NaxError("INTERNAL", `story ${story.id} is already in ${path}`);
        }
        return [...current, ...stories];
      }),
  };

  function updateStories(mutations: ReadonlyMap<string, (story: UserStory) => UserStory>): Promise<Prd> {
    return save((current) => {
      for (const id of mutations.keys()) find(id);
      return current.map((s) => {
        const mutate = mutations.get(s.id);
        return mutate ? mutate({ ...s }) : s;
      });
    });
  }

  function save(next: (current: UserStory[]) => UserStory[]): Promise<Prd> {
    const run = queue.then(async () => {
      const userStories = next(prd.userStories);
      try {
        prd = await savePrd(fs, path, { ...prd, userStories }, nowIso());
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
