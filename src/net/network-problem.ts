/**
 * Why a request from Node got no answer, sorted into what a user can act on. Node's fetch
 * (undici) says only "fetch failed"; the reason is in its `cause`, sometimes several levels
 * down or inside an AggregateError (one per address tried).
 */
export type NetworkProblemKind = 'dns' | 'refused' | 'tls' | 'proxy' | 'timeout' | 'reset' | 'other';

export interface NetworkProblem {
  readonly kind: NetworkProblemKind;
  /** The most telling code (`ENOTFOUND`, `SELF_SIGNED_CERT_IN_CHAIN`, …), or ''. */
  readonly code: string;
  /** The lowest-level message, one line. */
  readonly detail: string;
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN']);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL)/;

interface Found {
  readonly code: string;
  readonly message: string;
}

/** Every error in the cause chain (and inside AggregateErrors), outermost first. */
function chain(error: unknown): Found[] {
  const found: Found[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (!(value instanceof Error) || seen.has(value) || depth > 8) return;
    seen.add(value);
    const code = (value as { code?: unknown }).code;
    found.push({ code: typeof code === 'string' ? code : '', message: value.message.split('\n')[0] ?? '' });
    if (value instanceof AggregateError) for (const inner of value.errors) visit(inner, depth + 1);
    visit(value.cause, depth + 1);
  };
  visit(error, 0);
  return found;
}

/** The problem, or null when `error` is not a failure to get an answer (an abort by the run, a bug). */
export function networkProblem(error: unknown): NetworkProblem | null {
  const found = chain(error);
  if (found.length === 0) return null;
  const outer = error instanceof Error ? error : null;
  const deepest = [...found].reverse();
  const pick = (kind: NetworkProblemKind, test: (f: Found) => boolean): NetworkProblem | null => {
    const hit = deepest.find(test);
    return hit === undefined ? null : { kind, code: hit.code, detail: hit.message };
  };
  const isProxy = (f: Found): boolean => /proxy/i.test(f.message) || f.code === 'UND_ERR_PRX_TLS';
  const problem =
    pick('proxy', isProxy) ??
    pick('tls', (f) => TLS_CODE.test(f.code) || /certificate|ssl|tls/i.test(f.message)) ??
    pick('dns', (f) => DNS.has(f.code)) ??
    pick('refused', (f) => REFUSED.has(f.code)) ??
    pick('timeout', (f) => TIMEOUT.has(f.code) || f.code === 'ABORT_ERR' && /timeout/i.test(f.message)) ??
    pick('reset', (f) => RESET.has(f.code) || /other side closed|socket hang up|terminated/i.test(f.message));
  if (problem !== null) return problem;
  if (outer?.name === 'TimeoutError') return { kind: 'timeout', code: '', detail: outer.message };
  // fetch's own wording for a request that never got an answer.
  if (outer instanceof TypeError && outer.message === 'fetch failed') {
    const last = deepest[0];
    return { kind: 'other', code: last?.code ?? '', detail: last?.message ?? outer.message };
  }
  return null;
}

/** Whether the problem is with the way there (name, route, trust, proxy), not with a half-sent answer. */
export function isConnectProblem(problem: NetworkProblem): boolean {
  return problem.kind === 'dns' || problem.kind === 'refused' || problem.kind === 'tls' || problem.kind === 'proxy' || problem.kind === 'timeout';
}

/** What went wrong, in words, for `host`. */
export function problemInWords(problem: NetworkProblem, host: string): string {
  const code = problem.code === '' ? '' : ` (${problem.code})`;
  switch (problem.kind) {
    case 'dns':
      return `the name ${host} is not known to this computer${code}`;
    case 'refused':
      return `nothing answers at ${host}: the connection was refused${code}`;
    case 'tls':
      return `the secure connection to ${host} failed: ${problem.detail}${code}`;
    case 'proxy':
      return `the proxy refused the connection to ${host}: ${problem.detail}`;
    case 'timeout':
      return `${host} did not answer in time${code}`;
    case 'reset':
      return `the connection to ${host} was cut${code}`;
    case 'other':
      return `${host} could not be reached: ${problem.detail}${code}`;
    default: {
      const never: never = problem.kind;
      return never;
    }
  }
}
