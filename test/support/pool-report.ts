import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import type { PoTruth } from '../../src/simulator/index.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';
import { filesOnDisk, workFolders } from './output-tree.ts';
import { readResultsCsv } from './results-files.ts';

/** Checks of what a pool run left in its output folder: the report rows, the files, the work folders, the state file. */

type ReportRow = Readonly<Record<string, string>>;

/** Each PO of the sheet exactly once in the report, with the status its truth gives. */
export function assertReportMatchesTruth(rows: readonly ReportRow[], pos: readonly PoTruth[]): void {
  assert.deepEqual(rows.map((row) => row['PO_NUMBER']).sort(), pos.map((po) => po.poNumber).sort(), 'one report row per PO, none twice');
  const statuses = Object.fromEntries(rows.map((row) => [row['PO_NUMBER'] ?? '', row['STATUS'] ?? '']));
  assert.deepEqual(statuses, Object.fromEntries(pos.map((po) => [po.poNumber, po.expectedStatus])));
}

/**
 * Every file the truth expects is on disk exactly once (by its SHA-256, across the whole tree)
 * and inside the folder the report names for its PO.
 */
export async function assertFilesMatchTruth(outDir: string, rows: readonly ReportRow[], pos: readonly PoTruth[]): Promise<void> {
  const files = await filesOnDisk(outDir);
  const problems: string[] = [];
  for (const po of pos) {
    const folder = rows.find((row) => row['PO_NUMBER'] === po.poNumber)?.['DOWNLOAD_FOLDER'] ?? '';
    for (const expected of po.expectedFiles) {
      const copies = files.filter((file) => file.sha256 === expected.sha256).map((file) => file.path);
      if (copies.length !== 1) problems.push(`${po.poNumber} ${expected.name}: ${copies.length} copies ${JSON.stringify(copies)}`);
      else if (!copies[0]?.startsWith(`${folder}/`)) problems.push(`${po.poNumber} ${expected.name}: at ${copies[0]}, not in ${folder}/`);
    }
  }
  assert.deepEqual(problems, []);
}

/**
 * What a stopped run must leave: a report where every PO is either done with its true status or
 * PENDING (none RUNNING, none failed by the stop), and no half-done `__WORK` folder.
 */
export async function assertResumableState(outDir: string, pos: readonly PoTruth[]): Promise<ReportRow[]> {
  const { rows } = await readResultsCsv(outDir);
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
