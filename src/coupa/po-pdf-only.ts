import { basename, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { parentSegments, poFolderName } from '../domain/folder-name.ts';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import { closeTab } from './close-tab.ts';
import { PoFolder } from './po-folder.ts';
import { poPdfFailureVerdict } from './po-pdf-verdict.ts';
import { savePoPdf, type PoPrintSettings } from './po-print.ts';
import { REST_DELAY_MS, restTab, takeTab } from './worker-tab.ts';

export interface PoPdfOnlyOptions {
  readonly outDir: string;
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly settings: PoPrintSettings;
}

/**
 * `--save-po-pdf` given to an output folder already done: for a PO that ended earlier (COMPLETED,
 * NO_ATTACHMENTS, PR_NOT_ACCESSIBLE) without its PDF, only the PO is printed, into its folder; its
 * pages are not read and its attachments not fetched again. A PO that had no folder gets one for
 * the PDF (`<PO folder>_<STATUS>`, made whole before it gets that name). Returns the earlier outcome
 * with the PDF, or with the failure weighed as in a full run (po-pdf-verdict.ts). Throws coded
 * errors for the pool, as a full PO does.
 */
export async function addPoPdfToFinished(context: BrowserContext, task: PoTask, previous: PoOutcome, options: PoPdfOnlyOptions): Promise<PoOutcome> {
  const tab = await takeTab(context);
  let ended = false;
  const work = previous.folder === '' ? new PoFolder(options.outDir, parentSegments(task, previous.supplier), poFolderName(task.poNumber)) : null;
  try {
    if (work !== null) await work.open();
    const folder = work?.workPath ?? join(options.outDir, ...previous.folder.split('/'));
    const request = { baseUrl: options.baseUrl, poId: task.poId, printHref: null, folder, poFolderName: poFolderName(task.poNumber) };
    const result = await savePoPdf(tab, request, options.settings, options.signal);
    if (result.status === 'failed') {
      await work?.discardStaleWork();
      ended = true;
      const verdict = poPdfFailureVerdict(previous.status, previous.errorMessage, result.message);
      return { ...previous, status: verdict.status, errorMessage: verdict.message };
    }
    const name = basename(result.path);
    work?.reserveMadeName(name);
    const relativeFolder = work === null ? previous.folder : (await work.finish(previous.status, 1)).folder;
    ended = true;
    return { ...previous, folder: relativeFolder, poPdf: { name, relativePath: `${relativeFolder}/${name}`, sizeBytes: result.sizeBytes, sha256: result.sha256, sourceUrl: result.sourceUrl } };
  } finally {
    if (ended) restTab(tab, REST_DELAY_MS);
    else {
      await closeTab(tab);
      await work?.discardStaleWork().catch(() => {});
    }
  }
}
