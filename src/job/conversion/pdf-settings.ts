import { DEFAULT_PO_PRINT_SETTINGS, type PoPrintSettings } from '../../coupa/po-print.ts';
import { DEFAULT_MAIL_PDF_SETTINGS, type MailPdfSettings } from '../../mail/index.ts';
import type { RunConfig } from '../settings.ts';

type PdfConfig = Pick<RunConfig, 'mailPdfSuffix' | 'mailInlineImageMinKb' | 'pdfPageSize'>;

/** The mail conversion's knobs from the run's settings; dates in the header block in the user's own time zone. */
export function mailPdfSettings(config: PdfConfig, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): MailPdfSettings {
  return { ...DEFAULT_MAIL_PDF_SETTINGS, pdfSuffix: config.mailPdfSuffix, pageSize: config.pdfPageSize, inlineImageMinBytes: config.mailInlineImageMinKb * 1024, timeZone };
}

/** How the PO is printed (`--save-po-pdf`), from the run's settings. */
export function poPrintSettings(config: Pick<RunConfig, 'pdfPageSize' | 'poPrintPath' | 'navigationTimeoutMs'>): PoPrintSettings {
  return { ...DEFAULT_PO_PRINT_SETTINGS, pageSize: config.pdfPageSize, printPathPattern: config.poPrintPath, navigationTimeoutMs: config.navigationTimeoutMs };
}
