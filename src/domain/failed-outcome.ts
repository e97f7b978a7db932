import type { PoOutcome, PoTask } from './po-outcome.ts';
import type { PoStatus } from './status.ts';

/** Failure codes that mean "Coupa did not answer in time": the PO ends TIMEOUT rather than FAILED. */
const TIMEOUT_CODES: readonly string[] = ['NAVIGATION_TIMEOUT', 'PAGE_NOT_READY', 'TASK_DEADLINE_EXCEEDED', 'PO_DEADLINE_EXCEEDED', 'API_TIMEOUT'];

export interface GiveUp {
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
  /** The copy of the page its last attempt saved (`''` when none). */
  readonly savedPage?: string;
}

/**
 * The outcome of a PO the tool gave up on after its attempts. Whatever an earlier run already
 * saved for it stays where it is (processPo never deletes an older folder when a retry saved
 * nothing), so the report keeps pointing at those files.
 */
export function failedOutcome(task: PoTask, giveUp: GiveUp, previous: PoOutcome | null): PoOutcome {
  const status: PoStatus = TIMEOUT_CODES.includes(giveUp.code) ? 'TIMEOUT' : 'FAILED';
  const tries = giveUp.attempts === 1 ? '1 attempt' : `${giveUp.attempts} attempts`;
  return {
    status,
    supplier: previous?.supplier ?? '',
    attachmentsFound: previous?.attachmentsFound ?? 0,
    attachmentsDownloaded: previous?.attachmentsDownloaded ?? 0,
    files: previous?.files ?? [],
    errorMessage: `${giveUp.message} [${giveUp.code}, ${tries}]`,
    folder: previous?.folder ?? '',
    coupaUrl: previous?.coupaUrl ?? '',
    savedPage: giveUp.savedPage ?? '',
  };
}

/**
 * A retry that wrote no folder leaves the earlier run's folder untouched on disk (processPo only
 * replaces it once a new attempt saved something), so the PO keeps pointing at those files.
 */
export function keepEarlierFiles(outcome: PoOutcome, previous: PoOutcome | null): PoOutcome {
  if (outcome.folder !== '' || previous === null || previous.folder === '') return outcome;
  const note = `Files from an earlier run are kept in ${previous.folder}.`;
  return { ...outcome, folder: previous.folder, files: previous.files, errorMessage: outcome.errorMessage ? `${outcome.errorMessage} ${note}` : note };
}
