/**
 * `nax/features/<f>/acceptance.json`: one entry per acceptance criterion —
 * its test file and the blob hash frozen after RED, what nax last saw the
 * test do (red-confirmed on the base, passing, failing, already passing on
 * the base, not loadable), which story's merge first turned it red, and the
 * people's decisions (an override, each amendment with its reason). Written
 * atomically by the run and by `nax accept`; a file that does not parse is
 * refused with its path, never replaced.
 */
import { z } from "zod";
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import { formatZodIssues } from "../utils/zod-issues";

export const CriterionStateSchema = z.enum(["red-confirmed", "passing", "failing", "already-passing", "uncollectable"]);
export type CriterionState = z.infer<typeof CriterionStateSchema>;

const DecisionSchema = z.object({ reason: z.string().min(1), by: z.string(), at: z.string() });
export type Decision = z.infer<typeof DecisionSchema>;

export const AcceptanceEntrySchema = z.object({
  storyId: z.string(),
  criterionId: z.string(),
  text: z.string(),
  /** Relative to the project. */
  test: z.string().optional(),
  /** Git blob id of the test when it was frozen. */
  hash: z.string().optional(),
  state: CriterionStateSchema,
  /** What nax saw, in a line (the failing test, the load error, the passing run). */
  evidence: z.string().default(""),
  /** The story whose merge first turned this passing criterion red. */
  brokenBy: z.string().optional(),
  override: DecisionSchema.optional(),
  amendments: z.array(DecisionSchema).default([]),
});
export type AcceptanceEntry = z.infer<typeof AcceptanceEntrySchema>;

export const AcceptanceFileSchema = z.object({
  version: z.literal(1),
  feature: z.string(),
  folder: z.string(),
  /** The commit the tests were confirmed RED on (before any story). */
  base: z.string().optional(),
  criteria: z.array(AcceptanceEntrySchema),
});
export type AcceptanceFile = z.infer<typeof AcceptanceFileSchema>;

/** `US-001/AC-2`: how people and the CLI name a criterion. */
export const criterionKey = (e: Pick<AcceptanceEntry, "storyId" | "criterionId">): string =>
  `${e.storyId}/${e.criterionId}`;

export async function readAcceptance(fs: Fs, path: string): Promise<AcceptanceFile | undefined> {
  const text = await fs.readText(path);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NaxError(
      "CONFIG_INVALID",
      `${path}: not valid JSON (${(error as Error).message}); fix or remove the file`,
      {
        path,
      },
    );
  }
  const parsed = AcceptanceFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new NaxError(
      "CONFIG_INVALID",
      `${path}: ${formatZodIssues(parsed.error).join("; ")}; fix or remove the file`,
      {
        path,
      },
    );
  }
  return parsed.data;
}

export async function writeAcceptance(fs: Fs, path: string, file: AcceptanceFile): Promise<void> {
  await fs.writeAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** What `nax accept list` shows: an override outranks what the test did. */
export function displayState(entry: AcceptanceEntry): string {
  return entry.override ? "overridden" : entry.state;
}
