/** The registry record `~/.nax/runs/<project>-<feature>-<runId>/meta.json`: pointers only, written once. */
import { z } from "zod";

export const RunMetaSchema = z.object({
  runId: z.string(),
  project: z.string(),
  feature: z.string(),
  workdir: z.string(),
  statusPath: z.string(),
  eventsDir: z.string(),
  registeredAt: z.string(),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;
