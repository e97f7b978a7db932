import { CoupaDlError } from '../domain/errors.ts';
import type { ApiCredentials } from './api-credentials.ts';
import { fetchFailure, parseRetryAfterMs } from './api-errors.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** An access token and what Coupa said about it. */
export interface AccessToken {
  readonly value: string;
  readonly obtainedAtMs: number;
  readonly expiresAtMs: number;
  /** Not sent after this: a request on its way when the token ends would be refused. */
  readonly usableUntilMs: number;
  /** When to fetch the next one: after 80 % of the lifetime (Coupa: 24 h tokens, refresh every 20 h). */
  readonly refreshAtMs: number;
  readonly grantedScopes: readonly string[];
  /** Scopes asked for and not granted. */
  readonly missingScopes: readonly string[];
}

export interface TokenProviderOptions {
  readonly baseUrl: string;
  readonly credentials: ApiCredentials;
  readonly scopes: readonly string[];
  readonly limiter: RateLimiter;
  readonly requestTimeoutMs: number;
  /** How many 429s a token request sits out before giving up. */
  readonly maxTooManyRequests: number;
  /** Called for each token request sent (for the client's counts). */
  readonly onRequest?: () => void;
  readonly now?: () => number;
  /** The run's HTTP client; the global fetch when not given. */
  readonly fetch?: typeof globalThis.fetch;
}

const REFRESH_AT_LIFETIME_SHARE = 0.8;
/** A token is not sent in the last tenth of its life (at most the last minute). */
const UNUSED_END_SHARE = 0.1;
const UNUSED_END_MAX_MS = 60_000;
const CHECK_CREDENTIALS = 'Check COUPA_CLIENT_ID and COUPA_CLIENT_SECRET (or the credentials file) against the OAuth client in Coupa (Setup > OAuth2/OpenID Connect Clients), and that the client is active.';

/**
 * The run's one access token, shared by every request. It is fetched when first needed and
 * renewed before it expires: past 80 % of its life the current token is still handed out while
 * one background request fetches the next. When a request's token is refused (401), `renew`
 * fetches a new one; callers that notice at the same time wait for that same request
 * (single-flight). A wrong id or secret is `API_AUTH_FAILED`, a run-stopping error.
 */
export class TokenProvider {
  readonly #options: TokenProviderOptions;
  readonly #now: () => number;
  #current: AccessToken | null = null;
  #pending: Promise<AccessToken> | null = null;

  constructor(options: TokenProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A token good for the next request. */
  async token(signal: AbortSignal): Promise<AccessToken> {
    const current = this.#current;
    const now = this.#now();
    if (current !== null && now < current.usableUntilMs) {
      // Still valid: use it, and renew it in the background once it is getting old.
      if (now >= current.refreshAtMs && this.#pending === null) this.#fetch().catch(() => {});
      return current;
    }
    return waitFor(this.#fetch(), signal);
  }

  /** `stale` was refused: a new token, fetched once however many callers ask at the same time. */
  async renew(stale: AccessToken, signal: AbortSignal): Promise<AccessToken> {
    const current = this.#current;
    if (current !== null && current !== stale && this.#now() < current.usableUntilMs) return current;
    if (current === stale) this.#current = null;
    return waitFor(this.#fetch(), signal);
  }

  #fetch(): Promise<AccessToken> {
    if (this.#pending !== null) return this.#pending;
    const pending = this.#request().then(
      (token) => {
        this.#current = token;
        this.#pending = null;
        return token;
      },
      (error: unknown) => {
        this.#pending = null;
        throw error;
      },
    );
    // Handled here so that a fetch nobody waits for any more (all gave up) fails quietly.
    pending.catch(() => {});
    this.#pending = pending;
    return pending;
  }

  async #request(): Promise<AccessToken> {
    const { baseUrl, credentials, scopes, limiter, requestTimeoutMs } = this.#options;
    // Shared by every caller, so no caller's signal may cancel it: only its own time limit.
    const signal = AbortSignal.timeout(requestTimeoutMs);
    const body = new URLSearchParams([['grant_type', 'client_credentials'], ...credentials.tokenRequestFields(), ['scope', scopes.join(' ')]]);
    for (let tooMany = 0; ; tooMany += 1) {
      // Not paced: every paced request may be waiting for this one (one request a refresh).
      if (tooMany > 0) await limiter.acquire(signal);
      this.#options.onRequest?.();
      let response: Response;
      try {
        response = await (this.#options.fetch ?? fetch)(new URL('/oauth2/token', baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal,
        });
      } catch (error) {
        throw fetchFailure(error, 'the token request', new AbortController().signal, requestTimeoutMs);
      }
      if (response.status === 429 && tooMany < this.#options.maxTooManyRequests) {
        await response.body?.cancel();
        limiter.backOff(parseRetryAfterMs(response.headers.get('retry-after')));
        continue;
      }
      return this.#answer(response);
    }
  }

  async #answer(response: Response): Promise<AccessToken> {
    const text = await response.text();
    const json = parseJson(text);
    const error = typeof json?.error === 'string' ? json.error : null;
    if (response.ok && typeof json?.access_token === 'string' && json.access_token !== '') return this.#accessToken(json);
    if (response.status === 429) throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', 'Coupa kept answering 429 (too many requests) to the token request.');
    if (response.status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa's token endpoint failed (HTTP ${String(response.status)}).`);
    if (error === 'invalid_scope') {
      throw new CoupaDlError('API_SCOPE_MISSING', `The API client has none of the scopes asked for (${this.#options.scopes.join(' ')}).`, {
        hint: 'Ask your Coupa administrator to add these scopes to the OAuth client, or change the scopes setting.',
      });
    }
    if (response.status === 404) {
      throw new CoupaDlError('CONFIG_INVALID', `${this.#options.baseUrl} has no OAuth token endpoint (HTTP 404 for /oauth2/token).`, { hint: 'Check the Coupa address: it is the one you open in the browser, e.g. https://yourcompany.coupahost.com.' });
    }
    if (response.ok) {
      throw new CoupaDlError('API_AUTH_FAILED', `Coupa answered the token request without a token (${(response.headers.get('content-type') ?? 'no content type').split(';')[0] ?? ''}).`, {
        hint: 'Check the Coupa address; a proxy or sign-in page may be answering instead of Coupa.',
      });
    }
    const reason = error === null ? `HTTP ${String(response.status)}` : `HTTP ${String(response.status)}, ${error}`;
    throw new CoupaDlError('API_AUTH_FAILED', `Coupa refused the API client id or secret (${reason}).`, { hint: CHECK_CREDENTIALS });
  }

  #accessToken(json: Record<string, unknown>): AccessToken {
    const now = this.#now();
    const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : Number(json.expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
    const asked = this.#options.scopes;
    // Without a `scope` in the answer, everything asked for was granted (RFC 6749 §5.1).
    const granted = typeof json.scope === 'string' ? json.scope.split(/\s+/).filter((scope) => scope !== '') : [...asked];
    return {
      value: String(json.access_token),
      obtainedAtMs: now,
      expiresAtMs: now + lifetimeMs,
      usableUntilMs: now + lifetimeMs - Math.min(UNUSED_END_MAX_MS, lifetimeMs * UNUSED_END_SHARE),
      refreshAtMs: now + lifetimeMs * REFRESH_AT_LIFETIME_SHARE,
      grantedScopes: granted,
      missingScopes: asked.filter((scope) => !granted.includes(scope)),
    };
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `promise`, or the abort of `signal` if that comes first (the promise goes on for the others). */
async function waitFor<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
