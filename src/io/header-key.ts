/**
 * Headers are matched the way people actually type them: `PO_NUMBER`, `po number`,
 * `Po-Number` and `PONumber` all name the same column.
 */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The index of the first header that matches `name`, or -1. */
export function findHeader(headers: readonly string[], name: string): number {
  const key = headerKey(name);
  return headers.findIndex((header) => headerKey(header) === key);
}

/** The header of a column that starts the folder-level columns (the earlier tool's marker). */
export const HIERARCHY_MARKER = '<|>';

/** Spreadsheet column letters for a 0-based index: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}
