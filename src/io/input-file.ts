import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';
import { readCsvTable } from './csv-reader.ts';
import { readXlsxTable } from './xlsx-reader.ts';
import type { SheetTable } from './sheet-table.ts';

export interface InputTable extends SheetTable {
  /** Names the sheet in messages: "orders.csv" or "sheet `PO_Data` of orders.xlsx". */
  readonly where: string;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// Old binary Excel (.xls) and password-protected .xlsx are both OLE compound files.
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const TEXT_EXTENSIONS = new Set(['.csv', '.txt']);
const WORKBOOK_EXTENSIONS = new Set(['.xlsx', '.xlsm']);

/**
 * Reads the user's PO file into a grid of text. The type comes from the extension, but the bytes
 * win when they disagree (a workbook renamed to .csv is still read as a workbook).
 */
export async function readInputTable(path: string): Promise<InputTable> {
  const name = basename(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.xls') throw oldExcel(name);
  if (!TEXT_EXTENSIONS.has(extension) && !WORKBOOK_EXTENSIONS.has(extension)) {
    throw new CoupaDlError('INPUT_UNREADABLE', `Expected a .csv, .txt, .xlsx or .xlsm file, got \`${name}\`.`, {
      hint: 'Save the PO list from Excel as "Excel Workbook (.xlsx)" or "CSV UTF-8".',
    });
  }
  const bytes = await readBytes(path);
  if (startsWith(bytes, OLE_MAGIC)) throw oldExcel(name);
  if (startsWith(bytes, ZIP_MAGIC)) return readWorkbook(bytes, name);
  if (WORKBOOK_EXTENSIONS.has(extension)) {
    throw new CoupaDlError('INPUT_UNREADABLE', `Expected ${name} to be an Excel workbook, but it is not one.`, {
      hint: 'Open it in Excel and save it again as "Excel Workbook (.xlsx)", or give it the right extension (.csv).',
    });
  }
  return { ...readCsvTable(bytes, name), where: name };
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CoupaDlError('INPUT_UNREADABLE', `No input file at ${path}.`, { cause: error, hint: 'Check the path and the file name.' });
    }
    if (code === 'EISDIR') {
      throw new CoupaDlError('INPUT_UNREADABLE', `Expected a file, but ${path} is a folder.`, { cause: error });
    }
    const why = code === 'EBUSY' || code === 'EPERM' || code === 'EACCES' ? 'it is locked or not readable' : String(code);
    throw new CoupaDlError('INPUT_UNREADABLE', `Could not read ${path} (${why}).`, {
      cause: error,
      hint: 'Close the file in Excel (or any other program) and run again.',
    });
  }
}

async function readWorkbook(bytes: Buffer, name: string): Promise<InputTable> {
  try {
    const table = await readXlsxTable(bytes);
    return { ...table, where: `sheet \`${table.sheetName}\` of ${name}` };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CoupaDlError('INPUT_UNREADABLE', `Could not read ${name} as an Excel workbook (${detail}).`, {
      cause: error,
      hint: 'The file may be damaged: open it in Excel and save it again as .xlsx or CSV UTF-8.',
    });
  }
}

function oldExcel(name: string): CoupaDlError {
  return new CoupaDlError(
    'INPUT_UNREADABLE',
    `Cannot read ${name}: it is an old-format (.xls) or password-protected Excel file.`,
    { hint: 'Open it in Excel, remove any password, and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".' },
  );
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}
