/**
 * The status a PO ends a run with. Written to the report's STATUS column and the
 * state store (CHECK constraint); the earlier tool's users read these names.
 */
export const PO_STATUSES = [
  'COMPLETED',
  'PARTIAL',
  'FAILED',
  'NO_ATTACHMENTS',
  'PO_NOT_FOUND',
  'ACCESS_DENIED',
  'PR_NOT_ACCESSIBLE',
  'TIMEOUT',
  'INVALID_PO',
  // The page could not be read with certainty (still loading, counts that disagree, an item or a
  // theme we do not know): its files may be incomplete, and a copy of the page is saved to look at.
  'NEEDS_REVIEW',
] as const;

export type PoStatus = (typeof PO_STATUSES)[number];

/** Where a PO stands in the state store: not yet done, being worked on, or ended with a status. */
export type PoState = 'PENDING' | 'RUNNING' | PoStatus;

export const PO_STATES: readonly PoState[] = ['PENDING', 'RUNNING', ...PO_STATUSES];

/** Statuses that a later run (resume or `retry`) fetches again. */
export const RETRIED_STATUSES: readonly PoStatus[] = ['PARTIAL', 'FAILED', 'TIMEOUT', 'NEEDS_REVIEW'];

/** Statuses that make the process exit with code 1. */
export const UNSUCCESSFUL_STATUSES: readonly PoStatus[] = ['PARTIAL', 'FAILED', 'TIMEOUT', 'NEEDS_REVIEW'];

export function isPoStatus(value: string): value is PoStatus {
  return (PO_STATUSES as readonly string[]).includes(value);
}

export function isRetried(status: PoStatus): boolean {
  return RETRIED_STATUSES.includes(status);
}
