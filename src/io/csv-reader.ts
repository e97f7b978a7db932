import { CsvError, parse } from 'csv-parse/sync';
import { CoupaDlError } from '../domain/errors.ts';
import { decodeText, type TextEncodingName } from './text-encoding.ts';
import { isBlankRow, type SheetTable, type SheetTableRow } from './sheet-table.ts';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvTable extends SheetTable {
  readonly delimiter: CsvDelimiter;
  readonly encoding: TextEncodingName;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

const SAVE_AGAIN = 'Open it in Excel and save it again as "CSV UTF-8 (comma delimited)" or "Excel Workbook (.xlsx)".';

/**
 * Reads CSV bytes in any of the encodings Excel writes. The delimiter is the one used most in
 * the header line: `;` where the decimal separator is a comma, TAB in Excel's "Unicode text".
 * A file that is not text, a quote that never closes and rows split by another delimiter than
 * the header's stop with INPUT_UNREADABLE, naming the row: reading on would turn them into
 * wrong PO numbers without a word.
 */
export function readCsvTable(bytes: Uint8Array, name = 'the CSV file'): CsvTable {
  const decoded = decodeText(bytes);
  const { encoding } = decoded;
  refuseBinary(decoded.text, name);
  // Excel writes and honours a first line `sep=;` naming the delimiter; it is not a row.
  const directive = /^sep=([,;\t])\r?\n/i.exec(decoded.text);
  const text = directive === null ? decoded.text : decoded.text.slice(directive[0].length);
  const delimiter = (directive?.[1] as CsvDelimiter | undefined) ?? detectDelimiter(text);
  let records: unknown;
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      // A stray quote inside an unquoted cell (`12" pipe`) is text, not a syntax error.
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const offset = directive === null ? 0 : 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = unclosedQuoteLine(text, delimiter) + offset;
      throw new CoupaDlError('INPUT_UNREADABLE', `Line ${line} of ${name} opens a quote (") that is never closed, so the rest of the file would be read as one cell.`, {
        cause: error,
        hint: `Remove that quote or close it, or ${SAVE_AGAIN.charAt(0).toLowerCase()}${SAVE_AGAIN.slice(1)}`,
      });
    }
    throw new CoupaDlError('INPUT_UNREADABLE', `${name} is not a CSV file that can be read (line ${(typeof error.lines === 'number' ? error.lines : 0) + offset}: ${error.message.replace(/^[^:]*:\s*/, '')}).`, { cause: error, hint: SAVE_AGAIN });
  }
  const rows: SheetTableRow[] = [];
  if (Array.isArray(records)) {
    // Each record is one Excel row, even when a quoted cell spans several lines.
    records.forEach((record: unknown, index) => {
      const cells = Array.isArray(record) ? record.map(String) : [];
      if (!isBlankRow(cells)) rows.push({ rowNumber: index + 1, cells });
    });
  }
  refuseMixedDelimiters(text, delimiter, name, directive === null ? 0 : 1);
  return { rows, delimiter, encoding };
}

/** Control characters (other than TAB, CR, LF) in the first 64 KB: a binary file renamed `.csv`. */
function refuseBinary(text: string, name: string): void {
  const sample = text.slice(0, 65_536);
  let control = 0;
  for (let index = 0; index < sample.length; index += 1) {
    const code = sample.charCodeAt(index);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) control += 1;
  }
  if (control > 0 && (sample.includes('\u0000') || control > Math.max(2, sample.length / 200))) {
    throw new CoupaDlError('INPUT_UNREADABLE', `${name} does not look like a text file: it holds binary data (${control} control characters in its first ${sample.length} characters).`, {
      hint: `Check that this is your PO list. ${SAVE_AGAIN}`,
    });
  }
}

/** The line where the quote that never closes was opened (a quote opens only at the start of a cell). */
function unclosedQuoteLine(text: string, delimiter: CsvDelimiter): number {
  let line = 1;
  let openedAt = 1;
  let inQuotes = false;
  let cellStart = true;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inQuotes) {
      if (char === '"') {
        if (text[index + 1] === '"') index += 1;
        else inQuotes = false;
      } else if (char === '\n') line += 1;
      continue;
    }
    if (char === '"' && cellStart) {
      inQuotes = true;
      openedAt = line;
    }
    if (char === '\n') line += 1;
    cellStart = char === delimiter || char === '\n' || char === '\r';
  }
  return openedAt;
}

/**
 * Rows split by another delimiter than the header (`;` in the header, `,` below, from two
 * exports pasted together): such a row has none of the header's delimiter but another one.
 */
function refuseMixedDelimiters(text: string, delimiter: CsvDelimiter, name: string, offset: number): void {
  const lines = text.split(/\r?\n/);
  const outsideQuotes = (line: string): string => line.replace(/"(?:[^"]|"")*"/g, '');
  const header = outsideQuotes(lines[0] ?? '');
  if (!header.includes(delimiter)) return;
  const others = DELIMITERS.filter((candidate) => candidate !== delimiter);
  const mixed: number[] = [];
  lines.slice(1).forEach((line, index) => {
    const bare = outsideQuotes(line);
    if (bare.trim() !== '' && !bare.includes(delimiter) && others.some((other) => bare.includes(other))) mixed.push(index + 2 + offset);
  });
  if (mixed.length === 0) return;
  const shown = (d: CsvDelimiter): string => (d === '\t' ? 'TAB' : `\`${d}\``);
  const found = [...new Set(mixed.flatMap((number) => others.filter((other) => outsideQuotes(lines[number - 1 - offset] ?? '').includes(other))))].map(shown).join(' or ');
  throw new CoupaDlError('INPUT_UNREADABLE', `${name} mixes delimiters: its header is split by ${shown(delimiter)} but line${mixed.length === 1 ? '' : 's'} ${mixed.slice(0, 10).join(', ')}${mixed.length > 10 ? ` and ${mixed.length - 10} more` : ''} by ${found}.`, {
    hint: `Use one delimiter throughout. ${SAVE_AGAIN}`,
  });
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
