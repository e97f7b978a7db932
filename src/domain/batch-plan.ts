import type { InputRow } from './input-row.ts';
import type { PoTask } from './po-outcome.ts';
import type { PoState, PoStatus } from './status.ts';
import { isRetried } from './status.ts';

/**
 * - `resume`: fetch every PO that has not ended well yet (the default; a crashed run goes on)
 * - `fresh`: forget the store and fetch every valid row again
 * - `retry`: fetch again only the POs an earlier run left unfinished or failed
 */
export type BatchMode = 'resume' | 'fresh' | 'retry';

/** The little the planner needs to know about a stored PO (kept here so domain never imports state). */
export interface StoredPoSummary {
  readonly poId: string;
  readonly state: PoState;
}

/** What happens to one input row. */
export type RowPlan =
  | { readonly kind: 'fetch'; readonly row: InputRow; readonly task: PoTask }
  | { readonly kind: 'invalid'; readonly row: InputRow; readonly problem: string }
  | { readonly kind: 'skip-input-completed'; readonly row: InputRow }
  | { readonly kind: 'already-done'; readonly row: InputRow; readonly poId: string; readonly status: PoStatus }
  /** `retry` only: the PO was never part of an earlier run, so there is nothing to retry. */
  | { readonly kind: 'skip-never-run'; readonly row: InputRow; readonly poId: string }
  /** The sheet repeats a PO: this row shares the fate of the first row with the same poId. */
  | { readonly kind: 'duplicate'; readonly row: InputRow; readonly poId: string; readonly firstRowNumber: number };

export type RowPlanKind = RowPlan['kind'];

export interface BatchPlan {
  /** One entry per input row, in input order. */
  readonly rows: readonly RowPlan[];
  /** The POs to fetch, once each, in input order. */
  readonly tasks: readonly PoTask[];
  readonly counts: Readonly<Record<RowPlanKind, number>>;
}

export interface BatchPlanInput {
  readonly rows: readonly InputRow[];
  readonly stored: ReadonlyMap<string, StoredPoSummary>;
  readonly mode: BatchMode;
}

export function planBatch({ rows, stored, mode }: BatchPlanInput): BatchPlan {
  const firstRowByPoId = new Map<string, number>();
  const plans: RowPlan[] = [];
  const tasks: PoTask[] = [];
  for (const row of rows) {
    const plan = planRow(row, firstRowByPoId, mode === 'fresh' ? undefined : stored.get(row.poId ?? ''), mode);
    if (row.poId !== null && !firstRowByPoId.has(row.poId)) firstRowByPoId.set(row.poId, row.rowNumber);
    if (plan.kind === 'fetch') tasks.push(plan.task);
    plans.push(plan);
  }
  return { rows: plans, tasks, counts: countKinds(plans) };
}

function planRow(
  row: InputRow,
  firstRowByPoId: ReadonlyMap<string, number>,
  stored: StoredPoSummary | undefined,
  mode: BatchMode,
): RowPlan {
  const { poId } = row;
  if (poId === null) return { kind: 'invalid', row, problem: row.problem ?? 'The PO number is not valid.' };
  const firstRowNumber = firstRowByPoId.get(poId);
  // The first row of a PO decides for all of its rows: its poNumber and folder levels win.
  if (firstRowNumber !== undefined) return { kind: 'duplicate', row, poId, firstRowNumber };
  if (row.inputStatus.trim().toUpperCase() === 'COMPLETED') return { kind: 'skip-input-completed', row };
  const task: PoTask = { poNumber: row.poNumber, poId, folderLevels: row.folderLevels, ...(row.supplier.trim() ? { sheetSupplier: row.supplier.trim() } : {}) };
  if (stored === undefined) return mode === 'retry' ? { kind: 'skip-never-run', row, poId } : { kind: 'fetch', row, task };
  const standing = standingOf(stored.state);
  if (standing.done) return { kind: 'already-done', row, poId, status: standing.status };
  return { kind: 'fetch', row, task };
}

type Standing = { readonly done: true; readonly status: PoStatus } | { readonly done: false };

/** Whether a stored state is final (not fetched again) or still to do. */
function standingOf(state: PoState): Standing {
  // Work a previous run never finished.
  if (state === 'PENDING' || state === 'RUNNING') return { done: false };
  // INVALID_PO stored for a row that has a valid PO number now: the user fixed the row.
  if (state === 'INVALID_PO' || isRetried(state)) return { done: false };
  return { done: true, status: state };
}

function countKinds(plans: readonly RowPlan[]): Record<RowPlanKind, number> {
  const counts: Record<RowPlanKind, number> = {
    fetch: 0,
    invalid: 0,
    'skip-input-completed': 0,
    'already-done': 0,
    'skip-never-run': 0,
    duplicate: 0,
  };
  for (const plan of plans) counts[plan.kind] += 1;
  return counts;
}
