/**
 * Which environment variables are secrets, and the redactor that replaces
 * their VALUES in anything nax writes or prints (trap 30, docs/traps.md):
 * redacting by key name alone let a key's value inside agent or test output
 * reach prd.json and git. Pure: built once per process (and once per run,
 * with the configured names) from `sys.env`. It works on text, not objects:
 * applied to what is written (JSON included, in its escaped form), so a field
 * nobody thought of is covered as well.
 */

export const REDACTED = "[redacted]";

/** `*KEY*`, `*TOKEN*`, `*SECRET*`, `*PASSWORD*`/`*PASSWD*`, `*CREDENTIAL*`, case-insensitive. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

/**
 * Names that hold WHERE a secret is (`AWS_SHARED_CREDENTIALS_FILE`, `SSH_KEY_PATH`), not the secret: the value is a
 * path, and redacting it would blank the workdir and the paths nax records in its own state files.
 */
const LOCATION_NAME = /_(FILE|PATH|DIR|DIRS)$/i;

/**
 * Values shorter than this are never redacted: `TOKENIZERS_PARALLELISM=false` or `KEY_COUNT=1` are flags, not
 * credentials, and replacing "false" or "passed" everywhere would corrupt nax's own JSON and its status words.
 * Real keys and tokens are far longer.
 */
export const MIN_SECRET_LENGTH = 8;

/** Digits alone (with `.`/`-`) cannot be told from the counts, durations and costs nax writes; redacting one inside a JSON number would corrupt the file. */
const NUMERIC = /^[\d.-]+$/;

export type Env = Readonly<Record<string, string | undefined>>;

/** True for a name that looks secret, or one the user listed (`security.redactEnvNames`, exact names). */
export function isSecretName(name: string, extraNames: readonly string[] = []): boolean {
  if (extraNames.includes(name)) return true;
  return SECRET_NAME.test(name) && !LOCATION_NAME.test(name);
}

export interface Redactor {
  /** `text` with every secret value (raw, JSON-escaped or URL-encoded) replaced by `[redacted]`. */
  text(text: string): string;
  /** How many distinct values are redacted (0: the redactor is the identity). */
  readonly size: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Inside a JSON string: `"` and `\` escaped, control characters as `\n` or `\uXXXX`. */
function jsonForm(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The forms a value takes in what nax writes: as is, inside a JSON string (twice, for JSON text quoted in
 * JSON, like an event line holding a hook's output), inside a URL.
 */
function formsOf(value: string): string[] {
  const forms = new Set([value, jsonForm(value), jsonForm(jsonForm(value))]);
  try {
    forms.add(encodeURIComponent(value));
  } catch (error) {
    // A lone surrogate cannot be URL-encoded; its raw and JSON forms are still redacted.
    if (!(error instanceof URIError)) throw error;
  }
  return [...forms];
}

/** The values to redact: those of secret-named variables in the environments, skipping short and numeric ones. */
export function secretValues(envs: Env | readonly Env[], extraNames: readonly string[] = []): string[] {
  const values = new Set<string>();
  const list = (Array.isArray(envs) ? envs : [envs]) as readonly Env[];
  for (const env of list) {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH || NUMERIC.test(value)) continue;
      if (isSecretName(name, extraNames)) values.add(value);
    }
  }
  return [...values];
}

/** `envs`: nax's environment, and any other whose values may appear in output (a model tier's `env`). */
export function createRedactor(envs: Env | readonly Env[], extraNames: readonly string[] = []): Redactor {
  const values = secretValues(envs, extraNames);
  const forms = [...new Set(values.flatMap(formsOf))];
  // Longest first: a secret that contains another is replaced whole, not around the shorter one.
  forms.sort((a, b) => b.length - a.length);
  const pattern = forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join("|"), "g");
  const text = (input: string) => (pattern === undefined ? input : input.replace(pattern, REDACTED));
  return { text, size: values.length };
}
