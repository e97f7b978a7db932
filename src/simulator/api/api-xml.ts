import { isJsonObject, type JsonValue } from './json-value.ts';

/**
 * The XML form of an answer, as Coupa's "Differences between XML and JSON" page shows it: a
 * root element named after the record (`<order-header>`), lists as `<attachments type="array">`
 * holding one element per item, typed scalars (`type="integer"`, `type="boolean"`,
 * `type="dateTime"`) and `nil="true"` for nulls.
 */
export function toXml(rootName: string, value: JsonValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(rootName, value)}\n`;
}

/** `<errors><error>…</error></errors>`, the error body of Coupa's docs. */
export function xmlErrors(messages: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n${messages.map((message) => `  <error>${escapeXml(message)}</error>`).join('\n')}\n</errors>\n`;
}

function element(name: string, value: JsonValue): string {
  if (value === null) return `<${name} nil="true"/>`;
  if (Array.isArray(value)) {
    const item = singular(name);
    return `<${name} type="array">${value.map((entry) => element(item, entry)).join('')}</${name}>`;
  }
  if (isJsonObject(value)) return `<${name}>${Object.entries(value).map(([key, entry]) => element(key, entry)).join('')}</${name}>`;
  if (typeof value === 'number') return `<${name} type="${Number.isInteger(value) ? 'integer' : 'decimal'}">${String(value)}</${name}>`;
  if (typeof value === 'boolean') return `<${name} type="boolean">${String(value)}</${name}>`;
  const type = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(value) ? ' type="dateTime"' : '';
  return `<${name}${type}>${escapeXml(value)}</${name}>`;
}

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('ses')) return name.slice(0, -2);
  return name.endsWith('s') ? name.slice(0, -1) : `${name}-item`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}
