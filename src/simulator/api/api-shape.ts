import { isJsonObject, type JsonObject, type JsonValue } from './json-value.ts';

/**
 * `fields=[…]` and `return_object=` as Coupa's "API Return Formats" page describes them:
 * - `fields` is JSON: names of attributes, and `{ association: [names] }` for nested records,
 *   e.g. `["id","po-number",{"supplier":["name"]}]`. Names match with `-` or `_`.
 * - `return_object=limited`: only ids. `shallow`: every attribute of the record, and only the
 *   ids and natural keys of its one-deep associations.
 */
export type FieldSpec = readonly (string | { readonly [association: string]: FieldSpec })[];

export type ReturnObject = 'full' | 'limited' | 'shallow';

export type Shape = { readonly kind: 'fields'; readonly fields: FieldSpec } | { readonly kind: 'return'; readonly returnObject: ReturnObject };

/** Natural keys kept on associations of a shallow record. */
const NATURAL_KEYS = new Set(['id', 'name', 'number', 'code', 'login', 'email', 'po-number', 'line-num']);

/** The shape asked for by the query string, or a problem in words (answered with 400). */
export function shapeFromQuery(query: URLSearchParams): Shape | { readonly problem: string } {
  const fields = query.get('fields');
  if (fields !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields);
    } catch {
      return { problem: `fields must be a JSON array, got ${fields}` };
    }
    if (!isFieldSpec(parsed)) return { problem: `fields must be a JSON array of names and {"association":[names]} objects, got ${fields}` };
    return { kind: 'fields', fields: parsed };
  }
  const returnObject = query.get('return_object');
  if (returnObject === null || returnObject === '') return { kind: 'return', returnObject: 'full' };
  if (returnObject === 'limited' || returnObject === 'shallow') return { kind: 'return', returnObject };
  return { problem: `return_object must be limited or shallow on a query, got ${returnObject}` };
}

export function applyShape(record: JsonObject, shape: Shape): JsonObject {
  if (shape.kind === 'fields') return pick(record, shape.fields);
  switch (shape.returnObject) {
    case 'full':
      return record;
    case 'limited':
      return { id: record.id ?? null };
    case 'shallow':
      return shallow(record);
    default: {
      const unknown: never = shape.returnObject;
      throw new Error(`Unknown return_object ${String(unknown)}.`);
    }
  }
}

function pick(record: JsonObject, fields: FieldSpec): JsonObject {
  const out: JsonObject = {};
  for (const entry of fields) {
    if (typeof entry === 'string') {
      const key = keyOf(record, entry);
      if (key !== undefined) out[key] = record[key] ?? null;
      continue;
    }
    for (const [name, nested] of Object.entries(entry)) {
      const key = keyOf(record, name);
      if (key === undefined) continue;
      out[key] = pickValue(record[key] ?? null, nested);
    }
  }
  return out;
}

function pickValue(value: JsonValue, fields: FieldSpec): JsonValue {
  if (Array.isArray(value)) return value.map((item) => pickValue(item, fields));
  if (isJsonObject(value)) return pick(value, fields);
  return value;
}

function shallow(record: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) out[key] = value.map((item) => (isJsonObject(item) ? naturalKeys(item) : item));
    else if (isJsonObject(value)) out[key] = naturalKeys(value);
    else out[key] = value;
  }
  return out;
}

function naturalKeys(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([key, value]) => NATURAL_KEYS.has(key) && !isJsonObject(value) && !Array.isArray(value)));
}

/** The record's key for a field name written with `-` or `_`. */
function keyOf(record: JsonObject, name: string): string | undefined {
  const wanted = name.replaceAll('_', '-');
  return Object.keys(record).find((key) => key.replaceAll('_', '-') === wanted);
}

function isFieldSpec(value: unknown): value is FieldSpec {
  if (!Array.isArray(value)) return false;
  return value.every((entry: unknown) => {
    if (typeof entry === 'string') return true;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
    return Object.values(entry as Record<string, unknown>).every((nested) => isFieldSpec(nested));
  });
}
