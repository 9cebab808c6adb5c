/**
 * `nax config --explain`, pure: every leaf key of the config schema with its
 * effective value, the layer that set it (the last layer whose file names
 * the key, else the default) and the description the schema carries. Records
 * (`models`) are explained per entry, since layers merge them key by key.
 */
import type { z } from "zod";
import type { ConfigLayer } from "./load";
import { ConfigSchema, type NaxConfig } from "./schema";

export interface SchemaLeaf {
  /** Dotted path; a record's entries are `<path>.<key>`. */
  path: string;
  description: string | undefined;
  /** A record: its entries are the leaves. */
  record: boolean;
}

export interface ExplainedKey {
  key: string;
  value: unknown;
  /** "default", a config file's path, or "command-line flags". */
  source: string;
  description: string;
}

type AnySchema = z.ZodType & { description?: string };

interface Def {
  type: string;
  innerType?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly"]);

/** Every leaf of the schema: objects are walked through their defaults and optionals, the rest are leaves. */
export function schemaLeaves(schema: AnySchema = ConfigSchema as unknown as AnySchema, prefix = ""): SchemaLeaf[] {
  let inner = schema;
  let description = schema.description;
  while (WRAPPERS.has(defOf(inner).type) && defOf(inner).innerType) {
    inner = defOf(inner).innerType as AnySchema;
    description ??= inner.description;
  }
  const type = defOf(inner).type;
  if (type === "object") {
    const shape = (inner as unknown as { shape: Record<string, AnySchema> }).shape;
    return Object.entries(shape).flatMap(([key, child]) => schemaLeaves(child, prefix ? `${prefix}.${key}` : key));
  }
  return [{ path: prefix, description, record: type === "record" }];
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function sourceOf(layers: readonly ConfigLayer[], path: readonly string[]): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i] as ConfigLayer;
    if (valueAt(layer.values, path) !== undefined) return layer.source;
  }
  return "default";
}

export function explainConfig(config: NaxConfig, layers: readonly ConfigLayer[]): ExplainedKey[] {
  const out: ExplainedKey[] = [];
  for (const leaf of schemaLeaves()) {
    const path = leaf.path.split(".");
    const description = leaf.description ?? "";
    const value = valueAt(config, path);
    if (leaf.record && typeof value === "object" && value !== null) {
      for (const [key, entry] of Object.entries(value)) {
        out.push({ key: `${leaf.path}.${key}`, value: entry, source: sourceOf(layers, [...path, key]), description });
      }
      continue;
    }
    out.push({ key: leaf.path, value, source: sourceOf(layers, path), description });
  }
  return out;
}
