import { guardFormula } from './formula-guard.ts';
import type { ReportCell, ReportTable } from './report-table.ts';

// Excel opens a CSV as UTF-8 only when it starts with a BOM; without it accents turn to mojibake.
const UTF8_BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * `results.csv` as Excel on Windows reads it best: UTF-8 with a BOM, commas, CRLF line ends,
 * RFC 4180 quoting, and formula-looking text made inert (see formula-guard.ts).
 */
export function renderReportCsv(table: ReportTable): Buffer {
  const lines = [table.headers, ...table.rows].map((cells) => cells.map(csvField).join(','));
  return Buffer.from(`${UTF8_BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}

function csvField(cell: ReportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = guardFormula(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
