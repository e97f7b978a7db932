import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/**
 * results.csv and results.xlsx as a test reads them: with csv-parse and ExcelJS, not with the
 * tool's own readers, so a fault in src/ cannot hide itself.
 */

export interface ResultsCsv {
  readonly bom: boolean;
  readonly headers: string[];
  /** Data rows as cell arrays, in file order. */
  readonly grid: string[][];
  /** Data rows keyed by header. */
  readonly rows: Record<string, string>[];
}

export interface ResultsCsvOptions {
  /**
   * Read rows with more or fewer cells than the header as they are (extra cells only in `grid`)
   * instead of failing: for a test that judges other things, such as the fuzz run. Default false.
   */
  readonly raggedRows?: boolean;
}

/** The output folder's results.csv, parsed strictly unless `raggedRows`. */
export async function readResultsCsv(outDir: string, options: ResultsCsvOptions = {}): Promise<ResultsCsv> {
  const text = await readFile(join(outDir, 'results.csv'), 'utf8');
  const [headers = [], ...grid] = parse(text, { bom: true, relax_column_count: options.raggedRows ?? false }) as string[][];
  const rows = grid.map((cells) => Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? ''])));
  return { bom: text.startsWith('\uFEFF'), headers, grid, rows };
}

export interface ResultsXlsx {
  /** Each sheet as text cells, header row first. */
  readonly sheets: ReadonlyMap<string, string[][]>;
  /** The Files sheet's rows keyed by header. */
  readonly files: Record<string, string>[];
  /** The Summary sheet as label → value. */
  readonly summary: ReadonlyMap<string, string>;
}

export async function readResultsXlsx(outDir: string): Promise<ResultsXlsx> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(outDir, 'results.xlsx'));
  const sheets = new Map<string, string[][]>();
  workbook.eachSheet((sheet) => {
    const grid: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      grid.push(Array.from({ length: Math.max(values.length, sheet.columnCount) }, (_, i) => cellText(values[i])));
    });
    sheets.set(sheet.name, grid);
  });
  const [fileHeaders = [], ...fileRows] = sheets.get('Files') ?? [];
  const files = fileRows.map((cells) => Object.fromEntries(fileHeaders.map((header, index) => [header, cells[index] ?? ''])));
  const summary = new Map((sheets.get('Summary') ?? []).map((cells): [string, string] => [cells[0] ?? '', cells[1] ?? '']));
  return { sheets, files, summary };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'richText' in value && Array.isArray(value.richText)) return value.richText.map((part: { text: string }) => part.text).join('');
  return JSON.stringify(value);
}
