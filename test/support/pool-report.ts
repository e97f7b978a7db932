import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readCsvTable } from '../../src/io/csv-reader.ts';
import type { PoTruth } from '../../src/simulator/index.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';

/** What a pool run left in its output folder: the report rows, the files, the work folders. */

export type ReportRow = Readonly<Record<string, string>>;

/** results.csv as one record per row, keyed by its header. */
export async function readResults(outDir: string): Promise<ReportRow[]> {
  const table = readCsvTable(await readFile(join(outDir, 'results.csv')));
  const [header, ...rows] = table.rows;
  if (header === undefined) throw new Error('results.csv has no header row.');
  return rows.map((row) => Object.fromEntries(header.cells.map((name, index) => [name, row.cells[index] ?? ''])));
}

/** Each PO of the sheet exactly once in the report, with the status its truth gives. */
export function assertReportMatchesTruth(rows: readonly ReportRow[], pos: readonly PoTruth[]): void {
  assert.deepEqual(rows.map((row) => row['PO_NUMBER']).sort(), pos.map((po) => po.poNumber).sort(), 'one report row per PO, none twice');
  const statuses = Object.fromEntries(rows.map((row) => [row['PO_NUMBER'] ?? '', row['STATUS'] ?? '']));
  assert.deepEqual(statuses, Object.fromEntries(pos.map((po) => [po.poNumber, po.expectedStatus])));
}

/** Every file under the output folder except the reports and the run state: path → SHA-256. */
export async function downloadedFiles(outDir: string): Promise<Map<string, string>> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (path.startsWith('.coupa-dl/') || /^results\.(csv|xlsx)$/.test(path)) continue;
    files.set(path, createHash('sha256').update(await readFile(join(outDir, path))).digest('hex'));
  }
  return files;
}

/**
 * Every file the truth expects is on disk exactly once (by its SHA-256, across the whole tree)
 * and inside the folder the report names for its PO.
 */
export async function assertFilesMatchTruth(outDir: string, rows: readonly ReportRow[], pos: readonly PoTruth[]): Promise<void> {
  const files = await downloadedFiles(outDir);
  const problems: string[] = [];
  for (const po of pos) {
    const folder = rows.find((row) => row['PO_NUMBER'] === po.poNumber)?.['DOWNLOAD_FOLDER'] ?? '';
    for (const expected of po.expectedFiles) {
      const copies = [...files].filter(([, sha]) => sha === expected.sha256).map(([path]) => path);
      if (copies.length !== 1) problems.push(`${po.poNumber} ${expected.name}: ${copies.length} copies ${JSON.stringify(copies)}`);
      else if (!copies[0]?.startsWith(`${folder}/`)) problems.push(`${po.poNumber} ${expected.name}: at ${copies[0]}, not in ${folder}/`);
    }
  }
  assert.deepEqual(problems, []);
}

/** Folders of POs caught half-way (`…__WORK`): none may survive a stop. */
export async function workFolders(outDir: string): Promise<string[]> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && entry.name.endsWith('__WORK')).map((entry) => entry.name);
}

/**
 * What a stopped run must leave: a report where every PO is either done with its true status or
 * PENDING (none RUNNING, none failed by the stop), and no half-done `__WORK` folder.
 */
export async function assertResumableState(outDir: string, pos: readonly PoTruth[]): Promise<ReportRow[]> {
  const rows = await readResults(outDir);
  assert.deepEqual(rows.map((row) => row['PO_NUMBER']).sort(), pos.map((po) => po.poNumber).sort(), 'one report row per PO');
  const wrong = rows.filter((row) => {
    const truth = pos.find((po) => po.poNumber === row['PO_NUMBER']);
    return row['STATUS'] !== 'PENDING' && row['STATUS'] !== truth?.expectedStatus;
  });
  assert.deepEqual(wrong.map((row) => `${row['PO_NUMBER']} ${row['STATUS']} ${row['ERROR_MESSAGE']}`), [], 'every row is its true status or PENDING');
  assert.deepEqual(await workFolders(outDir), [], 'no half-done __WORK folder');
  // The report shows any unfinished PO as PENDING: only the state file tells RUNNING apart.
  const db = new DatabaseSync(stateFilePath(outDir), { readOnly: true });
  try {
    assert.deepEqual(db.prepare("SELECT po_id FROM pos WHERE state = 'RUNNING'").all(), [], 'no PO left RUNNING in the state file');
  } finally {
    db.close();
  }
  return rows;
}
