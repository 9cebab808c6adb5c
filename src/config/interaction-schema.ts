/**
 * The `interaction` section of config.json (README "Notifications and
 * questions"): which channels reach a person, which situations ask, how long
 * a question waits and what happens when no one answers. Off by default:
 * with no trigger enabled a run asks nothing and behaves as before. Secrets
 * are never in the file: the webhook secret and the bot token are read from
 * environment variables named here (and redacted like every secret-named one).
 */
import { z } from "zod";

const MAX_WAIT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const wait = () => z.number().positive().max(MAX_WAIT_SECONDS, `must be at most ${MAX_WAIT_SECONDS} seconds`);
const envName = () => z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

export const CHANNEL_NAMES = ["cli", "webhook", "telegram", "auto"] as const;
export const ChannelNameSchema = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

const TriggersSchema = z.strictObject({
  costShare: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe("ask continue/stop once this share of execution.costLimit is spent (e.g. 0.8); absent: never"),
  costFallback: z
    .enum(["continue", "stop"])
    .default("continue")
    .describe("the cost question's answer when no one answers"),
  tiersExhausted: z
    .boolean()
    .default(false)
    .describe("ask retry/skip/fail when a story has spent every tier, instead of failing it at once"),
  tiersExhaustedFallback: z
    .enum(["retry", "skip", "fail"])
    .default("fail")
    .describe("the tiers-exhausted question's answer when no one answers"),
  securityReview: z
    .boolean()
    .default(false)
    .describe("ask approve/reject before merging a security-sensitive story (see securityTags, securityKeywords)"),
  securityTags: z
    .array(z.string().min(1))
    .default(["security", "security-sensitive"])
    .describe("story tags that make a story security-sensitive"),
  securityKeywords: z
    .array(z.string().min(1))
    .default([])
    .describe("whole words in a story's title or description that make it security-sensitive"),
  securityFallback: z
    .enum(["approve", "reject"])
    .default("reject")
    .describe("the security question's answer when no one answers"),
  mergeConflict: z
    .boolean()
    .default(false)
    .describe("ask retry/skip/fail when the merge queue cannot resolve a story's conflict (its second one)"),
  mergeConflictFallback: z
    .enum(["retry", "skip", "fail"])
    .default("fail")
    .describe("the merge-conflict question's answer when no one answers"),
});

export const InteractionSchema = z.strictObject({
  channels: z
    .array(ChannelNameSchema)
    .default([])
    .describe("where questions and notifications go, several at once: cli, webhook, telegram, auto"),
  timeoutSeconds: wait().default(600).describe("how long a question waits before its fallback is applied (s)"),
  notify: z
    .array(z.enum(["finished", "failed", "stalled", "needs-you"]))
    .default(["finished", "failed", "stalled", "needs-you"])
    .describe("which run events are sent to the channels as notifications (no answer expected)"),
  triggers: TriggersSchema.prefault({}),
  webhook: z
    .strictObject({
      url: z.url().optional().describe("where questions and notifications are POSTed as signed JSON"),
      secretEnv: envName()
        .default("NAX_WEBHOOK_SECRET")
        .describe("the environment variable holding the HMAC-SHA256 signing secret"),
      callbackPort: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .default(0)
        .describe("the loopback port of the answer callback server (0: any free port)"),
      maxSkewSeconds: wait()
        .default(300)
        .describe("a signed answer older (or newer) than this is refused as stale (s)"),
    })
    .prefault({}),
  telegram: z
    .strictObject({
      tokenEnv: envName().default("NAX_TELEGRAM_TOKEN").describe("the environment variable holding the bot token"),
      chatId: z.union([z.string(), z.number()]).optional().describe("the chat questions and notifications are sent to"),
      allowedUserIds: z
        .array(z.number().int())
        .default([])
        .describe("Telegram user ids whose replies count as answers; every other reply is ignored"),
      apiBaseUrl: z.url().default("https://api.telegram.org").describe("the Bot API's base URL"),
      pollSeconds: z
        .number()
        .int()
        .min(0)
        .max(50)
        .default(25)
        .describe("the long-polling timeout of one getUpdates call (s)"),
    })
    .prefault({}),
  auto: z
    .strictObject({
      answers: z
        .record(z.string(), z.string())
        .default({})
        .describe("the policy: question kind (e.g. tiers-exhausted) → the choice given at once"),
    })
    .prefault({}),
});
export type InteractionConfig = z.infer<typeof InteractionSchema>;
