/**
 * The config schema (README "Configuration"). Every key has its default here and nowhere
 * else; unknown keys are an error so that a typo never vanishes (trap 14).
 * Every leaf key carries its one-line description (`.describe`), which
 * `nax config --explain` prints; a unit test fails on a leaf without one.
 */
import { z } from "zod";
import { ClaudeConfigSchema } from "../agents/claude/config";
import { CodexConfigSchema } from "../agents/codex/config";
import { GeminiConfigSchema } from "../agents/gemini/config";
import { OpencodeConfigSchema } from "../agents/opencode/config";
import { GuardsSchema, TestFilesSchema } from "./integrity-schema";
import { InteractionSchema } from "./interaction-schema";

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

/** The agents nax has an adapter for: `agents` holds one schema each (agents/<name>/config.ts). */
export const AGENT_NAMES = ["claude", "codex", "opencode", "gemini"] as const;
export type AgentName = (typeof AGENT_NAMES)[number];
const AgentNameSchema = z.enum(AGENT_NAMES);

/**
 * A tier: a model name for the default agent (the form every config before
 * per-agent tiers used), or `{ agent?, model?, env? }`. Without a model the
 * agent's own map (`agents.<agent>.models`) names it.
 */
const TierSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    agent: AgentNameSchema.optional(),
    model: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
  }),
]);
export type TierSpec = z.infer<typeof TierSpecSchema>;

const TierAttemptsSchema = z.strictObject({ tier: z.string().min(1), attempts: z.number().int().min(1) });

const AutoModeSchema = z.strictObject({
  defaultAgent: AgentNameSchema.default("claude").describe(
    "the coding agent a story session runs on when neither its tier nor the story names one",
  ),
  fallback: z
    .array(AgentNameSchema)
    .default([])
    .describe(
      "agents to switch to, in order, when the current one is not installed or rate limited past rateLimit.maxWaitSeconds",
    ),
  complexityRouting: z
    .strictObject({
      simple: z.string().default("fast").describe("the tier a simple story's first attempt runs on"),
      medium: z.string().default("balanced").describe("the tier a medium story's first attempt runs on"),
      complex: z.string().default("powerful").describe("the tier a complex story's first attempt runs on"),
      expert: z.string().default("powerful").describe("the tier an expert story's first attempt runs on"),
    })
    .prefault({}),
  escalation: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe("move a failing story up to the next tier once its attempts there are spent"),
      tierOrder: z
        .array(TierAttemptsSchema)
        .min(1)
        .default([
          { tier: "fast", attempts: 3 },
          { tier: "balanced", attempts: 3 },
          { tier: "powerful", attempts: 2 },
        ])
        .describe("the escalation ladder: each tier and how many attempts a story gets on it"),
    })
    .prefault({}),
});

const RoutingSchema = z.strictObject({
  strategy: z
    .enum(["keyword", "llm", "manual"])
    .default("keyword")
    .describe("how a story's complexity is decided: keyword classifier, an LLM call, or prd.json only"),
  llm: z
    .strictObject({
      /** The tier (or model name) that answers routing calls; see routing/llm-model.ts for the API names. */
      model: z.string().default("fast").describe("the tier (or model name) whose model answers routing calls"),
      /** one-shot: every unrouted story in one call; per-story: a call each; hybrid: one-shot, then per-story for what it missed. */
      mode: z
        .enum(["one-shot", "per-story", "hybrid"])
        .default("hybrid")
        .describe("one call for every unrouted story, a call each, or one-shot then per-story for what it missed"),
      timeoutMs: millis(1).default(30_000).describe("how long one routing call may take (ms)"),
      retries: z.number().int().min(0).max(10).default(1).describe("routing calls retried after a failed one"),
      retryDelayMs: millis(0).default(1000).describe("wait before a routing retry (ms)"),
      /** No routing call starts past this much time in routing; the rest fall back to keywords. */
      maxTotalMs: millis(1)
        .default(120_000)
        .describe("no routing call starts past this much time in routing; the rest fall back to keywords (ms)"),
      fallbackToKeywords: z
        .boolean()
        .default(true)
        .describe("when LLM routing fails, use the keyword classifier instead of failing the story"),
      /** USD per million tokens, by API model name: routing cost is computed from the SDK's token usage with these. */
      pricing: z
        .record(z.string(), z.strictObject({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }))
        .default({
          "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
          "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
          "claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
        })
        .describe("USD per million input and output tokens by API model name, for routing's computed cost"),
    })
    .prefault({}),
});

const ExecutionSchema = z.strictObject({
  maxIterations: z.number().int().positive().default(50).describe("the run stops after this many story attempts"),
  /** Lanes: stories run at once, each in its own worktree (1 = one after another, the same code). */
  parallel: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(1)
    .describe("stories run at once, each in its own worktree (1: one after another)"),
  isolation: z
    .strictObject({
      /** Ignored folders of the checkout linked into every worktree, when they exist there. */
      linkDependencies: z
        .array(z.string().regex(/^(?!\.\.?$)[^/\\]+$/, "a folder name at the project root"))
        .default(["node_modules", ".venv", "venv", "vendor"])
        .describe("ignored folders of the checkout linked into every worktree, when they exist"),
      /** Run once in each new worktree (after linking), e.g. `npm ci`; its failure stops the run. */
      setupCommand: z
        .string()
        .min(1)
        .optional()
        .describe("run once in each new worktree after linking, e.g. `npm ci`; its failure stops the run"),
    })
    .prefault({}),
  costLimit: z.number().positive().default(20).describe("the run stops once this much (USD) was spent"),
  sessionTimeoutSeconds: seconds().default(1800).describe("wall-clock limit of one agent session (s)"),
  stallTimeoutSeconds: seconds().default(600).describe("an agent session with no output for this long is stopped (s)"),
  verificationTimeoutSeconds: seconds().default(600).describe("limit of one test, lint or typecheck command (s)"),
  iterationDelayMs: millis(0).default(0).describe("pause between story attempts (ms)"),
  /** Read only when agents.claude.permissionMode is unset: configs written before it moved keep working. */
  permissionMode: z
    .enum(["bypassPermissions", "acceptEdits"])
    .optional()
    .describe("older name of agents.claude.permissionMode, still read when that is unset"),
  rateLimit: z
    .strictObject({
      maxWaitSeconds: seconds().default(900).describe("longest wait for a rate limit to lift (s)"),
      defaultWaitSeconds: seconds().default(60).describe("wait after a rate limit that names no retry time (s)"),
      maxRetries: z
        .number()
        .int()
        .min(0)
        .default(5)
        .describe("rate-limited retries of a session before the story is paused"),
    })
    .prefault({}),
  rectification: z
    .strictObject({
      enabled: z.boolean().default(true).describe("after failing tests, ask the agent to fix them within the attempt"),
      maxRetries: z.number().int().min(0).default(2).describe("rectify rounds per attempt"),
      abortOnIncreasingFailures: z
        .boolean()
        .default(true)
        .describe("stop rectifying when a round leaves more failing tests than before"),
    })
    .prefault({}),
  regressionGate: z
    .strictObject({
      mode: z
        .enum(["deferred", "per-story", "disabled"])
        .default("deferred")
        .describe("when the full suite runs: once after every story, after each story, or never"),
      timeoutSeconds: seconds().default(600).describe("limit of one full-suite regression run (s)"),
      maxRectificationAttempts: z
        .number()
        .int()
        .min(0)
        .default(2)
        .describe("repair rounds when the regression suite fails"),
    })
    .prefault({}),
  smartTestRunner: z
    .strictObject({
      enabled: z.boolean().default(true).describe("verify with only the tests of the changed files when it can"),
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
        ])
        .describe("where a source file's tests are looked for ({name}, {ext} filled in)"),
      fallback: z
        .enum(["import-grep", "full-suite"])
        .default("import-grep")
        .describe("when no test file matches: tests importing the changed files, or the full suite"),
    })
    .prefault({}),
});

const QualitySchema = z.strictObject({
  commands: z
    .strictObject({
      test: z.string().optional().describe("the full test suite, run with sh -c; a story passes only when it passes"),
      testScoped: z
        .string()
        .optional()
        .describe("the test command for some files ({{files}} filled in), used by the smart test runner"),
      lint: z.string().optional().describe("the lint check run on each story's work"),
      typecheck: z.string().optional().describe("the typecheck run on each story's work"),
      lintFix: z.string().optional().describe("the mechanical lint repair autofix runs"),
      formatFix: z.string().optional().describe("the formatter autofix runs after lintFix"),
    })
    .prefault({}),
  requireTests: z.boolean().default(true).describe("verify each story with the test command"),
  testFiles: TestFilesSchema,
  /** The test-integrity guards (config/integrity-schema.ts): each fails an attempt that weakens the tests. */
  guards: GuardsSchema,
  requireLint: z.boolean().default(true).describe("review each story with the lint command"),
  requireTypecheck: z.boolean().default(true).describe("review each story with the typecheck command"),
  autofix: z
    .strictObject({
      enabled: z.boolean().default(true).describe("repair failing lint or typecheck before escalating"),
      maxAttempts: z.number().int().min(0).default(2).describe("autofix rounds per attempt"),
    })
    .prefault({}),
  /**
   * The user's commands never see a secret-named variable (see `security`) unless it is listed here;
   * `stripEnvVars` removes further names that are not secrets but must not reach them (CLAUDECODE
   * would make a Claude CLI started by a test think it runs nested).
   */
  keepEnvVars: z.array(z.string()).default([]).describe("secret-named variables the quality commands still receive"),
  stripEnvVars: z
    .array(z.string())
    .default(["CLAUDECODE"])
    .describe("further variables the quality commands never receive"),
});

/** Trap 30 (docs/traps.md): values of secret-named variables (`*KEY*`, `*TOKEN*`...) and of these names are redacted. */
const SecuritySchema = z.strictObject({
  redactEnvNames: z
    .array(z.string().min(1))
    .default([])
    .describe("variables whose values are redacted although their names do not look secret"),
});

/** Plugins (src/plugins/): those in nax/plugins/ and $NAX_HOME/plugins/ always load; packages only when named here. */
const PluginsSchema = z.strictObject({
  packages: z
    .array(z.string().min(1))
    .default([])
    .describe("npm packages to load as plugins, by name (resolved from the project folder)"),
  settings: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("each plugin's own settings, under its name; checked by that plugin's schema"),
});

export const ConfigSchema = z.strictObject({
  /** An editor's pointer to the JSON Schema (`nax schema config`); nax itself ignores it. */
  $schema: z
    .string()
    .optional()
    .describe("an editor's pointer to the JSON Schema (`nax schema config`); nax ignores it"),
  version: z.literal(1).default(1).describe("the config format version"),
  models: z
    .record(z.string(), TierSpecSchema)
    .default({ fast: {}, balanced: {}, powerful: {} })
    .describe("each tier: a model name for the default agent, or { agent, model, env } (no model: the agent's map)"),
  autoMode: AutoModeSchema.prefault({}),
  routing: RoutingSchema.prefault({}),
  execution: ExecutionSchema.prefault({}),
  quality: QualitySchema.prefault({}),
  security: SecuritySchema.prefault({}),
  plugins: PluginsSchema.prefault({}),
  interaction: InteractionSchema.prefault({}),
  agents: z
    .strictObject({
      claude: ClaudeConfigSchema.prefault({}),
      codex: CodexConfigSchema.prefault({}),
      opencode: OpencodeConfigSchema.prefault({}),
      gemini: GeminiConfigSchema.prefault({}),
    } satisfies Record<AgentName, z.ZodType>)
    .prefault({}),
});

export type NaxConfig = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function defaultConfig(): NaxConfig {
  return ConfigSchema.parse({});
}

/** A story's own choice (prd.json `agent`, `model`): it wins over its tier's. */
export interface AgentPin {
  agent?: AgentName;
  model?: string;
}

export interface TierChoice {
  agent: AgentName;
  model: string;
  env: Record<string, string>;
}

/**
 * Which agent and model a tier's session runs on. The agent: the pin's, else
 * the tier's, else `autoMode.defaultAgent`; `agent` forces one (a fallback).
 * The model: the pin's, else the tier's own model when the tier is for this
 * agent (a plain string is for the default agent), else the agent's map, else
 * the tier's name as a model.
 */
export function tierChoice(config: NaxConfig, tier: string, pin: AgentPin = {}, agent?: AgentName): TierChoice {
  const raw = Object.hasOwn(config.models, tier) ? config.models[tier] : undefined;
  const spec = typeof raw === "string" ? { model: raw } : (raw ?? {});
  const tierAgent = spec.agent ?? config.autoMode.defaultAgent;
  const chosen = agent ?? pin.agent ?? tierAgent;
  const env = spec.env ?? {};
  if (pin.model !== undefined && (pin.agent ?? tierAgent) === chosen) return { agent: chosen, model: pin.model, env };
  if (spec.model !== undefined && tierAgent === chosen) return { agent: chosen, model: spec.model, env };
  const map = config.agents[chosen].models;
  return { agent: chosen, model: Object.hasOwn(map, tier) ? (map[tier] as string) : tier, env };
}

export function modelForTier(config: NaxConfig, tier: string): { model: string; env: Record<string, string> } {
  const { model, env } = tierChoice(config, tier);
  return { model, env };
}
