import type { BodySource } from './mail-model.ts';

/** One file a conversion wrote: the PDF of a mail, or one of the mail's own attachments. */
export interface ProducedFile {
  readonly kind: 'pdf' | 'attachment';
  readonly path: string;
  /** The mail it was printed from or taken out of. */
  readonly sourcePath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** An attachment that was deliberately not saved. */
export interface SkippedPart {
  readonly sourcePath: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly reason: string;
}

/**
 * Stable codes, for the state store and the report:
 * - `MAIL_UNREADABLE`: the file is not a mail that can be read (damaged, or something else named `.msg`/`.eml`);
 * - `MAIL_RENDER_FAILED`: the browser did not make the PDF (crashed, or ran out of time);
 * - `MAIL_WRITE_FAILED`: the PDF or an attachment could not be written (disk full, no permission);
 * - `MAIL_INTERRUPTED`: the caller's signal stopped it; nothing was kept, and it is simply done again next time.
 */
export type MailFailureCode = 'MAIL_UNREADABLE' | 'MAIL_RENDER_FAILED' | 'MAIL_WRITE_FAILED' | 'MAIL_INTERRUPTED';

interface ConversionBase {
  /** The mail file converted. */
  readonly sourcePath: string;
  /** 1 for a downloaded mail, 2 for a mail attached to it, and so on. */
  readonly depth: number;
}

export interface MailConversionDone extends ConversionBase {
  readonly status: 'done';
  readonly pdf: ProducedFile;
  readonly attachments: readonly ProducedFile[];
  readonly skipped: readonly SkippedPart[];
  /** What became of the mails attached to this one (each saved among `attachments` first). */
  readonly nested: readonly MailConversion[];
  readonly bodySource: BodySource;
  /** Remote addresses the mail's HTML referred to (tracking images, say): none was fetched. */
  readonly blockedRequests: readonly string[];
  /** This mail's own time (reading, rendering, writing), its attached mails included. */
  readonly durationMs: number;
}

/** Nothing was written (anything half-written was removed); the original mail is untouched. */
export interface MailConversionFailed extends ConversionBase {
  readonly status: 'failed';
  readonly code: MailFailureCode;
  /** For the person reading the report: what went wrong and what to do. */
  readonly reason: string;
}

/** An attached mail deeper than the depth limit: saved as a file, not converted. */
export interface MailConversionSkipped extends ConversionBase {
  readonly status: 'skipped';
  readonly reason: string;
}

export type MailConversion = MailConversionDone | MailConversionFailed | MailConversionSkipped;
