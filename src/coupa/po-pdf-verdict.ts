import type { PoStatus } from '../domain/status.ts';

/**
 * Pure: how a PO ends when its PDF (`--save-po-pdf`) was asked for and could not be saved. It is
 * not an attachment, so it never makes a PO with nothing to download anything but NO_ATTACHMENTS;
 * otherwise a PO that got all its files is no longer complete: PARTIAL, which the next run fetches
 * again. A PO that already ended worse keeps its status. The message says what happened.
 */
export function poPdfFailureVerdict(status: PoStatus, message: string, failure: string): { readonly status: PoStatus; readonly message: string } {
  const joined = message.trim() === '' ? failure : `${message.trim().replace(/\.?$/, '.')} ${failure}`;
  switch (status) {
    case 'COMPLETED':
    case 'PR_NOT_ACCESSIBLE':
      return { status: 'PARTIAL', message: joined };
    default:
      return { status, message: joined };
  }
}
