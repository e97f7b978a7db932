import type { IncomingMessage, ServerResponse } from 'node:http';
import { toXml, xmlErrors } from './api-xml.ts';
import type { JsonValue } from './json-value.ts';

export type ApiFormat = 'json' | 'xml';

/** XML when the client asks for it before (or instead of) JSON; JSON otherwise, as Coupa defaults. */
export function formatOf(req: IncomingMessage): ApiFormat {
  const accept = (req.headers.accept ?? '').toLowerCase();
  const xml = Math.min(...['application/xml', 'text/xml'].map((type) => indexOr(accept, type)));
  return xml < indexOr(accept, 'application/json') ? 'xml' : 'json';
}

/** Whether the client takes something other than JSON or XML (a file's bytes). */
export function acceptsBytes(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return true;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '');
  return types.some((type) => !['application/json', 'application/xml', 'text/xml'].includes(type));
}

export interface SentBody {
  readonly bytes: number;
}

/** Sends a record or list; `rootName` names the XML root (`order-headers`, `attachment`, …). */
export function sendRecord(res: ServerResponse, format: ApiFormat, rootName: string, value: JsonValue): SentBody {
  const body = format === 'xml' ? toXml(rootName, value) : JSON.stringify(value);
  return send(res, 200, format, body);
}

/**
 * An API error. JSON: `{"errors":{"error":[…]}}` (Coupa's docs show `errors` keyed by object);
 * XML: `<errors><error>…</error></errors>` as documented.
 */
export function sendApiError(res: ServerResponse, format: ApiFormat, status: number, message: string, headers: Record<string, string> = {}): SentBody {
  const body = format === 'xml' ? xmlErrors([message]) : JSON.stringify({ errors: { error: [message] } });
  return send(res, status, format, body, headers);
}

/** A list with no records: JSON gives `[]`; XML answers 404, as Coupa's docs say. */
export function sendEmptyList(res: ServerResponse, format: ApiFormat, rootName: string): SentBody {
  if (format === 'xml') return sendApiError(res, format, 404, 'No results match your search criteria.');
  return sendRecord(res, format, rootName, []);
}

function send(res: ServerResponse, status: number, format: ApiFormat, body: string, headers: Record<string, string> = {}): SentBody {
  const type = format === 'xml' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8';
  const bytes = Buffer.byteLength(body);
  res.writeHead(status, { 'content-type': type, 'content-length': String(bytes), 'cache-control': 'private, no-store', ...headers });
  res.end(body);
  return { bytes };
}

function indexOr(text: string, part: string): number {
  const index = text.indexOf(part);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}
