/** Every knob of the mail-to-PDF conversion, with one defaults object. */

export type PageSize = 'A4' | 'Letter';
export const PAGE_SIZES: readonly PageSize[] = ['A4', 'Letter'];

export interface MailPdfSettings {
  /** Added to the mail's own file name: `RE Approval.msg` → `RE Approval.msg.pdf`. Must end in `.pdf`. */
  readonly pdfSuffix: string;
  /** Added to the mail's own file name for the folder its attachments go to. */
  readonly attachmentFolderSuffix: string;
  readonly pageSize: PageSize;
  /** Inline images (signature logos) smaller than this are not saved as files; they still show in the PDF. */
  readonly inlineImageMinBytes: number;
  /** How deep attached mails are converted: 1 is the downloaded mail itself, 3 its attachments' attachments. */
  readonly maxMailDepth: number;
  /** How long one mail may take to render to PDF. */
  readonly renderTimeoutMs: number;
  /** The IANA time zone the header block shows dates in (the entry point passes the user's own). */
  readonly timeZone: string;
}

export const DEFAULT_MAIL_PDF_SETTINGS: MailPdfSettings = {
  pdfSuffix: '.pdf',
  attachmentFolderSuffix: ' attachments',
  pageSize: 'A4',
  inlineImageMinBytes: 20 * 1024,
  maxMailDepth: 3,
  renderTimeoutMs: 60_000,
  timeZone: 'UTC',
};
