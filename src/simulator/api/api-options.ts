/**
 * Options of the simulated REST API (`/oauth2/token`, `/api/...`). Which facts are Coupa's
 * documented behaviour and which are guesses is written in docs/coupa-api.md.
 */

/** The scopes Coupa's docs name for what coupa-dl reads. */
export const API_SCOPES = ['core.purchase_order.read', 'core.requisition.read', 'core.comment.read', 'core.common.read'] as const;

/** One OAuth client known to the simulated instance. */
export interface ApiClientOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The scopes the client may be granted; a token asks for some of them. */
  readonly scopes: readonly string[];
}

/**
 * Which form of a PO number `?po-number=` matches: `as-shown` is the number the pages show
 * (`PO100001`, `PM100004`), `digits` the number without its prefix (`100001`).
 */
export type PoNumberForm = 'as-shown' | 'digits';

/** Ways a file's bytes can be fetched (see docs/coupa-api.md: neither is documented). */
export type FileShape = 'own-endpoint' | 'file-url';

export interface ApiRateLimitOptions {
  /** Tokens added per second. Coupa: 25. */
  readonly requestsPerSecond: number;
  /** Bucket size: requests served at once after a quiet spell. Coupa: 20. */
  readonly burst: number;
  /** Requests held (answered late) when the bucket is empty; beyond that, 429. Coupa: 20. */
  readonly queue: number;
  /** `Retry-After` of a 429. */
  readonly retryAfterSeconds: number;
}

export interface ApiOptions {
  clients?: readonly ApiClientOptions[];
  /** `expires_in` of new tokens. Coupa: 86,399 s. */
  tokenExpiresInSeconds?: number;
  /** A new token is refused (401) until it is this old; Coupa advises a 5 s wait. Default 0. */
  tokenActivationMs?: number;
  poNumberForm?: PoNumberForm;
  /** Which byte shapes answer with the file; the others answer with the attachment's JSON or 404. */
  fileShapes?: readonly FileShape[];
  /** Whether comment records carry their `attachments` (else only `/api/comments/<id>/attachments` has them). */
  commentsEmbedAttachments?: boolean;
  /** null turns the limit off. */
  rateLimit?: ApiRateLimitOptions | null;
  /** Delay before every JSON/XML answer. */
  latencyMs?: number;
}

export interface ResolvedApiOptions {
  readonly clients: readonly ApiClientOptions[];
  readonly tokenExpiresInSeconds: number;
  readonly tokenActivationMs: number;
  readonly poNumberForm: PoNumberForm;
  readonly fileShapes: readonly FileShape[];
  readonly commentsEmbedAttachments: boolean;
  readonly rateLimit: ApiRateLimitOptions | null;
  readonly latencyMs: number;
}

export const DEMO_API_CLIENT: ApiClientOptions = { clientId: 'coupa-dl-demo', clientSecret: 'demo-secret', scopes: API_SCOPES };

export const COUPA_RATE_LIMIT: ApiRateLimitOptions = { requestsPerSecond: 25, burst: 20, queue: 20, retryAfterSeconds: 1 };

export const API_DEFAULTS: ResolvedApiOptions = {
  clients: [DEMO_API_CLIENT],
  tokenExpiresInSeconds: 86_399,
  tokenActivationMs: 0,
  poNumberForm: 'as-shown',
  fileShapes: ['own-endpoint', 'file-url'],
  commentsEmbedAttachments: true,
  rateLimit: COUPA_RATE_LIMIT,
  latencyMs: 0,
};

/** Every problem of the API options in one message, or the resolved options. */
export function resolveApiOptions(options: ApiOptions = {}): ResolvedApiOptions {
  const resolved: ResolvedApiOptions = {
    clients: options.clients ?? API_DEFAULTS.clients,
    tokenExpiresInSeconds: options.tokenExpiresInSeconds ?? API_DEFAULTS.tokenExpiresInSeconds,
    tokenActivationMs: options.tokenActivationMs ?? API_DEFAULTS.tokenActivationMs,
    poNumberForm: options.poNumberForm ?? API_DEFAULTS.poNumberForm,
    fileShapes: options.fileShapes ?? API_DEFAULTS.fileShapes,
    commentsEmbedAttachments: options.commentsEmbedAttachments ?? API_DEFAULTS.commentsEmbedAttachments,
    rateLimit: options.rateLimit === undefined ? API_DEFAULTS.rateLimit : options.rateLimit,
    latencyMs: options.latencyMs ?? API_DEFAULTS.latencyMs,
  };
  const problems: string[] = [];
  const positive = (name: string, value: number, min: number) => {
    if (!Number.isFinite(value) || value < min) problems.push(`Expected \`api.${name}\` to be a number of at least ${String(min)}, got \`${String(value)}\`.`);
  };
  positive('tokenExpiresInSeconds', resolved.tokenExpiresInSeconds, 1);
  positive('tokenActivationMs', resolved.tokenActivationMs, 0);
  positive('latencyMs', resolved.latencyMs, 0);
  if (!['as-shown', 'digits'].includes(resolved.poNumberForm)) problems.push(`Expected \`api.poNumberForm\` to be as-shown or digits, got \`${String(resolved.poNumberForm)}\`.`);
  for (const shape of resolved.fileShapes) {
    if (!['own-endpoint', 'file-url'].includes(shape)) problems.push(`Expected \`api.fileShapes\` to hold own-endpoint and/or file-url, got \`${String(shape)}\`.`);
  }
  if (resolved.rateLimit !== null) {
    positive('rateLimit.requestsPerSecond', resolved.rateLimit.requestsPerSecond, 0.1);
    positive('rateLimit.burst', resolved.rateLimit.burst, 1);
    positive('rateLimit.queue', resolved.rateLimit.queue, 0);
    positive('rateLimit.retryAfterSeconds', resolved.rateLimit.retryAfterSeconds, 0);
  }
  if (new Set(resolved.clients.map((client) => client.clientId)).size !== resolved.clients.length) problems.push('Expected `api.clients` to have distinct client ids.');
  if (problems.length > 0) throw new Error(problems.join(' '));
  return resolved;
}
