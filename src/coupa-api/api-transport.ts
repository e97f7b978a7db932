import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoupaDlError } from '../domain/errors.ts';
import { Deadline } from '../net/deadline.ts';
import { bearerChallenge, fetchFailure, parseRetryAfterMs } from './api-errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { AccessToken, TokenProvider } from './token-provider.ts';

export interface ApiTransportOptions {
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  readonly limiter: RateLimiter;
  /** Time for one JSON answer, all of it; and for a file's headers. */
  readonly requestTimeoutMs: number;
  /** How many 429s one request sits out (each after its Retry-After) before giving up. */
  readonly maxTooManyRequests: number;
  /** A token younger than this that gets 401 is tried again once it is this old (Coupa advises 5 s). */
  readonly tokenSettleMs: number;
  /** The run's HTTP client; the global fetch when not given. */
  readonly fetch?: typeof globalThis.fetch;
}

const MAX_RENEWALS_PER_REQUEST = 3;

/** What a JSON GET found. 403 is a result (a PO or requisition the client may not see), not an error. */
export type JsonAnswer = { readonly kind: 'ok'; readonly value: unknown } | { readonly kind: 'notFound' } | { readonly kind: 'forbidden'; readonly message: string };

/** One JSON answer as Coupa sent it, kept as evidence for a PO (never a token: they travel in headers only). */
export interface RecordedAnswer {
  /** Path and query, e.g. `/api/purchase_orders?po-number=PO100001&fields=…`. */
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

/** Where the answers of the requests made inside `recordAnswers` go. */
export interface AnswerRecorder {
  add(answer: RecordedAnswer): void;
}

const recorders = new AsyncLocalStorage<AnswerRecorder>();

/** A file's answer, body unread. Dispose it once the body is read or given up: that ends the request's link to the caller's signal. */
export interface FileAnswer extends Disposable {
  readonly response: Response;
}

/** A sent request's answer and its deadline, which the caller disposes once the answer is read. */
interface Sent {
  readonly response: Response;
  readonly startedAt: number;
  readonly deadline: Deadline;
}

/**
 * Runs `work` with every JSON answer its requests get handed to `recorder`, however the calls
 * interleave with other POs' (the recorder follows the async calls made inside `work`, not a
 * shared field). Token requests are never recorded.
 */
export function recordAnswers<T>(recorder: AnswerRecorder, work: () => Promise<T>): Promise<T> {
  return recorders.run(recorder, work);
}

/** Counts of what the transport sent and got, for figures and the benchmark. */
export interface ApiTransportStats {
  /** Requests sent (every retry counts). */
  requests: number;
  tooManyRequests: number;
  unauthorized: number;
  /** Bytes of JSON answers. */
  jsonBytes: number;
  /** Time from sending to the end of the answer, summed over JSON requests. */
  jsonTimeMs: number;
  jsonRequests: number;
}

/**
 * Every API request goes through here: the shared pace (one start time per request), the
 * shared token (sent only to Coupa's own origin), 429s sat out and passed on to the pace for
 * everybody, one retry with a new token after a 401, and coded errors for the rest.
 */
export class ApiTransport {
  readonly #options: ApiTransportOptions;
  readonly #origin: string;
  readonly #stats: ApiTransportStats = { requests: 0, tooManyRequests: 0, unauthorized: 0, jsonBytes: 0, jsonTimeMs: 0, jsonRequests: 0 };

  constructor(options: ApiTransportOptions) {
    this.#options = options;
    this.#origin = new URL(options.baseUrl).origin;
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  stats(): ApiTransportStats {
    return { ...this.#stats };
  }

  /** GET a JSON resource (`/api/...?…`). */
  async getJson(path: string, signal: AbortSignal): Promise<JsonAnswer> {
    const url = new URL(path, this.#options.baseUrl);
    const what = `GET ${url.pathname}`;
    const timeoutMs = this.#options.requestTimeoutMs;
    let sent: Sent | undefined;
    try {
      sent = await this.#send(url, 'application/json', signal, what, 'whole-answer');
      const { response, startedAt } = sent;
      if (response.status === 404) {
        await response.body?.cancel();
        recorders.getStore()?.add({ path: `${url.pathname}${url.search}`, status: 404, body: '' });
        return { kind: 'notFound' };
      }
      const text = await response.text();
      recorders.getStore()?.add({ path: `${url.pathname}${url.search}`, status: response.status, body: text });
      this.#stats.jsonBytes += Buffer.byteLength(text);
      this.#stats.jsonRequests += 1;
      this.#stats.jsonTimeMs += performance.now() - startedAt;
      if (response.status === 403) return this.#forbidden(response, text, what);
      if (response.status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa's API failed ${what} (HTTP ${String(response.status)}).`);
      if (!response.ok) throw unexpectedStatus(response.status, text, what);
      const type = response.headers.get('content-type') ?? '';
      if (!/json/i.test(type)) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa's API answered ${what} with ${type.split(';')[0] || 'no content type'} instead of JSON.`);
      try {
        return { kind: 'ok', value: JSON.parse(text) as unknown };
      } catch (error) {
        throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa's API answered ${what} with JSON that does not parse (${String(text.length)} characters).`, { cause: error });
      }
    } catch (error) {
      throw fetchFailure(error, what, signal, timeoutMs);
    } finally {
      sent?.deadline.release();
    }
  }

  /**
   * GET a file's bytes: the response once its headers are in (within the request time limit),
   * body unread: its reader bounds the rest through `signal`. The token goes along only to
   * Coupa's own origin.
   */
  async open(url: URL, accept: string, signal: AbortSignal): Promise<FileAnswer> {
    const what = `GET ${url.pathname}`;
    try {
      const { response, deadline } = await this.#send(url, accept, signal, what, 'headers-only');
      return { response, [Symbol.dispose]: () => deadline.release() };
    } catch (error) {
      throw fetchFailure(error, what, signal, this.#options.requestTimeoutMs);
    }
  }

  /**
   * Sends until the answer is neither a 429 nor a first 401. The time limit starts when the
   * request leaves (not while it waits for its turn) and covers the whole answer or only its
   * headers; the caller's `signal` bounds the waits and, for files, the body.
   */
  async #send(url: URL, accept: string, signal: AbortSignal, what: string, limit: 'whole-answer' | 'headers-only'): Promise<Sent> {
    const { limiter, tokens, requestTimeoutMs } = this.#options;
    const ownOrigin = url.origin === this.#origin;
    // A refused token is waited out once if it is brand new (it may not be active yet), then
    // renewed. A token can be refused for ending while the request waited in Coupa's queue, or
    // be revoked just after it came: only refusals that go on after several renewals mean the
    // client itself is refused.
    let settled = false;
    let renewals = 0;
    let tooMany = 0;
    for (;;) {
      await limiter.acquire(signal);
      const token = ownOrigin ? await tokens.token(signal) : null;
      const headers: Record<string, string> = { accept };
      if (token !== null) headers.authorization = `Bearer ${token.value}`;
      this.#stats.requests += 1;
      const startedAt = performance.now();
      // Released here unless handed to the caller, who releases it once the answer is read.
      const deadline = new Deadline(signal, requestTimeoutMs);
      let handedOver = false;
      try {
        const send = this.#options.fetch ?? fetch;
        const response = await send(url, { headers, signal: deadline.signal });
        // A file's body may take as long as the caller's signal allows (its own download limit).
        if (limit === 'headers-only') deadline.stopTimer();
        if (response.status === 429) {
          this.#stats.tooManyRequests += 1;
          await response.body?.cancel();
          const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
          limiter.backOff(retryAfterMs);
          tooMany += 1;
          if (tooMany > this.#options.maxTooManyRequests) {
            throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', `Coupa's API kept answering 429 (too many requests) to ${what}.`, retryAfterMs === undefined ? {} : { retryAfterMs });
          }
          continue;
        }
        if (response.status === 401 && token !== null) {
          this.#stats.unauthorized += 1;
          await response.body?.cancel();
          if (!settled && this.#isYoung(token)) {
            settled = true;
            await sleep(this.#options.tokenSettleMs - this.#ageMs(token), undefined, { signal });
            continue;
          }
          if (renewals >= MAX_RENEWALS_PER_REQUEST) throw refused(response, what);
          renewals += 1;
          await tokens.renew(token, signal);
          continue;
        }
        handedOver = true;
        return { response, startedAt, deadline };
      } finally {
        if (!handedOver) deadline.release();
      }
    }
  }

  #isYoung(token: AccessToken): boolean {
    return this.#ageMs(token) < this.#options.tokenSettleMs;
  }

  #ageMs(token: AccessToken): number {
    return Date.now() - token.obtainedAtMs;
  }

  #forbidden(response: Response, text: string, what: string): JsonAnswer {
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    if (challenge.error === 'insufficient_scope') {
      const scope = challenge.scope ?? 'a scope';
      throw new CoupaDlError('API_SCOPE_MISSING', `The API client lacks the scope ${scope}, which ${what} needs.`, {
        hint: `Ask your Coupa administrator to add ${scope} to the OAuth client (Setup > OAuth2/OpenID Connect Clients).`,
      });
    }
    return { kind: 'forbidden', message: errorText(text) ?? `HTTP 403 for ${what}` };
  }
}

function refused(response: Response, what: string): CoupaDlError {
  const challenge = bearerChallenge(response.headers.get('www-authenticate'));
  const detail = challenge.error_description ?? challenge.error ?? 'HTTP 401';
  return new CoupaDlError('API_AUTH_FAILED', `Coupa's API refused a new access token for ${what} (${detail}).`, {
    hint: 'Check that the OAuth client is still active in Coupa (Setup > OAuth2/OpenID Connect Clients), then run the same command again.',
  });
}

function unexpectedStatus(status: number, text: string, what: string): CoupaDlError {
  const detail = errorText(text);
  return new CoupaDlError('UNEXPECTED', `Coupa's API refused ${what} (HTTP ${String(status)}${detail === null ? '' : `: ${detail}`}); coupa-dl may not support this Coupa version (a bug, please report it).`);
}

/** The first message of a Coupa error body (`{"errors":{…:[msg]}}` or `<error>msg</error>`), or null. */
export function errorText(text: string): string | null {
  try {
    const json = JSON.parse(text) as { errors?: Record<string, unknown> };
    const first = Object.values(json.errors ?? {}).flat()[0];
    if (typeof first === 'string') return first;
  } catch {
    // Not JSON: maybe XML.
  }
  return /<error>([^<]*)<\/error>/.exec(text)?.[1] ?? null;
}
