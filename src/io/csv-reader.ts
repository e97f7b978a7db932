import { parse } from 'csv-parse/sync';
import { decodeText, type TextEncodingName } from './text-encoding.ts';
import { isBlankRow, type SheetTable, type SheetTableRow } from './sheet-table.ts';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvTable extends SheetTable {
  readonly delimiter: CsvDelimiter;
  readonly encoding: TextEncodingName;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * Reads CSV bytes in any of the encodings Excel writes. The delimiter is the one used most in
 * the header line: `;` where the decimal separator is a comma, TAB in Excel's "Unicode text".
 */
export function readCsvTable(bytes: Uint8Array): CsvTable {
  const decoded = decodeText(bytes);
  const { encoding } = decoded;
  // Excel writes and honours a first line `sep=;` naming the delimiter; it is not a row.
  const directive = /^sep=([,;\t])\r?\n/i.exec(decoded.text);
  const text = directive === null ? decoded.text : decoded.text.slice(directive[0].length);
  const delimiter = (directive?.[1] as CsvDelimiter | undefined) ?? detectDelimiter(text);
  const records: unknown = parse(text, {
    delimiter,
    relax_column_count: true,
    // A stray quote inside an unquoted cell (`12" pipe`) is text, not a syntax error.
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const rows: SheetTableRow[] = [];
  if (Array.isArray(records)) {
    // Each record is one Excel row, even when a quoted cell spans several lines.
    records.forEach((record: unknown, index) => {
      const cells = Array.isArray(record) ? record.map(String) : [];
      if (!isBlankRow(cells)) rows.push({ rowNumber: index + 1, cells });
    });
  }
  return { rows, delimiter, encoding };
}

/** Counts each candidate in the first non-empty line, outside quotes; `,` when none appears. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let inQuotes = false;
  let seenContent = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === '\n' || char === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(char as CsvDelimiter)) {
      const delimiter = char as CsvDelimiter;
      counts.set(delimiter, (counts.get(delimiter) ?? 0) + 1);
      seenContent = true;
    } else if (char.trim() !== '') seenContent = true;
  }
  let best: CsvDelimiter = ',';
  for (const delimiter of DELIMITERS) {
    if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  }
  return best;
}
