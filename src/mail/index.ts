/**
 * # mail
 *
 * Mails to PDF. Reads Outlook `.msg` and Internet `.eml` files, prints each one as the sender
 * saw it (a header block, the list of its attachments, the HTML body) to a PDF beside it with the
 * browser, and saves the mail's own attachments into a folder beside it, converting attached
 * mails in turn. Knows nothing about Coupa, the pool or the state store.
 *
 * ```ts
 * await using renderer = await MailPdfRenderer.open(browser);
 * const conversion = await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS, { signal });
 * for (const row of conversionRows(conversion)) store.recordConversion(row);
 * ```
 */
export { convertMailFile, type ConvertMailOptions, type MailRenderer } from './convert-mail.ts';
export { MailPdfRenderer, RenderError, type RenderedPdf, type RenderOptions } from './pdf-renderer.ts';
export { DEFAULT_MAIL_PDF_SETTINGS, PAGE_SIZES, type MailPdfSettings, type PageSize } from './mail-pdf-settings.ts';
export { conversionRows, countConversions, type ConversionCounts, type ConversionRow } from './conversion-rows.ts';
export type { MailConversion, MailConversionDone, MailConversionFailed, MailConversionSkipped, MailFailureCode, ProducedFile, SkippedPart } from './mail-conversion.ts';
export { mailFormatOfName, type Mail, type MailAddress, type MailAttachment, type MailFormat, type BodySource } from './mail-model.ts';
export { readMail, MailReadError } from './read-mail.ts';
export { planMailConversions, type ConversionDecision, type DownloadedFile, type EarlierConversion } from './conversion-plan.ts';
