import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { folderSegment, poFolderName } from '../../src/domain/folder-name.ts';
import type { PoTruth } from '../../src/simulator/index.ts';
import { filesOnDisk, treeEntries, type DiskFile } from './output-tree.ts';
import { readResultsCsv, readResultsXlsx, type ResultsCsv } from './results-files.ts';

/**
 * Compares what a `coupa-dl run` left in its output folder (files on disk, results.csv,
 * results.xlsx) with the simulator's truth. `checkRun` returns every problem found, so a test
 * asserts `deepEqual(problems, [])` and a failure lists them all at once.
 */

/** The report's first columns, written out here (not imported) so a change in src/ shows up. */
export const REPORT_HEADERS = ['PO_NUMBER', 'STATUS', 'SUPPLIER', 'ATTACHMENTS_FOUND', 'ATTACHMENTS_DOWNLOADED', 'AttachmentName', 'LAST_PROCESSED', 'ERROR_MESSAGE', 'DOWNLOAD_FOLDER', 'COUPA_URL'];
const STATUSES = ['COMPLETED', 'PARTIAL', 'FAILED', 'NO_ATTACHMENTS', 'PO_NOT_FOUND', 'ACCESS_DENIED', 'PR_NOT_ACCESSIBLE', 'TIMEOUT', 'INVALID_PO'];
// Statuses whose ERROR_MESSAGE must say what went wrong.
const WITH_MESSAGE = ['PARTIAL', 'FAILED', 'PO_NOT_FOUND', 'ACCESS_DENIED', 'PR_NOT_ACCESSIBLE', 'TIMEOUT', 'INVALID_PO', 'NEEDS_REVIEW'];
// Statuses whose page (or API answers) is kept as evidence (src/coupa/po-filing.ts).
const COPIED = ['NEEDS_REVIEW', 'NO_ATTACHMENTS', 'PARTIAL', 'FAILED', 'PR_NOT_ACCESSIBLE'];
const HALF_WRITTEN = /(^\.part-|\.tmp$|\.part$|\.crdownload$|\.partial$)/;
// Files the tool makes beside the downloads (src/io/made-files.ts): listed in the Files sheet, never attachments.
const MADE_KINDS = ['mail-pdf', 'mail-attachment', 'po-pdf'];

/** What one input row must end as in the report (and on disk). */
export interface ExpectedRow {
  /** The PO_NUMBER cell as the report shows it. */
  readonly poNumber: string;
  readonly status: string;
  /** The row's catalogue PO: its files, counts, folder and URL are then checked against the truth. */
  readonly truth?: PoTruth;
  /** The folders above the PO's folder (the sheet's `<|>` levels); default: the truth's supplier. */
  readonly parents?: readonly string[];
  /** Input cells the report must carry after the standard columns. */
  readonly cells?: Readonly<Record<string, string>>;
}

export interface RunCheck {
  readonly outDir: string;
  readonly baseUrl: string;
  /** The input columns the report repeats after the standard ones, in order. */
  readonly extraColumns: readonly string[];
  readonly rows: readonly ExpectedRow[];
}

/** Every way the output folder differs from what the truth says; `[]` when it is right. */
export async function checkRun(check: RunCheck): Promise<string[]> {
  const problems: string[] = [];
  const csv = await readResultsCsv(check.outDir);
  const disk = await filesOnDisk(check.outDir);
  const folders = await treeEntries(check.outDir, 'folder');
  if (!csv.bom) problems.push('results.csv does not start with a UTF-8 BOM');
  const headers = [...REPORT_HEADERS, ...check.extraColumns, 'SAVED_PAGE'];
  if (csv.headers.join('|') !== headers.join('|')) problems.push(`results.csv columns are ${csv.headers.join(', ')}; expected ${headers.join(', ')}`);
  if (csv.rows.length !== check.rows.length) problems.push(`results.csv has ${csv.rows.length} rows, expected ${check.rows.length}`);

  const made = new Set((await readResultsXlsx(check.outDir)).files.filter((listed) => MADE_KINDS.includes(listed['KIND'] ?? '')).map((listed) => listed['PATH'] ?? ''));
  const accounted = new Set<string>();
  check.rows.forEach((expected, index) => {
    const row = csv.rows[index] ?? {};
    const where = `row ${index + 1} (${expected.poNumber})`;
    const folder = row['DOWNLOAD_FOLDER'] ?? '';
    const inFolder = folder === '' ? [] : disk.filter((file) => file.path.startsWith(`${folder}/`));
    inFolder.forEach((file) => accounted.add(file.path));
    const downloads = inFolder.filter((file) => !made.has(file.path));
    problems.push(...checkRow(check, expected, row, downloads, folders, downloads.length < inFolder.length).map((problem) => `${where}: ${problem}`));
  });

  for (const file of disk) {
    if (!accounted.has(file.path)) problems.push(`${file.path} is on disk but no report row's DOWNLOAD_FOLDER holds it`);
    if (HALF_WRITTEN.test(file.path.split('/').pop() ?? '')) problems.push(`${file.path} looks half-written`);
  }
  for (const folder of folders) if (folder.endsWith('__WORK')) problems.push(`work folder ${folder} was left behind`);
  problems.push(...(await checkWorkbook(check.outDir, csv, disk)));
  return problems;
}

/** `inFolder`: the downloads in the row's folder; `madeFiles`: the folder also holds files made from them (or the PO PDF alone). */
function checkRow(check: RunCheck, expected: ExpectedRow, row: Record<string, string>, inFolder: readonly DiskFile[], folders: readonly string[], madeFiles: boolean): string[] {
  const problems: string[] = [];
  const cell = (name: string): string => row[name] ?? '';
  const expect = (name: string, value: string): void => {
    if (cell(name) !== value) problems.push(`${name} is ${JSON.stringify(cell(name))}, expected ${JSON.stringify(value)}`);
  };
  expect('PO_NUMBER', expected.poNumber);
  expect('STATUS', expected.status);
  for (const [name, value] of Object.entries(expected.cells ?? {})) expect(name, value);
  if (WITH_MESSAGE.includes(expected.status) && cell('ERROR_MESSAGE').trim() === '') problems.push(`${expected.status} without an ERROR_MESSAGE`);
  if (['COMPLETED', 'NO_ATTACHMENTS'].includes(expected.status) && expected.truth) expect('ERROR_MESSAGE', '');
  // Outcomes that are not clean keep a copy of their page; clean ones none.
  if (COPIED.includes(expected.status)) {
    // A browser keeps the page (page.html), the API its answers (api.json).
    const saved = cell('SAVED_PAGE') === '' ? [] : ['page.html', 'api.json'].filter((name) => existsSync(join(check.outDir, cell('SAVED_PAGE'), name)));
    if (saved.length === 0) problems.push(`${expected.status} without a saved page (SAVED_PAGE ${JSON.stringify(cell('SAVED_PAGE'))})`);
  } else if (['COMPLETED', 'PO_NOT_FOUND', 'ACCESS_DENIED'].includes(expected.status)) expect('SAVED_PAGE', '');
  const po = expected.truth;
  if (po === undefined) return problems;

  const names = inFolder.map((file) => file.path.slice(file.path.lastIndexOf('/') + 1));
  // Names may hold `;` themselves, so the joined cell is checked by content and length.
  if (names.some((name) => !cell('AttachmentName').includes(name)) || cell('AttachmentName').length !== names.join(';').length) {
    problems.push(`AttachmentName ${JSON.stringify(cell('AttachmentName'))} does not list the files in its folder: ${names.join(' | ')}`);
  }

  expect('ATTACHMENTS_DOWNLOADED', String(inFolder.length));
  const stem = poFolderName(expected.poNumber);
  const parents = expected.parents ?? [folderSegment(po.supplier)];
  const poFolders = folders.filter((folder) => [`${stem}__WORK`, ...STATUSES.map((status) => `${stem}_${status}`)].includes(folder.split('/').pop() ?? ''));
  if (inFolder.length > 0 || madeFiles) {
    expect('DOWNLOAD_FOLDER', [...parents, `${stem}_${expected.status}`].join('/'));
    if (poFolders.length !== 1) problems.push(`expected one folder for the PO, found ${poFolders.join(', ')}`);
  } else if (poFolders.length > 0) {
    problems.push(`no files, yet folders ${poFolders.join(', ')} exist`);
  }
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(cell('LAST_PROCESSED'))) problems.push(`LAST_PROCESSED ${JSON.stringify(cell('LAST_PROCESSED'))} is not a local time`);
  const expectedShas = new Set(po.expectedFiles.map((file) => file.sha256));
  for (const file of inFolder) {
    if (!expectedShas.has(file.sha256) && !isNoteOf(po, file)) problems.push(`${file.path} has bytes (${file.sha256.slice(0, 12)}) no expected file of the PO has`);
  }
  if (expected.status !== po.expectedStatus) return problems;

  // A finished PO matches the truth exactly: every expected file once, plus one note per URL/Text attachment.
  expect('COUPA_URL', `${check.baseUrl}${po.expectedCoupaUrlPath}`);
  expect('ATTACHMENTS_FOUND', String(po.expectedAttachmentsFound));
  if (!['PO_NOT_FOUND', 'ACCESS_DENIED'].includes(po.expectedStatus)) expect('SUPPLIER', po.supplier);
  const shasOnDisk = inFolder.map((file) => file.sha256);
  for (const file of po.expectedFiles) {
    const copies = shasOnDisk.filter((sha) => sha === file.sha256).length;
    if (copies !== 1) problems.push(`${file.name} (${file.origin}) is on disk ${copies} times, expected once`);
  }
  const notes = inFolder.filter((file) => isNoteOf(po, file)).length;
  if (notes !== po.expectedAttachmentsFound - po.expectedFiles.length) problems.push(`${notes} URL/Text notes on disk, expected ${po.expectedAttachmentsFound - po.expectedFiles.length}`);
  return problems;
}

/** A `.url` shortcut or `.txt` note of one of the PO's URL or Text attachments (see src/coupa/note-files.ts). */
function isNoteOf(po: PoTruth, file: DiskFile): boolean {
  return po.attachments.some((attachment) => {
    if (attachment.kind === 'file') return false;
    const body = attachment.kind === 'url' ? `[InternetShortcut]\r\nURL=${attachment.url}\r\n` : `${attachment.text}\r\n`;
    return createHash('sha256').update(body).digest('hex') === file.sha256;
  });
}

/** results.xlsx: Results equal to the CSV, Files equal to the disk, Summary counts equal to the rows. */
async function checkWorkbook(outDir: string, csv: ResultsCsv, disk: readonly DiskFile[]): Promise<string[]> {
  const problems: string[] = [];
  const xlsx = await readResultsXlsx(outDir);
  const results = xlsx.sheets.get('Results') ?? [];
  [csv.headers, ...csv.grid].forEach((cells, r) => {
    cells.forEach((text, c) => {
      const other = results[r]?.[c] ?? '';
      // The CSV puts a `'` before formula-looking text (src/io/formula-guard.ts); the XLSX types it as text.
      if (text !== other && text !== `'${other}`) problems.push(`results.xlsx Results row ${r + 1} column ${c + 1} is ${JSON.stringify(other)}; the CSV says ${JSON.stringify(text)}`);
    });
  });
  if (results.length !== csv.grid.length + 1) problems.push(`results.xlsx Results has ${results.length} rows, the CSV ${csv.grid.length + 1}`);
  const byPath = new Map(disk.map((file) => [file.path, file]));
  for (const listed of xlsx.files) {
    const file = byPath.get(listed['PATH'] ?? '');
    if (file === undefined) problems.push(`results.xlsx Files lists ${listed['PATH']}, which is not on disk`);
    else if (listed['SIZE_BYTES'] !== String(file.sizeBytes) || listed['SHA256'] !== file.sha256) problems.push(`results.xlsx Files has the wrong size or SHA-256 for ${file.path}`);
  }
  const listedPaths = xlsx.files.map((listed) => listed['PATH'] ?? '');
  for (const file of disk) if (listedPaths.filter((path) => path === file.path).length !== 1) problems.push(`results.xlsx Files does not list ${file.path} exactly once`);
  for (const status of [...STATUSES, 'PENDING']) {
    const count = csv.rows.filter((row) => row['STATUS'] === status).length;
    if ((xlsx.summary.get(status) ?? '0') !== String(count)) problems.push(`results.xlsx Summary says ${xlsx.summary.get(status)} ${status}, the CSV has ${count}`);
  }
  return problems;
}
