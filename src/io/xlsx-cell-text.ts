import type { CellValue } from 'exceljs';

/**
 * The text a user sees in an XLSX cell, for any value exceljs reads: whole numbers as plain
 * digits (a PO number 15262984 never becomes `1.5E+7` or `15262984.0`), formulas as their last
 * computed result, rich text joined, hyperlinks as their text, dates as ISO.
 */
export function xlsxCellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return hyperlinkText(value.text);
  if ('error' in value) return value.error;
  // Formula cells (plain or shared): the cached result Excel stored when it last saved.
  return xlsxCellText(value.result ?? null);
}

export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) {
    // String() switches to exponent notation from 1e21 on; BigInt never does.
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  // Excel keeps 15 significant digits; this hides binary noise such as 0.30000000000000004.
  return String(Number(value.toPrecision(15)));
}

/** Date-only values (time 00:00) as `YYYY-MM-DD`, others as `YYYY-MM-DDTHH:MM:SS`. */
export function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  // exceljs hands back the cell's wall-clock time as if it were UTC.
  const iso = value.toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)}T${time}`;
}

// exceljs types a hyperlink's text as a string, but a styled link reads back as rich text.
function hyperlinkText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (typeof text === 'object' && text !== null && 'richText' in text && Array.isArray(text.richText)) {
    return text.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
  }
  return '';
}
