import type { BatchPlan } from '../../domain/batch-plan.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import type { PoOutcome, PoTask } from '../../domain/po-outcome.ts';
import type { PoStatus } from '../../domain/status.ts';

/** A PO that ended earlier and is not fetched again, whose PDF is still to be saved. */
export type PoPdfTask = PoTask & { readonly previous: PoOutcome };

/** Final statuses whose PO page could be shown, so it can be printed. */
const PRINTABLE_FINAL: readonly PoStatus[] = ['COMPLETED', 'NO_ATTACHMENTS', 'PR_NOT_ACCESSIBLE'];

/**
 * Pure: with `--save-po-pdf`, the POs of the sheet that ended earlier (not fetched again by this
 * run) without a PO PDF: only their PDFs are fetched. POs fetched by this run get theirs as they end.
 */
export function poPdfsToFetch(plan: BatchPlan, outcomes: ReadonlyMap<string, PoOutcome | null>, withPdf: ReadonlySet<string>): PoPdfTask[] {
  const tasks: PoPdfTask[] = [];
  for (const row of plan.rows) {
    if (row.kind !== 'already-done' || withPdf.has(row.poId) || !PRINTABLE_FINAL.includes(row.status)) continue;
    const previous = outcomes.get(row.poId) ?? null;
    if (previous === null) continue;
    const input = row.row;
    const sheetSupplier = input.supplier.trim();
    tasks.push({ poNumber: input.poNumber, poId: row.poId, folderLevels: input.folderLevels, ...(sheetSupplier === '' ? {} : { sheetSupplier }), previous });
  }
  return tasks;
}

/**
 * Whether the PO PDF can be made with these settings (null when fine). Through the REST API
 * (`--source api`/`auto`) each PO is printed from its web page, which needs a web sign-in too:
 * ways/open-way.ts checks that one before the run.
 */
export function poPdfSettingsProblem(options: { readonly savePoPdf: boolean; readonly headed: boolean }): CoupaDlError | null {
  if (!options.savePoPdf) return null;
  if (options.headed) {
    return new CoupaDlError('CONFIG_INVALID', '--save-po-pdf prints each PO to PDF in the workers’ browsers, and browsers print to PDF only without a window: it cannot be used with --headed.', {
      hint: 'Leave out --headed (the browsers work the same, unseen), or leave out --save-po-pdf.',
    });
  }
  return null;
}
