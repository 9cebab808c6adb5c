/**
 * A tiny JSON Schema checker for the keywords `nax schema` emits (type,
 * properties, required, additionalProperties, items, enum, const, oneOf,
 * anyOf, string/number/array bounds, propertyNames). Tests use it to check
 * that the generated JSON Schema itself, not the zod schema behind it,
 * accepts real files and rejects wrong ones. Unknown keywords fail loudly so
 * a schema using more than this checks is noticed, not passed.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema",
  "title",
  "description",
  "default",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "minItems",
  "propertyNames",
  // An annotation in JSON Schema 2020-12 (validators need not check it); the zod schema behind it does.
  "format",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(wanted: string, value: unknown): boolean {
  const actual = typeOf(value);
  return wanted === actual || (wanted === "number" && actual === "integer");
}

/** Every problem found, as `path: what`; empty when the value is valid. */
export function checkJsonSchema(schema: Schema, value: unknown, path = "$"): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported keyword ${key} at ${path}`);
  const errors: string[] = [];
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length > 0 && !types.some((t) => typeMatches(t, value))) {
    return [`${path}: expected ${types.join("|")}, got ${typeOf(value)}`];
  }
  if ("const" in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not one of ${schema.enum}`);
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) errors.push(`${path}: too short`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${path}: too long`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      errors.push(`${path}: does not match ${schema.pattern}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      errors.push(`${path}: not above ${schema.exclusiveMinimum}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${path}: too few items`);
    if (schema.items) {
      for (const [i, item] of value.entries())
        errors.push(...checkJsonSchema(schema.items as Schema, item, `${path}[${i}]`));
    }
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in object)) errors.push(`${path}: missing ${key}`);
    }
    for (const [key, item] of Object.entries(object)) {
      const where = `${path}.${key}`;
      if (schema.propertyNames) errors.push(...checkJsonSchema(schema.propertyNames as Schema, key, `${where} (name)`));
      const own = properties[key];
      if (own) errors.push(...checkJsonSchema(own, item, where));
      else if (schema.additionalProperties === false) errors.push(`${where}: not allowed`);
      else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) {
        errors.push(...checkJsonSchema(schema.additionalProperties as Schema, item, where));
      }
    }
  }
  for (const [keyword, needed] of [
    ["oneOf", 1],
    ["anyOf", 0],
  ] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options)) continue;
    const passing = options.filter((option) => checkJsonSchema(option as Schema, value, path).length === 0).length;
    if (keyword === "oneOf" ? passing !== needed : passing === 0) {
      errors.push(`${path}: ${passing} of the ${keyword} options match`);
    }
  }
  return errors;
}
