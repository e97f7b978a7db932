import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBatch } from '../../../src/domain/batch-plan.ts';
import type { InputRow } from '../../../src/domain/input-row.ts';
import type { PoOutcome } from '../../../src/domain/po-outcome.ts';
import type { StoredPo } from '../../../src/state/state-store.ts';
import { buildReport } from '../../../src/job/report-builder.ts';

function row(rowNumber: number, poNumber: string, extra: Partial<InputRow> = {}): InputRow {
  const poId = /^PO(\d{6,})$/.exec(poNumber)?.[1] ?? null;
  return { rowNumber, poNumber, poId, problem: poId ? null : 'not a PO number', inputStatus: '', supplier: '', folderLevels: null, cells: { PO_NUMBER: poNumber }, ...extra };
}

const outcome: PoOutcome = {
  status: 'COMPLETED',
  supplier: 'Acme',
  attachmentsFound: 1,
  attachmentsDownloaded: 1,
  files: [{ poNumber: 'PO100001', name: 'a.pdf', relativePath: 'Acme/PO100001_COMPLETED/a.pdf', sizeBytes: 3, sha256: 'x', sourceUrl: 'u', kind: 'file', origin: 'po' }],
  errorMessage: '',
  folder: 'Acme/PO100001_COMPLETED',
  coupaUrl: 'https://c/order_headers/100001',
  savedPage: '',
};

const pos: StoredPo[] = [
  { poId: '100001', poNumber: 'PO100001', state: 'COMPLETED', attempts: 1, outcome, updatedAt: '2026-11-22T10:00:00.000Z', lastError: '', source: 'api' },
  { poId: '100002', poNumber: 'PO100002', state: 'PENDING', attempts: 0, outcome: null, updatedAt: '2026-11-22T10:00:00.000Z', lastError: '', source: null },
];

function report(separator: '/' | '\\') {
  const rows = [row(2, 'PO100001'), row(3, 'PO12'), row(4, 'PO100002'), row(5, 'PO100001'), row(6, 'PO100003', { inputStatus: 'COMPLETED' })];
  const plan = planBatch({ rows, stored: new Map(pos.map((po) => [po.poId, po])), mode: 'resume' });
  return buildReport({
    pos, files: outcome.files, inputColumns: ['PO_NUMBER'], plan, startedAt: new Date(), finishedAt: new Date(),
    inputPath: 'pos.csv', baseUrl: 'https://c', interrupted: true, separator,
  });
}

describe('report builder', () => {
  it('gives every input row its status from the state: done, invalid, pending, duplicate, carried over', () => {
    const built = report('/');
    assert.deepEqual(built.rows.map((r) => [r.input.rowNumber, r.status]), [[2, 'COMPLETED'], [3, 'INVALID_PO'], [4, 'PENDING'], [5, 'COMPLETED'], [6, 'COMPLETED']]);
    assert.equal(built.rows[3]?.downloadFolder, 'Acme/PO100001_COMPLETED');
    assert.equal(built.rows[1]?.errorMessage, 'not a PO number');
  });

  it('counts rows per status, zeros included', () => {
    const { counts } = report('/').summary;
    assert.equal(counts['COMPLETED'], 3);
    assert.equal(counts['INVALID_PO'], 1);
    assert.equal(counts['PENDING'], 1);
    assert.equal(counts['FAILED'], 0);
  });

  it('writes Windows paths with backslashes so they paste into Explorer', () => {
    const built = report('\\');
    assert.equal(built.rows[0]?.downloadFolder, 'Acme\\PO100001_COMPLETED');
    assert.equal(built.files[0]?.relativePath, 'Acme\\PO100001_COMPLETED\\a.pdf');
  });
});
