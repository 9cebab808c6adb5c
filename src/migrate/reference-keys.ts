/**
 * Config keys that the nax reference (0.22.x) wrote and nax does not know:
 * the error for such a key says to run `nax migrate` instead of only
 * "unknown key", and the migrator takes its reasons from here.
 */
import { ConfigSchema } from "../config/schema";

/** Whole sections of the reference's config.json, with why nax has no such section (yet). */
export const REFERENCE_SECTIONS: Record<string, string> = {
  tdd: "nax has no TDD settings yet: the test strategy comes from routing (see the README)",
  constitution: "nax has no constitution file support yet",
  analyze: "nax plans a PRD from spec.md with `nax plan -f <feature>`, which has no settings",
  plan: "`nax plan` takes its tier and cost limit as flags (--tier, --cost-limit); it has no config section",
  review: "nax reviews with quality.commands.lint and quality.commands.typecheck",
  acceptance: "nax has no acceptance-test settings yet",
  context: "nax builds prompt context from each story's contextFiles",
  interaction:
    "nax 0.22's interaction shape cannot be converted: set nax's interaction section by hand (README \"Notifications and questions\")",
};

/**
 * A section name both tools use (nax grew `interaction`, `tdd`, `acceptance`
 * ...) is the reference's only when nax's own schema for it refuses the
 * value: `nax migrate` must never drop a nax section the user wrote.
 */
export function isReferenceSection(section: string, value: unknown): boolean {
  if (!(section in REFERENCE_SECTIONS)) return false;
  const own = (ConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[section];
  return own === undefined || !own.safeParse(value).success;
}

/** The reference's `plugins` was a list of modules; nax's is an object (`packages`, `settings`), so only a list is dropped. */
export const REFERENCE_PLUGIN_LIST_WHY =
  'nax loads plugins from nax/plugins/, $NAX_HOME/plugins/ and plugins.packages; the nax 0.22 plugin list cannot be converted (see README "Plugins")';

/** Single keys the reference knew, by dotted path (`*` matches one segment), with why they go. */
export const REFERENCE_DROPPED_KEYS: Record<string, string> = {
  "autoMode.enabled": "nax always routes each story to a tier; there is no switch",
  "routing.adaptive": "nax has no adaptive routing; routing.strategy picks keyword, llm or manual",
  "routing.llm.mode": "nax routes one call per story",
  "models.*.provider": "nax's agent adapter decides the provider; a tier names only its model",
};

/** Keys the reference kept elsewhere, with their nax place. */
export const REFERENCE_MOVED_KEYS: Record<string, string> = {
  "execution.lintCommand": "quality.commands.lint",
  "execution.typecheckCommand": "quality.commands.typecheck",
  "execution.testCommand": "quality.commands.test",
  "review.commands.lint": "quality.commands.lint",
  "review.commands.typecheck": "quality.commands.typecheck",
  "review.commands.test": "quality.commands.test",
};

function matches(pattern: string, path: string): boolean {
  const want = pattern.split(".");
  const have = path.split(".");
  return want.length === have.length && want.every((part, i) => part === "*" || part === have[i]);
}

/** True when a dotted config path is one the nax reference wrote. */
export function isReferenceKey(path: string, value?: unknown): boolean {
  const top = path.split(".")[0] ?? "";
  if (top === "smartTestRunner") return true;
  if (path === top && top in REFERENCE_SECTIONS) return isReferenceSection(top, value);
  if (path === "execution.smartTestRunner") return true;
  const known = [...Object.keys(REFERENCE_DROPPED_KEYS), ...Object.keys(REFERENCE_MOVED_KEYS)];
  return known.some((pattern) => matches(pattern, path));
}

/** The paths of every reference key in a raw config object (for the loader's hint). */
export function findReferenceKeys(values: Record<string, unknown>, prefix = ""): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (path === "plugins" && Array.isArray(value)) {
      found.push(path);
      continue;
    }
    if (isReferenceKey(path, value)) {
      // A boolean smartTestRunner is the reference's; nax's is an object.
      if (path !== "execution.smartTestRunner" || typeof value === "boolean") found.push(path);
      continue;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      found.push(...findReferenceKeys(value as Record<string, unknown>, path));
    }
  }
  return found;
}
