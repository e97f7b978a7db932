/**
 * Spreadsheet formula injection: a cell that starts with `=`, `+`, `-` or `@` (or a TAB/CR
 * before one) is run as a formula when Excel opens a CSV, and supplier names, file names and
 * error texts come from Coupa or the sheet, not from us. The CSV gets a leading `'` on such
 * cells, which Excel shows as text; plain numbers like `-3` or `+1.5` are left alone.
 * https://owasp.org/www-community/attacks/CSV_Injection
 * The XLSX needs no prefix: its cells are written as typed strings, which Excel never evaluates.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

export function guardFormula(text: string): string {
  if (!FORMULA_START.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}
