import { CoupaDlError } from '../domain/errors.ts';
import { asRecord, idOf } from './api-attachment.ts';
import type { ApiTransport } from './api-transport.ts';

/** Coupa answers at most 50 records per GET ("Querying Options"). */
export const RECORDS_PER_CALL = 50;

/** `fields=` as Coupa's "API Return Formats" page describes it: names, and `{association: [names]}`. */
export type FieldList = readonly (string | { readonly [association: string]: FieldList })[];

export interface QueryShape {
  /** Ask only for these fields (`fields=[…]`). */
  readonly fields?: FieldList;
  /** `return_object=limited|shallow`, when no `fields` are given. */
  readonly returnObject?: 'limited' | 'shallow';
}

/** `path?query` with the shape and any other parameters (`po-number`, `offset`, …). */
export function apiPath(path: string, params: Readonly<Record<string, string>>, shape: QueryShape = {}): string {
  const query = new URLSearchParams(params);
  if (shape.fields !== undefined) query.set('fields', JSON.stringify(shape.fields));
  else if (shape.returnObject !== undefined) query.set('return_object', shape.returnObject);
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

export type PagedAnswer = { readonly kind: 'ok'; readonly records: Record<string, unknown>[] } | { readonly kind: 'notFound' } | { readonly kind: 'forbidden'; readonly message: string };

/** Far more pages than any PO has lines: a server that ignores `offset` would otherwise loop for ever. */
const MAX_PAGES = 2_000;

/**
 * Every record of a list, 50 per call, following `offset` until a page comes back short. A 404
 * on the first page is "not found" (XML answers 404 for no results; JSON gives `[]`); on a later
 * page it ends the list. A 403 on any page is "forbidden".
 */
export async function getAllPages(transport: ApiTransport, path: string, params: Readonly<Record<string, string>>, shape: QueryShape, signal: AbortSignal): Promise<PagedAnswer> {
  const records: Record<string, unknown>[] = [];
  let firstIdOfLastPage: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await transport.getJson(apiPath(path, { ...params, offset: String(records.length), limit: String(RECORDS_PER_CALL) }, shape), signal);
    if (answer.kind === 'forbidden') return answer;
    if (answer.kind === 'notFound') return page === 0 ? answer : { kind: 'ok', records };
    if (!Array.isArray(answer.value)) throw new CoupaDlError('UNEXPECTED', `Coupa's API answered GET ${path} with something other than a list (a bug or an unsupported Coupa version, please report it).`);
    const items = answer.value.map((item) => asRecord(item) ?? {});
    const firstId = idOf(items[0]?.id);
    if (page > 0 && firstId !== null && firstId === firstIdOfLastPage) {
      throw new CoupaDlError('UNEXPECTED', `Coupa's API answered the same page twice for GET ${path} (offset ignored?); coupa-dl cannot list it (please report it).`);
    }
    firstIdOfLastPage = firstId;
    records.push(...items);
    if (items.length < RECORDS_PER_CALL) return { kind: 'ok', records };
  }
  throw new CoupaDlError('UNEXPECTED', `GET ${path} gave more than ${String(MAX_PAGES * RECORDS_PER_CALL)} records; coupa-dl stops there (please report it).`);
}
