/**
 * Which stories a failing test belongs to, from the files each story's
 * commits touched (found by exact `Nax-Story` trailer, never a substring).
 * Pure; the per-story gate and the Runner's deferred gate share it. A test
 * belongs to a story whose commits touched the test file itself, or a source
 * file with the same base name (`src/cart.ts` ↔ `test/cart.test.ts`).
 */
import type { TestFailure } from "../verification/types";

export interface Attribution {
  /** Story id → names of the failing tests attributed to it. */
  byStory: Record<string, string[]>;
  /** Failing tests no story's files explain. */
  unattributed: string[];
}

const TEST_MARKERS = /(\.test|\.spec|_test|_spec)$/;

/** `test/unit/cart.test.ts` → `cart`; `tests/test_cart.py` → `cart`. */
export function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const noExt = base.replace(/\.[^.]+$/, "");
  return noExt
    .replace(TEST_MARKERS, "")
    .replace(/^test_/, "")
    .toLowerCase();
}

function normalise(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "");
}

export function attributeFailures(failures: TestFailure[], storyFiles: Record<string, string[]>): Attribution {
  const stories = Object.entries(storyFiles).map(([id, files]) => ({
    id,
    files: new Set(files.map(normalise)),
    stems: new Set(files.map(fileStem)),
  }));
  const byStory: Record<string, string[]> = {};
  const unattributed: string[] = [];
  for (const failure of failures) {
    const owners = failure.file
      ? stories.filter(
          (s) => s.files.has(normalise(failure.file as string)) || s.stems.has(fileStem(failure.file as string)),
        )
      : [];
    if (owners.length === 0) {
      unattributed.push(failure.name);
      continue;
    }
    for (const owner of owners) byStory[owner.id] = [...(byStory[owner.id] ?? []), failure.name];
  }
  return { byStory, unattributed };
}
