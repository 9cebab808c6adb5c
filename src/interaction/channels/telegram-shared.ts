/**
 * What the runs on one machine share per Telegram bot, under
 * `$NAX_HOME/telegram/<hash of the token>/`: `poller.lock` (exclusive create:
 * one getUpdates poller per bot token, however many runs use it; a lock whose
 * process is gone on this host is taken over), `offset` (the next update id,
 * so a new poller neither loses nor repeats replies) and `questions/<id>.json`
 * (each waiting question's run answers file: how a reply reaches its run).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import type { Fs } from "../../system/fs";

export function botDir(naxHome: string, token: string): string {
  const hash = createHash("sha256").update(token).digest("hex").slice(0, 16);
  return join(naxHome, "telegram", hash);
}

const PollerLockSchema = z.object({ pid: z.number().int(), hostname: z.string(), runId: z.string() });
const RoutedQuestionSchema = z.object({ answersPath: z.string(), runId: z.string() });
export type RoutedQuestion = z.infer<typeof RoutedQuestionSchema>;

export interface PollerIdentity {
  pid: number;
  hostname: string;
  runId: string;
}

function parse<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A torn or hand-edited file reads as absent: the lock is then judged stale, a route unknown.
    return undefined;
  }
}

export function createBotShare(deps: { fs: Fs; dir: string; isPidAlive(pid: number): boolean; me: PollerIdentity }) {
  const { fs, dir, me } = deps;
  const lockPath = join(dir, "poller.lock");
  const offsetPath = join(dir, "offset");
  const questionPath = (id: string) => join(dir, "questions", `${id}.json`);
  const mine = (text: string | undefined) => parse(PollerLockSchema, text)?.runId === me.runId;

  return {
    /** True when this run holds (or just took) the bot's poller lock. */
    async holdPoller(): Promise<boolean> {
      const content = `${JSON.stringify(me)}\n`;
      if (await fs.createExclusive(lockPath, content)) return true;
      const text = await fs.readText(lockPath);
      if (mine(text)) return true;
      const holder = parse(PollerLockSchema, text);
      // Only a holder on this host can be judged gone; a file that cannot be read is a crashed writer's.
      const gone = holder === undefined || (holder.hostname === me.hostname && !deps.isPidAlive(holder.pid));
      if (!gone) return false;
      await fs.remove(lockPath);
      return fs.createExclusive(lockPath, content);
    },
    async releasePoller(): Promise<void> {
      if (mine(await fs.readText(lockPath))) await fs.remove(lockPath);
    },
    async readOffset(): Promise<number> {
      const value = Number((await fs.readText(offsetPath))?.trim());
      return Number.isInteger(value) && value > 0 ? value : 0;
    },
    writeOffset: (offset: number) => fs.writeAtomic(offsetPath, `${offset}\n`),
    route: (id: string, route: RoutedQuestion) => fs.writeAtomic(questionPath(id), `${JSON.stringify(route)}\n`),
    unroute: (id: string) => fs.remove(questionPath(id)),
    async routeOf(id: string): Promise<RoutedQuestion | undefined> {
      if (!/^q-[0-9a-z]+$/i.test(id)) return undefined;
      return parse(RoutedQuestionSchema, await fs.readText(questionPath(id)));
    },
  };
}
export type BotShare = ReturnType<typeof createBotShare>;
