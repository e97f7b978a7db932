import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planBatch } from '../../../src/domain/batch-plan.ts';
import type { BatchMode, StoredPoSummary } from '../../../src/domain/batch-plan.ts';
import type { InputRow } from '../../../src/domain/input-row.ts';
import type { PoState } from '../../../src/domain/status.ts';

let nextRowNumber = 2;
function row(poNumber: string, extra: Partial<InputRow> = {}): InputRow {
  const digits = poNumber.replace(/^P[OM]/i, '');
  return {
    rowNumber: nextRowNumber++,
    poNumber,
    poId: /^\d{6,}$/.test(digits) ? digits : null,
    problem: /^\d{6,}$/.test(digits) ? null : `Expected a PO number with at least 6 digits, got \`${poNumber}\`.`,
    inputStatus: '',
    supplier: '',
    folderLevels: null,
    cells: { PO_NUMBER: poNumber },
    ...extra,
  };
}

function stored(entries: Record<string, PoState>): Map<string, StoredPoSummary> {
  return new Map(Object.entries(entries).map(([poId, state]) => [poId, { poId, state }]));
}

function kinds(rows: readonly InputRow[], store: Map<string, StoredPoSummary>, mode: BatchMode): string[] {
  return planBatch({ rows, stored: store, mode }).rows.map((plan) => plan.kind);
}

describe('planBatch', () => {
  it('fetches every valid row in input order when nothing is stored', () => {
    const rows = [row('PO100003'), row('PO100001'), row('100002')];
    const plan = planBatch({ rows, stored: new Map(), mode: 'resume' });
    assert.deepEqual(plan.tasks.map((task) => task.poId), ['100003', '100001', '100002']);
    assert.deepEqual(plan.tasks[0], { poNumber: 'PO100003', poId: '100003', folderLevels: null });
    assert.equal(plan.counts.fetch, 3);
  });

  it('passes the sheet\'s SUPPLIER on with the PO, for naming its folder when the page shows none', () => {
    const plan = planBatch({ rows: [row('PO100003', { supplier: ' Acme ' })], stored: new Map(), mode: 'resume' });
    assert.deepEqual(plan.tasks[0], { poNumber: 'PO100003', poId: '100003', folderLevels: null, sheetSupplier: 'Acme' });
  });

  it('marks a row with no poId invalid with the row problem and does not fetch it', () => {
    const bad = row('PO12');
    const plan = planBatch({ rows: [bad], stored: new Map(), mode: 'resume' });
    assert.deepEqual(plan.rows[0], { kind: 'invalid', row: bad, problem: bad.problem });
    assert.equal(plan.tasks.length, 0);
  });

  it('skips rows whose sheet STATUS is COMPLETED in every mode, whatever its case or spaces', () => {
    const rows = [row('PO200001', { inputStatus: ' completed ' }), row('PO200002', { inputStatus: 'FAILED' })];
    for (const mode of ['resume', 'fresh', 'retry'] as const) {
      const store = stored({ '200002': 'FAILED' });
      assert.deepEqual(kinds(rows, store, mode), ['skip-input-completed', 'fetch'], mode);
    }
  });

  it('resume leaves POs with a final stored status alone and fetches the rest', () => {
    const states: Record<string, PoState> = {
      '300001': 'COMPLETED',
      '300002': 'NO_ATTACHMENTS',
      '300003': 'PO_NOT_FOUND',
      '300004': 'ACCESS_DENIED',
      '300005': 'PR_NOT_ACCESSIBLE',
      '300006': 'PARTIAL',
      '300007': 'FAILED',
      '300008': 'TIMEOUT',
      '300009': 'PENDING',
      '300010': 'RUNNING',
    };
    const rows = Object.keys(states).map((poId) => row(`PO${poId}`));
    const plan = planBatch({ rows, stored: stored(states), mode: 'resume' });
    assert.deepEqual(plan.rows.slice(0, 5).map((p) => p.kind), Array(5).fill('already-done'));
    assert.deepEqual(plan.rows[2], { kind: 'already-done', row: rows[2], poId: '300003', status: 'PO_NOT_FOUND' });
    assert.deepEqual(plan.tasks.map((task) => task.poId), ['300006', '300007', '300008', '300009', '300010']);
  });

  it('resume fetches a PO stored as INVALID_PO whose row now has a valid number', () => {
    assert.deepEqual(kinds([row('PO400001')], stored({ '400001': 'INVALID_PO' }), 'resume'), ['fetch']);
  });

  it('fresh ignores the store and fetches every valid row again', () => {
    const rows = [row('PO500001'), row('PO500002'), row('bad')];
    const store = stored({ '500001': 'COMPLETED', '500002': 'PO_NOT_FOUND' });
    assert.deepEqual(kinds(rows, store, 'fresh'), ['fetch', 'fetch', 'invalid']);
  });

  it('retry fetches only failed or unfinished POs and skips those no earlier run saw', () => {
    const rows = ['600001', '600002', '600003', '600004', '600005', '600006', '600007'].map((id) => row(`PO${id}`));
    const store = stored({
      '600001': 'COMPLETED',
      '600002': 'PARTIAL',
      '600003': 'FAILED',
      '600004': 'TIMEOUT',
      '600005': 'PENDING',
      '600006': 'RUNNING',
    });
    const plan = planBatch({ rows, stored: store, mode: 'retry' });
    assert.deepEqual(plan.rows.map((p) => p.kind), ['already-done', 'fetch', 'fetch', 'fetch', 'fetch', 'fetch', 'skip-never-run']);
    assert.deepEqual(plan.rows[6], { kind: 'skip-never-run', row: rows[6], poId: '600007' });
  });

  it('fetches a repeated PO once, keeps the first row number and folder levels, and points duplicates at it', () => {
    const first = row('PO700001', { folderLevels: ['Plant A'] });
    const other = row('PO700002');
    const again = row('700001', { folderLevels: ['Plant B'] });
    const plan = planBatch({ rows: [first, other, again], stored: new Map(), mode: 'resume' });
    assert.deepEqual(plan.tasks, [
      { poNumber: 'PO700001', poId: '700001', folderLevels: ['Plant A'] },
      { poNumber: 'PO700002', poId: '700002', folderLevels: null },
    ]);
    assert.deepEqual(plan.rows[2], { kind: 'duplicate', row: again, poId: '700001', firstRowNumber: first.rowNumber });
  });

  it('treats a repeat of an already-done PO as a duplicate of its first row', () => {
    const rows = [row('PO800001'), row('PO800001')];
    assert.deepEqual(kinds(rows, stored({ '800001': 'COMPLETED' }), 'resume'), ['already-done', 'duplicate']);
  });

  it('keeps one plan per row in input order and counts each kind', () => {
    const rows = [row('x'), row('PO900001'), row('PO900002', { inputStatus: 'COMPLETED' }), row('PO900001'), row('PO900003')];
    const plan = planBatch({ rows, stored: stored({ '900003': 'COMPLETED' }), mode: 'resume' });
    assert.deepEqual(plan.rows.map((p) => p.row), rows);
    assert.deepEqual(plan.counts, {
      fetch: 1,
      invalid: 1,
      'skip-input-completed': 1,
      'already-done': 1,
      'skip-never-run': 0,
      duplicate: 1,
    });
  });
});
