/** The registry record `~/.nax/runs/<project>-<feature>-<runId>/meta.json`: pointers only, written once. */
import { z } from "zod";

export const RunMetaSchema = z.object({
  runId: z.string(),
  /** The project's folder name (made safe for a path segment). */
  project: z.string(),
  /** The PRD's own `project` field, when the run recorded it. */
  prdProject: z.string().optional(),
  feature: z.string(),
  workdir: z.string(),
  statusPath: z.string(),
  eventsDir: z.string(),
  registeredAt: z.string(),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;
