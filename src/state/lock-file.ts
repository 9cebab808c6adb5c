/** The lock file schema: `nax.lock` = `{pid, hostname, runId, feature, startedAt}`. */
import { z } from "zod";

export const LockFileSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  runId: z.string(),
  feature: z.string(),
  startedAt: z.string(),
});
export type LockFile = z.infer<typeof LockFileSchema>;
