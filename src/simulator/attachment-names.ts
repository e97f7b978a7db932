import type { SeededRandom } from './seeded-random.ts';

/** File names the catalogue draws from, by format, as buyers and suppliers name their files. */
export const PDF_NAMES = [
  'Invoice_2024-118.pdf',
  'Quote_Q-4471.pdf',
  'Purchase Agreement signed.pdf',
  'Statement of Work v2.pdf',
  'Proposta comercial.pdf',
  'Certificate_of_Insurance.pdf',
  'Delivery note 5521.pdf',
] as const;

export const DOCX_NAMES = ['Statement_of_Work.docx', 'Terms and Conditions.docx', 'Specification v3.docx'] as const;
export const XLSX_NAMES = ['Price_List.xlsx', 'Quote breakdown.xlsx', 'Delivery schedule.xlsx'] as const;
export const MSG_NAMES = ['RE Approval.msg', 'Supplier confirmation.msg', 'FW Quote.msg'] as const;
export const EML_NAMES = ['RE Delivery date.eml', 'Order confirmation.eml'] as const;

const LONG_NAME = `${'Contrato_de_prestacao_de_servicos_anexo_'.repeat(5)}final.pdf`;

/**
 * Names that break naive code: Unicode, characters Windows forbids, a reserved device name,
 * a trailing dot and space, a name over 200 characters, URL-special characters and a quote.
 * (Duplicates are added by the catalogue: the same name twice on one PO with different bytes.)
 */
export const TRICKY_NAMES = [
  'Orçamento_nº5.pdf',
  '見積書.pdf',
  'CON.pdf',
  'a:b?.pdf',
  'trailing. ',
  LONG_NAME,
  '100% sure #1.pdf',
  'Quote "final".pdf',
] as const;

/** The name used twice on one PO. */
export const DUPLICATE_NAME = 'Invoice.pdf';

export const URL_TARGETS = [
  'https://supplier-portal.example.com/contracts/',
  'https://sharepoint.example.org/sites/procurement/Shared%20Documents/',
  'https://docs.example.net/specs/',
] as const;

export const TEXT_NOTES = [
  'Deliver to dock 4 and ask for Maria at reception.',
  'Price agreed by phone on 12 March; see quote for details.',
  'Supplier confirmed lead time of 3 weeks.',
  'Internal note: budget approved by cost centre 4410.',
] as const;

export function pdfName(random: SeededRandom): string {
  return random.pick(PDF_NAMES);
}

/** A file name that is not a PDF (Word, Excel, an Outlook or an Internet mail). One draw, whatever the list's length. */
export function otherFileName(random: SeededRandom): string {
  return random.pick([...DOCX_NAMES, ...XLSX_NAMES, ...MSG_NAMES, ...EML_NAMES]);
}
