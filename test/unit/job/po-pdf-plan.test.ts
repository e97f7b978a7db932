import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBatch } from '../../../src/domain/batch-plan.ts';
import type { InputRow } from '../../../src/domain/input-row.ts';
import type { PoOutcome } from '../../../src/domain/po-outcome.ts';
import type { PoState } from '../../../src/domain/status.ts';
import { poPdfSettingsProblem, poPdfsToFetch } from '../../../src/job/conversion/po-pdf-plan.ts';

let rowNumber = 2;
const row = (poId: string, extra: Partial<InputRow> = {}): InputRow => ({ rowNumber: rowNumber++, poNumber: `PO${poId}`, poId, problem: null, inputStatus: '', supplier: 'Sheet Supplier', folderLevels: null, cells: { PO_NUMBER: `PO${poId}` }, ...extra });
const outcome = (status: PoOutcome['status']): PoOutcome => ({ status, supplier: 'Acme', attachmentsFound: 0, attachmentsDownloaded: 0, files: [], errorMessage: '', folder: '', coupaUrl: '', savedPage: '' });

describe('which POs get only their PDF (--save-po-pdf on a finished batch)', () => {
  const states: Record<string, PoState> = { '100001': 'COMPLETED', '100002': 'NO_ATTACHMENTS', '100003': 'PR_NOT_ACCESSIBLE', '100004': 'PO_NOT_FOUND', '100005': 'ACCESS_DENIED', '100006': 'PARTIAL', '100007': 'COMPLETED' };
  const rows = [...Object.keys(states).map((poId) => row(poId)), row('100008'), row('100001'), row('100009', { inputStatus: 'COMPLETED' })];
  const plan = planBatch({ rows, stored: new Map(Object.entries(states).map(([poId, state]) => [poId, { poId, state }])), mode: 'resume' });
  const outcomes = new Map(Object.entries(states).map(([poId, state]) => [poId, outcome(state as PoOutcome['status'])]));

  it('takes the POs that ended with a page to print and have no PDF yet, once each, with their earlier outcome', () => {
    const tasks = poPdfsToFetch(plan, outcomes, new Set(['100007']));
    assert.deepEqual(tasks.map((task) => task.poId), ['100001', '100002', '100003']);
    assert.deepEqual(tasks[0], { poNumber: 'PO100001', poId: '100001', folderLevels: null, sheetSupplier: 'Sheet Supplier', previous: outcome('COMPLETED') });
  });

  it('leaves out POs fetched by the run anyway (PARTIAL, new) and rows the sheet says are COMPLETED', () => {
    const ids = poPdfsToFetch(plan, outcomes, new Set()).map((task) => task.poId);
    for (const poId of ['100006', '100008', '100009']) assert.ok(!ids.includes(poId), poId);
  });
});

describe('whether the PO PDF can be made', () => {
  it('refuses --headed, as browsers print to PDF only without a window', () => {
    assert.match(poPdfSettingsProblem({ savePoPdf: true, headed: true })?.message ?? '', /cannot be used with --headed/);
    assert.equal(poPdfSettingsProblem({ savePoPdf: true, headed: false }), null);
    assert.equal(poPdfSettingsProblem({ savePoPdf: false, headed: true }), null);
  });
});
