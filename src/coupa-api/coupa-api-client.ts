import { DEFAULT_PO_PREFIX_RULE } from '../domain/po-number.ts';
import { checkAccess, type AccessReport } from './access-check.ts';
import type { ApiAttachment } from './api-attachment.ts';
import type { ApiCredentials } from './api-credentials.ts';
import { ApiTransport, recordAnswers, type AnswerRecorder, type ApiTransportStats } from './api-transport.ts';
import { listPoAttachments, listRequisitionAttachments, type PoAttachments, type RequisitionAttachments } from './attachment-lister.ts';
import { downloadAttachment, type DownloadedFile, type FileShape } from './file-download.ts';
import { resolvePo, type FoundPo, type PoLookup, type RequestPlan } from './po-resolver.ts';
import { RateLimiter } from './rate-limiter.ts';
import { TokenProvider } from './token-provider.ts';

/** The scopes Coupa's docs name for what coupa-dl reads (no attachment scope is documented). */
export const DEFAULT_API_SCOPES = ['core.purchase_order.read', 'core.requisition.read', 'core.comment.read', 'core.common.read'] as const;

export interface CoupaApiClientOptions {
  /** The instance, e.g. `https://acme.coupahost.com` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly credentials: ApiCredentials;
  readonly scopes?: readonly string[];
  /** The pace of all requests together. Coupa allows 25/s per instance, shared with other integrations. */
  readonly requestsPerSecond?: number;
  readonly fileShape?: FileShape;
  readonly requestPlan?: RequestPlan;
  /** Prefixes tried off a PO number when it is not found as written. */
  readonly poPrefixes?: readonly string[];
  readonly requestTimeoutMs?: number;
  readonly downloadTimeoutMs?: number;
  readonly tokenSettleMs?: number;
  readonly maxTooManyRequests?: number;
  /** Node's HTTP client of the run (trusted authorities, proxy: net/node-http.ts); the global fetch when not given. */
  readonly fetch?: typeof globalThis.fetch;
}

export const API_CLIENT_DEFAULTS = {
  requestsPerSecond: 10,
  fileShape: 'own-endpoint',
  requestPlan: 'trimmed',
  requestTimeoutMs: 60_000,
  downloadTimeoutMs: 600_000,
  // Coupa advises a 5 s wait between getting a token and using it; only a refused young token waits.
  tokenSettleMs: 5_000,
  maxTooManyRequests: 20,
} as const satisfies Partial<CoupaApiClientOptions>;

export interface ApiClientStats extends ApiTransportStats {
  tokenRequests: number;
  /** The pace now (lower than asked after recent 429s). */
  requestsPerSecond: number;
}

/**
 * Coupa's REST API for coupa-dl: one per run, shared by every worker, so that the token, the
 * pace and the 429 back-off are the run's, not a worker's. Everything a per-PO adapter needs:
 * find a PO by number, list its attachments (header, lines, comments) and a requisition's,
 * download a file attachment, and check the credentials and scopes for `doctor`.
 */
export class CoupaApiClient {
  readonly #transport: ApiTransport;
  readonly #tokens: TokenProvider;
  readonly #limiter: RateLimiter;
  readonly #scopes: readonly string[];
  readonly #plan: RequestPlan;
  readonly #fileShape: FileShape;
  readonly #prefixes: readonly string[];
  readonly #downloadTimeoutMs: number;
  #tokenRequests = 0;

  constructor(options: CoupaApiClientOptions) {
    const settings = { ...API_CLIENT_DEFAULTS, ...definedOnly(options) };
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#scopes = options.scopes ?? DEFAULT_API_SCOPES;
    this.#plan = settings.requestPlan;
    this.#fileShape = settings.fileShape;
    this.#prefixes = options.poPrefixes ?? DEFAULT_PO_PREFIX_RULE.prefixes;
    this.#downloadTimeoutMs = settings.downloadTimeoutMs;
    this.#limiter = new RateLimiter({ requestsPerSecond: settings.requestsPerSecond });
    this.#tokens = new TokenProvider({
      baseUrl,
      credentials: options.credentials,
      scopes: this.#scopes,
      limiter: this.#limiter,
      requestTimeoutMs: settings.requestTimeoutMs,
      maxTooManyRequests: settings.maxTooManyRequests,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      onRequest: () => {
        this.#tokenRequests += 1;
      },
    });
    this.#transport = new ApiTransport({
      baseUrl,
      tokens: this.#tokens,
      limiter: this.#limiter,
      requestTimeoutMs: settings.requestTimeoutMs,
      maxTooManyRequests: settings.maxTooManyRequests,
      tokenSettleMs: settings.tokenSettleMs,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  /** The PO with this number: as written first, then without its `PO`/`PM` prefix. */
  resolvePo(number: string, signal: AbortSignal): Promise<PoLookup> {
    return resolvePo(this.#transport, number, { prefixes: this.#prefixes, plan: this.#plan }, signal);
  }

  /** The attachments of a PO's header, of every order line and of every comment. */
  listPoAttachments(po: FoundPo, signal: AbortSignal): Promise<PoAttachments> {
    return listPoAttachments(this.#transport, po, this.#plan, signal);
  }

  listRequisitionAttachments(requisitionId: string, signal: AbortSignal): Promise<RequisitionAttachments> {
    return listRequisitionAttachments(this.#transport, requisitionId, this.#plan, signal);
  }

  /** One file attachment to `tempPath`, counted, hashed and size-checked. */
  downloadAttachment(attachment: ApiAttachment, options: { readonly tempPath: string; readonly signal: AbortSignal; readonly onBytes?: (written: number, total: number | null) => void }): Promise<DownloadedFile> {
    return downloadAttachment(this.#transport, attachment, { shape: this.#fileShape, downloadTimeoutMs: this.#downloadTimeoutMs, ...options });
  }

  /** Runs `work` with the JSON answers of its requests handed to `recorder` (a PO's evidence). */
  recording<T>(recorder: AnswerRecorder, work: () => Promise<T>): Promise<T> {
    return recordAnswers(recorder, work);
  }

  /** For `doctor --source api`: does a token come, and which scopes are missing? */
  checkAccess(signal: AbortSignal): Promise<AccessReport> {
    return checkAccess(this.#tokens, this.#scopes, signal);
  }

  stats(): ApiClientStats {
    return { ...this.#transport.stats(), tokenRequests: this.#tokenRequests, requestsPerSecond: this.#limiter.requestsPerSecond };
  }
}

/** The options given, without the ones left undefined (so the defaults stay). */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
