import { createHmac, timingSafeEqual } from 'node:crypto';

/** The bucket the simulated storage host keeps attachment files in. */
export const STORAGE_BUCKET = 'paperclip-sim';

/** How long a signed URL stays valid, like the short-lived links S3 hands out. */
export const STORAGE_URL_EXPIRES_SEC = 300;

const CREDENTIAL_KEY = 'SIMULATEDKEYID';

export interface SignedFile {
  readonly attId: string;
  readonly name: string;
}

/**
 * A signed storage URL shaped like an S3 presigned GET: `/<bucket>/<attId>/<name>?X-Amz-…`, valid
 * for `expiresSec` from `nowMs`. The signature covers the path, the date and the expiry.
 */
export function signStorageUrl(origin: string, secret: string, file: SignedFile, nowMs: number, expiresSec = STORAGE_URL_EXPIRES_SEC): string {
  const path = storagePath(file);
  const date = amzDate(nowMs);
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${CREDENTIAL_KEY}/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': String(expiresSec),
    'X-Amz-SignedHeaders': 'host',
  });
  query.set('X-Amz-Signature', signature(secret, path, date, String(expiresSec)));
  return `${origin}${path}?${query.toString()}`;
}

export type StorageCheck =
  | { readonly ok: true; readonly file: SignedFile; readonly signature: string }
  | { readonly ok: false; readonly status: 403 | 404; readonly code: string; readonly message: string };

/** Checks a request to the storage host: the right signature over its path, and not expired at `nowMs`. */
export function checkStorageRequest(url: URL, secret: string, nowMs: number): StorageCheck {
  const match = new RegExp(`^/${STORAGE_BUCKET}/(\\d+)/([^/]+)$`).exec(url.pathname);
  if (match === null) return { ok: false, status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
  let name: string;
  try {
    name = decodeURIComponent(match[2] ?? '');
  } catch {
    return { ok: false, status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
  }
  const file = { attId: match[1] ?? '', name };
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const expires = url.searchParams.get('X-Amz-Expires') ?? '';
  const given = url.searchParams.get('X-Amz-Signature') ?? '';
  if (date === '' || expires === '' || given === '') {
    return { ok: false, status: 403, code: 'AccessDenied', message: 'Query-string authentication requires the Signature, Expires and Date parameters.' };
  }
  // Signed over the canonical path, so a client that re-encodes the name differently still matches.
  const expected = signature(secret, storagePath(file), date, expires);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  const signedAt = parseAmzDate(date);
  if (signedAt === null || nowMs > signedAt + Number(expires) * 1000) return { ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' };
  return { ok: true, file, signature: given };
}

/** An S3-like XML error body. */
export function storageErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SIMULATED</RequestId></Error>`;
}

function storagePath(file: SignedFile): string {
  return `/${STORAGE_BUCKET}/${file.attId}/${encodeURIComponent(file.name)}`;
}

function signature(secret: string, path: string, date: string, expires: string): string {
  return createHmac('sha256', secret).update(`GET\n${path}\n${date}\n${expires}`).digest('hex');
}

/** `20250301T101500Z`, the format of X-Amz-Date. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}
