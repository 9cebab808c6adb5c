/**
 * The plugin API: what a plugin module's default export must look like,
 * checked on load with a zod shape (a plugin is someone else's code: its
 * shape is input). A plugin has a name and any of four extension points:
 * `reporter` (an object of optional async functions, one per event type or
 * `*`, each given the redacted event envelope), `reviewer` (an extra review
 * gate with its own repair text for the agent), `context` (text added to
 * every story prompt's context) and `router` (routing decisions behind the
 * Router port). `configSchema` (any object with `safeParse`, e.g. a zod
 * schema) checks the plugin's own section of config.json,
 * `plugins.settings.<name>`. examples/plugins/ has one to copy.
 */
import { z } from "zod";
import { EVENT_TYPES } from "../events/events";
import type { Complexity } from "../prd/schema";

export const PLUGIN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** The event as a reporter sees it: the envelope of `nax logs --json`, secrets redacted. */
export interface PluginEvent {
  v: number;
  type: string;
  runId: string;
  seq: number;
  at: string;
  message: string;
  storyId?: string;
  data: Record<string, unknown>;
}

/** What each extension point is called with besides its own input: the plugin's checked settings. */
export interface PluginContext {
  settings: unknown;
  signal: AbortSignal;
}

export type ReporterHook = (event: PluginEvent, context: PluginContext) => void | Promise<void>;

export interface PluginReviewInput {
  /** The attempt's worktree. */
  cwd: string;
}

export interface PluginReviewResult {
  passed: boolean;
  /** What the gate found, shown in the log and the failure's summary. */
  output?: string;
  /** What the agent is told to do about it (the autofix prompt); defaults to `output`. */
  repair?: string;
}

export interface PluginContextInput {
  storyId: string;
  title: string;
  feature: string;
  workdir: string;
}

export interface PluginRouteInput {
  storyId: string;
  title: string;
  description?: string;
  acceptanceCriteria: readonly string[];
}

export interface PluginRouteDecision {
  complexity: Complexity;
  testStrategy?: string;
  reasoning?: string;
}

export interface NaxPlugin {
  name: string;
  version?: string;
  configSchema?: { safeParse(value: unknown): { success: boolean; data?: unknown; error?: unknown } };
  reporter?: Partial<Record<string, ReporterHook>>;
  reviewer?: { review(input: PluginReviewInput, context: PluginContext): Promise<PluginReviewResult> };
  context?: { provide(input: PluginContextInput, context: PluginContext): Promise<string | undefined> };
  /** Undefined for a story leaves it to the configured router. */
  router?: { route(input: PluginRouteInput, context: PluginContext): Promise<PluginRouteDecision | undefined> };
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", `${what} must be a function`);
const REPORTER_KEYS = [...EVENT_TYPES, "*"] as const;

export const PluginShapeSchema = z.strictObject({
  name: z.string().regex(PLUGIN_NAME_PATTERN, "must be lower-case letters, digits, '.', '_' or '-'"),
  version: z.string().optional(),
  configSchema: z
    .custom<NonNullable<NaxPlugin["configSchema"]>>(
      (v) => typeof v === "object" && v !== null && typeof (v as { safeParse?: unknown }).safeParse === "function",
      "must be a schema with safeParse (e.g. a zod schema)",
    )
    .optional(),
  reporter: z
    .strictObject(Object.fromEntries(REPORTER_KEYS.map((key) => [key, fn(`reporter["${key}"]`).optional()])))
    .optional(),
  reviewer: z.looseObject({ review: fn("reviewer.review") }).optional(),
  context: z.looseObject({ provide: fn("context.provide") }).optional(),
  router: z.looseObject({ route: fn("router.route") }).optional(),
});

export type ExtensionPoint = "reporter" | "reviewer" | "context" | "router";
export const EXTENSION_POINTS: readonly ExtensionPoint[] = ["reporter", "reviewer", "context", "router"];
