import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedApiOptions } from './api-options.ts';

interface IssuedToken {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  readonly issuedAtMs: number;
  expiresAtMs: number;
}

/** What a Bearer token is worth for one request. */
export type TokenCheck =
  | { readonly ok: true; readonly scopes: ReadonlySet<string> }
  | { readonly ok: false; readonly reason: 'missing' | 'unknown' | 'expired' | 'not-yet-active' };

const MAX_FORM_BYTES = 16_384;

/**
 * The OAuth 2.0 token endpoint (client credentials grant, form-encoded, space-separated scopes)
 * and the tokens it issued. A token gets the scopes asked for that the client holds; the others
 * are left out (the answer's `scope` says which were granted) and the endpoints needing them
 * answer 403. Errors follow RFC 6749 §5.2 (Coupa's docs show none).
 */
export class OAuthServer {
  readonly #options: ResolvedApiOptions;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #now: () => number;

  constructor(options: ResolvedApiOptions, now: () => number = Date.now) {
    this.#options = options;
    this.#now = now;
  }

  async handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return oauthError(res, 405, 'invalid_request', 'The token endpoint takes POST.');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return oauthError(res, 400, 'invalid_request', 'Send the parameters form-encoded (application/x-www-form-urlencoded).');
    const form = await readForm(req);
    if (form === null) return oauthError(res, 400, 'invalid_request', 'The request body is too large.');
    if (form.get('grant_type') !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    const client = this.#options.clients.find((candidate) => candidate.clientId === form.get('client_id'));
    if (client === undefined || client.clientSecret !== form.get('client_secret')) {
      return oauthError(res, 401, 'invalid_client', 'Client authentication failed: unknown client id or wrong secret.');
    }
    const asked = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const granted = asked.length === 0 ? [...client.scopes] : asked.filter((scope) => client.scopes.includes(scope));
    if (granted.length === 0) return oauthError(res, 400, 'invalid_scope', `None of the requested scopes is granted to this client: ${asked.join(' ')}.`);
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    this.#tokens.set(token, { clientId: client.clientId, scopes: new Set(granted), issuedAtMs: now, expiresAtMs: now + this.#options.tokenExpiresInSeconds * 1000 });
    const body = JSON.stringify({
      access_token: token,
      token_type: 'bearer',
      expires_in: this.#options.tokenExpiresInSeconds,
      scope: granted.join(' '),
      created_at: Math.floor(now / 1000),
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', pragma: 'no-cache' });
    res.end(body);
  }

  /** Checks the `Authorization: Bearer` header of an API request. */
  check(authorization: string | undefined): TokenCheck {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return { ok: false, reason: 'missing' };
    const issued = this.#tokens.get(token);
    if (issued === undefined) return { ok: false, reason: 'unknown' };
    const now = this.#now();
    if (now >= issued.expiresAtMs) return { ok: false, reason: 'expired' };
    if (now - issued.issuedAtMs < this.#options.tokenActivationMs) return { ok: false, reason: 'not-yet-active' };
    return { ok: true, scopes: issued.scopes };
  }

  /** Ends every token issued so far (the next request with one gets 401); later tokens are fine. */
  expireAll(): void {
    for (const issued of this.#tokens.values()) issued.expiresAtMs = Math.min(issued.expiresAtMs, this.#now());
  }
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
