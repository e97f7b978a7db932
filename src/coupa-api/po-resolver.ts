import { CoupaDlError } from '../domain/errors.ts';
import { ATTACHMENT_FIELDS, asRecord, idOf, parseAttachments, text, type ApiAttachment } from './api-attachment.ts';
import { apiPath, type FieldList } from './api-paging.ts';
import type { ApiTransport } from './api-transport.ts';

/** `trimmed` asks only for the fields coupa-dl reads; `full` is the naive walk (for comparison). */
export type RequestPlan = 'trimmed' | 'full';

/** Which form of the number matched: as the sheet has it, or without its prefix. */
export type PoNumberForm = 'as-written' | 'without-prefix';

export interface FoundPo {
  readonly kind: 'found';
  readonly poId: string;
  /** The PO number as Coupa stores it. */
  readonly poNumber: string;
  readonly matchedForm: PoNumberForm;
  /** The value sent as `po-number` that matched. */
  readonly query: string;
  /** null when the PO has no supplier in the answer. */
  readonly supplier: { readonly id: string | null; readonly name: string } | null;
  readonly requisitionId: string | null;
  /** The header's attachments when the lookup brought them along (trimmed plan), else null. */
  readonly headerAttachments: readonly ApiAttachment[] | null;
}

export type PoLookup =
  | FoundPo
  | { readonly kind: 'notFound'; readonly tried: readonly string[] }
  | { readonly kind: 'accessDenied'; readonly form: PoNumberForm; readonly query: string; readonly message: string };

const RESOLVE_FIELDS: FieldList = ['id', 'po-number', { supplier: ['id', 'name'] }, { 'requisition-header': ['id'] }, { attachments: ATTACHMENT_FIELDS }];

/**
 * The forms of a PO number to look up, in order: as written, then without its prefix (the
 * longest of `prefixes` it starts with, ignoring case, and one `-`, `_` or space after it).
 * Coupa stores the number a customer uses, with or without a prefix: which one is unknown.
 */
export function numberForms(raw: string, prefixes: readonly string[]): { readonly form: PoNumberForm; readonly value: string }[] {
  const written = raw.trim();
  const forms: { form: PoNumberForm; value: string }[] = [{ form: 'as-written', value: written }];
  const upper = written.toUpperCase();
  const prefix = [...prefixes].sort((a, b) => b.length - a.length).find((candidate) => candidate !== '' && upper.startsWith(candidate.toUpperCase()));
  if (prefix !== undefined) {
    const rest = written.slice(prefix.length).replace(/^[ _-]/, '');
    if (rest !== '' && rest !== written) forms.push({ form: 'without-prefix', value: rest });
  }
  return forms;
}

/**
 * Finds a PO by its number (`GET /api/purchase_orders?po-number=`): as written, then without
 * its prefix. No record for either is `notFound`; a 403 is `accessDenied` (the PO exists).
 */
export async function resolvePo(transport: ApiTransport, number: string, options: { readonly prefixes: readonly string[]; readonly plan: RequestPlan }, signal: AbortSignal): Promise<PoLookup> {
  const forms = numberForms(number, options.prefixes);
  const tried: string[] = [];
  for (const { form, value } of forms) {
    tried.push(value);
    const path = apiPath('/api/purchase_orders', { 'po-number': value }, options.plan === 'trimmed' ? { fields: RESOLVE_FIELDS } : {});
    const answer = await transport.getJson(path, signal);
    if (answer.kind === 'forbidden') return { kind: 'accessDenied', form, query: value, message: answer.message };
    if (answer.kind === 'notFound') continue;
    if (!Array.isArray(answer.value)) throw new CoupaDlError('UNEXPECTED', `Coupa's API answered the lookup of PO ${value} with something other than a list (a bug or an unsupported Coupa version, please report it).`);
    const records = answer.value.map((item) => asRecord(item)).filter((record) => record !== null);
    // A search may match more than one number (Coupa's exact match is assumed; prefer the exact one).
    const record = records.find((candidate) => text(candidate['po-number'])?.toUpperCase() === value.toUpperCase()) ?? records[0];
    if (record === undefined) continue;
    return foundPo(record, form, value, options.plan);
  }
  return { kind: 'notFound', tried };
}

function foundPo(record: Record<string, unknown>, form: PoNumberForm, query: string, plan: RequestPlan): FoundPo {
  const poId = idOf(record.id);
  if (poId === null) throw new CoupaDlError('UNEXPECTED', `Coupa's API found PO ${query} but gave no id for it (a bug or an unsupported Coupa version, please report it).`);
  const supplier = asRecord(record.supplier);
  const requisition = asRecord(record['requisition-header']);
  return {
    kind: 'found',
    poId,
    poNumber: text(record['po-number']) ?? query,
    matchedForm: form,
    query,
    supplier: supplier === null ? null : { id: idOf(supplier.id), name: text(supplier.name) ?? '' },
    requisitionId: requisition === null ? null : idOf(requisition.id),
    headerAttachments: plan === 'trimmed' ? parseAttachments(record.attachments, { where: 'header', parentId: poId }) : null,
  };
}
