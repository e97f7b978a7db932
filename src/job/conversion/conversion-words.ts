import type { ConversionCounts } from '../../mail/index.ts';

/** One sentence for the person at the terminal: how many mails became PDFs, and where failures are explained. */
export function conversionSentence(counts: ConversionCounts): string {
  const parts = [`Converted ${counts.done} mail${counts.done === 1 ? '' : 's'} to PDF`];
  if (counts.failed > 0) parts.push(`${counts.failed} could not be converted: the Files sheet of results.xlsx says why (CONVERSION_MESSAGE)`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} attached too deep, kept as they are`);
  return `${parts.join('; ')}.`;
}
