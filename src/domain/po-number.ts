/**
 * How a PO number written in the sheet maps to the numeric id of `/order_headers/<id>`.
 * A setting: customers put their own prefixes in front of the id (`PO15262984`, `US0158122`).
 */
export interface PoPrefixRule {
  /** Prefixes stripped from the front of a PO number, matched ignoring case (e.g. `PO`, `PM`, `US`). */
  readonly prefixes: readonly string[];
  /** How many digits must follow the prefix, counted as written (leading zeros count). */
  readonly minDigits: number;
}

/** The earlier tool's rule, which users are used to: an optional `PO`/`PM` and at least 6 digits. */
export const DEFAULT_PO_PREFIX_RULE: PoPrefixRule = { prefixes: ['PO', 'PM'], minDigits: 6 };

export type ParsedPoNumber =
  | { readonly ok: true; readonly poNumber: string; readonly poId: string }
  | { readonly ok: false; readonly poNumber: string; readonly problem: string };

// Excel and copy-paste leave invisible characters that String#trim keeps (zero-width space, BOM).
const EDGE_INVISIBLES = /^(?:\s|\u200B|\u200C|\u200D|\u2060)+|(?:\s|\u200B|\u200C|\u200D|\u2060)+$/g;

const MAX_ID_DIGITS = 19;

/** A cell as shown in a message: long ones cut, so a pasted page does not fill the screen. */
function shown(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 40)}… (${text.length} characters)`;
}

// A prefix may be followed by one separator, as people type `PO 15262984` or `PO-15262984`.
const AFTER_PREFIX = /^[ _-]?(\d+)$/;

/**
 * Parses one PO number cell. The prefix is optional (by default the PO number is the id itself).
 * Leading zeros after the prefix are dropped from the id, as the reference says
 * (`US0158122` opens `/order_headers/158122`); the PO number itself is kept as written, trimmed.
 */
export function parsePoNumber(raw: string, rule: PoPrefixRule): ParsedPoNumber {
  const poNumber = raw.replace(EDGE_INVISIBLES, '');
  if (poNumber === '') {
    return { ok: false, poNumber, problem: `The PO_NUMBER cell is empty; expected a PO number like ${example(rule)}.` };
  }
  const digits = digitsAfterPrefix(poNumber, rule);
  if (digits === null) return { ok: false, poNumber, problem: unexpectedShape(poNumber, rule) };
  if (digits.length < rule.minDigits) {
    return { ok: false, poNumber, problem: `${expectation(rule)}, got \`${poNumber}\` (only ${digits.length} digits).` };
  }
  const poId = digits.replace(/^0+/, '');
  if (poId === '') return { ok: false, poNumber, problem: `${expectation(rule)}, got \`${poNumber}\` (all zeros).` };
  // Coupa's ids are database integers: a longer number is a pasted cell, not a PO (and would make an address too long to open).
  if (poId.length > MAX_ID_DIGITS) return { ok: false, poNumber, problem: `${expectation(rule)}, got \`${shown(poNumber)}\` (${digits.length} digits; a Coupa id has at most ${MAX_ID_DIGITS}).` };
  return { ok: true, poNumber, poId };
}

function digitsAfterPrefix(poNumber: string, rule: PoPrefixRule): string | null {
  if (/^\d+$/.test(poNumber)) return poNumber;
  const upper = poNumber.toUpperCase();
  // Longest prefix first, so `POX` wins over `PO` when both are configured.
  const prefixes = [...rule.prefixes].sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (prefix === '' || !upper.startsWith(prefix.toUpperCase())) continue;
    const match = AFTER_PREFIX.exec(poNumber.slice(prefix.length));
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

function unexpectedShape(poNumber: string, rule: PoPrefixRule): string {
  const letters = /^([A-Za-z]{1,12})[ _-]?\d{1,40}$/.exec(poNumber)?.[1];
  const base = `${expectation(rule)}, got \`${shown(poNumber)}\``;
  if (letters === undefined) return `${base}.`;
  return `${base}; if \`${letters.toUpperCase()}\` is your company's prefix, add it with \`--po-prefixes\` (or COUPA_PO_PREFIXES), i.e. \`--po-prefixes ${[...rule.prefixes, letters.toUpperCase()].join(',')}\`.`;
}

function expectation(rule: PoPrefixRule): string {
  return `Expected a PO number like ${example(rule)} (${prefixWords(rule)} and at least ${rule.minDigits} digits)`;
}

function prefixWords(rule: PoPrefixRule): string {
  const names = rule.prefixes.filter((prefix) => prefix !== '').map((prefix) => prefix.toUpperCase());
  if (names.length === 0) return 'no prefix';
  return `an optional ${names.join('/')} prefix`;
}

function example(rule: PoPrefixRule): string {
  const prefix = rule.prefixes.find((candidate) => candidate !== '')?.toUpperCase() ?? '';
  const digits = '15262984'.padStart(rule.minDigits, '1');
  return `${prefix}${digits}`;
}
