/**
 * The config schema (README "Configuration"). Every key has its default here and nowhere
 * else; unknown keys are an error so that a typo never vanishes (trap 14).
 */
import { z } from "zod";

/**
 * The longest delay a timer can hold: 2^31-1 ms. A longer one fires after
 * 1 ms (trap 32), so every timeout and delay key is bounded here, with the
 * maximum in the message.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

const timerMessage = (unit: string, max: number) =>
  `must be at most ${max} ${unit} (the longest a timer can hold, about 24.8 days; a longer one would fire at once)`;
/** A positive number of seconds a timer will wait. */
const seconds = () => z.number().positive().max(MAX_TIMER_SECONDS, timerMessage("seconds", MAX_TIMER_SECONDS));
/** A whole number of milliseconds a timer will wait (`min` 0 for delays that may be off). */
const millis = (min: 0 | 1) => z.number().int().min(min).max(MAX_TIMER_MS, timerMessage("ms", MAX_TIMER_MS));

const TierSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    model: z.string().min(1),
    env: z.record(z.string(), z.string()).optional(),
  }),
]);
export type TierSpec = z.infer<typeof TierSpecSchema>;

const TierAttemptsSchema = z.strictObject({ tier: z.string().min(1), attempts: z.number().int().min(1) });

const AutoModeSchema = z.strictObject({
  defaultAgent: z.string().default("claude"),
  complexityRouting: z
    .strictObject({
      simple: z.string().default("fast"),
      medium: z.string().default("balanced"),
      complex: z.string().default("powerful"),
      expert: z.string().default("powerful"),
    })
    .prefault({}),
  escalation: z
    .strictObject({
      enabled: z.boolean().default(true),
      tierOrder: z
        .array(TierAttemptsSchema)
        .min(1)
        .default([
          { tier: "fast", attempts: 3 },
          { tier: "balanced", attempts: 3 },
          { tier: "powerful", attempts: 2 },
        ]),
    })
    .prefault({}),
});

const RoutingSchema = z.strictObject({
  strategy: z.enum(["keyword", "llm", "manual"]).default("keyword"),
  llm: z
    .strictObject({
      /** The tier (or model name) that answers routing calls; see routing/llm-model.ts for the API names. */
      model: z.string().default("fast"),
      /** one-shot: every unrouted story in one call; per-story: a call each; hybrid: one-shot, then per-story for what it missed. */
      mode: z.enum(["one-shot", "per-story", "hybrid"]).default("hybrid"),
      timeoutMs: millis(1).default(30_000),
      retries: z.number().int().min(0).max(10).default(1),
      retryDelayMs: millis(0).default(1000),
      /** No routing call starts past this much time in routing; the rest fall back to keywords. */
      maxTotalMs: millis(1).default(120_000),
      fallbackToKeywords: z.boolean().default(true),
      /** USD per million tokens, by API model name: routing cost is computed from the SDK's token usage with these. */
      pricing: z
        .record(z.string(), z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }))
        .default({
          "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
          "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
          "claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
        }),
    })
    .prefault({}),
});

const ExecutionSchema = z.strictObject({
  maxIterations: z.number().int().positive().default(50),
  /** Lanes: stories run at once, each in its own worktree (1 = one after another, the same code). */
  parallel: z.number().int().min(1).max(32).default(1),
  isolation: z
    .strictObject({
      /** Ignored folders of the checkout linked into every worktree, when they exist there. */
      linkDependencies: z
        .array(z.string().regex(/^(?!\.\.?$)[^/\\]+$/, "a folder name at the project root"))
        .default(["node_modules", ".venv", "venv", "vendor"]),
      /** Run once in each new worktree (after linking), e.g. `npm ci`; its failure stops the run. */
      setupCommand: z.string().min(1).optional(),
    })
    .prefault({}),
  costLimit: z.number().positive().default(20),
  sessionTimeoutSeconds: seconds().default(1800),
  stallTimeoutSeconds: seconds().default(600),
  verificationTimeoutSeconds: seconds().default(600),
  iterationDelayMs: millis(0).default(0),
  permissionMode: z.enum(["bypassPermissions", "acceptEdits"]).default("bypassPermissions"),
  rateLimit: z
    .strictObject({
      maxWaitSeconds: seconds().default(900),
      defaultWaitSeconds: seconds().default(60),
      maxRetries: z.number().int().min(0).default(5),
    })
    .prefault({}),
  rectification: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxRetries: z.number().int().min(0).default(2),
      abortOnIncreasingFailures: z.boolean().default(true),
    })
    .prefault({}),
  regressionGate: z
    .strictObject({
      mode: z.enum(["deferred", "per-story", "disabled"]).default("deferred"),
      timeoutSeconds: seconds().default(600),
      maxRectificationAttempts: z.number().int().min(0).default(2),
    })
    .prefault({}),
  smartTestRunner: z
    .strictObject({
      enabled: z.boolean().default(true),
      testFilePatterns: z
        .array(z.string())
        .default([
          "test/**/{name}.test.{ext}",
          "tests/**/{name}.test.{ext}",
          "**/{name}.test.{ext}",
          "**/{name}.spec.{ext}",
          "**/test_{name}.py",
          "**/{name}_test.go",
          "**/{name}_test.py",
        ]),
      fallback: z.enum(["import-grep", "full-suite"]).default("import-grep"),
    })
    .prefault({}),
});

const QualitySchema = z.strictObject({
  commands: z
    .strictObject({
      test: z.string().optional(),
      testScoped: z.string().optional(),
      lint: z.string().optional(),
      typecheck: z.string().optional(),
      lintFix: z.string().optional(),
      formatFix: z.string().optional(),
    })
    .prefault({}),
  requireTests: z.boolean().default(true),
  requireLint: z.boolean().default(true),
  requireTypecheck: z.boolean().default(true),
  autofix: z
    .strictObject({ enabled: z.boolean().default(true), maxAttempts: z.number().int().min(0).default(2) })
    .prefault({}),
  /**
   * The user's commands never see a secret-named variable (see `security`) unless it is listed here;
   * `stripEnvVars` removes further names that are not secrets but must not reach them (CLAUDECODE
   * would make a Claude CLI started by a test think it runs nested).
   */
  keepEnvVars: z.array(z.string()).default([]),
  stripEnvVars: z.array(z.string()).default(["CLAUDECODE"]),
});

/** Trap 30 (docs/traps.md): values of secret-named variables (`*KEY*`, `*TOKEN*`...) and of these names are redacted. */
const SecuritySchema = z.strictObject({
  redactEnvNames: z.array(z.string().min(1)).default([]),
});

export const ConfigSchema = z.strictObject({
  /** An editor's pointer to the JSON Schema (`nax schema config`); nax itself ignores it. */
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  models: z.record(z.string(), TierSpecSchema).default({ fast: "haiku", balanced: "sonnet", powerful: "opus" }),
  autoMode: AutoModeSchema.prefault({}),
  routing: RoutingSchema.prefault({}),
  execution: ExecutionSchema.prefault({}),
  quality: QualitySchema.prefault({}),
  security: SecuritySchema.prefault({}),
  agents: z
    .strictObject({
      claude: z
        .strictObject({ command: z.string().default("claude"), extraArgs: z.array(z.string()).default([]) })
        .prefault({}),
    })
    .prefault({}),
});

export type NaxConfig = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function defaultConfig(): NaxConfig {
  return ConfigSchema.parse({});
}

export function modelForTier(config: NaxConfig, tier: string): { model: string; env: Record<string, string> } {
  const spec = config.models[tier];
  if (spec === undefined) return { model: tier, env: {} };
  if (typeof spec === "string") return { model: spec, env: {} };
  return { model: spec.model, env: spec.env ?? {} };
}
