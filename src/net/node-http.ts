import tls from 'node:tls';
import type { Dispatcher, fetch as undiciFetch } from 'undici';
import { describeProxy, type ProxyChoice } from './proxy-choice.ts';
import { trustedCertificates, type TrustedCertificates } from './trust-store.ts';

/**
 * Node's own requests (link downloads, the API, the check of the Coupa address), one client per
 * command: the trusted authorities of trust-store.ts and the proxy of proxy-choice.ts, decided
 * once and handed to whoever fetches, never set process-wide.
 *
 * undici's own `fetch` with its own dispatcher, not Node's global fetch with a dispatcher: the
 * global fetch of Node 22 and 24 (undici 6 and 7 inside) rejects undici 8's dispatchers
 * ("invalid onRequestStart method"); undici 8 works the same on Node 22.19+, 24 and 26. It is
 * loaded at the first request, so `--help` and runs that never fetch from Node do not pay for it.
 */
export interface NodeHttp extends AsyncDisposable {
  /** Has the shape of the global `fetch`; takes a URL or a string. */
  readonly fetch: typeof globalThis.fetch;
  readonly proxy: ProxyChoice;
  /** Whether `url` goes through the proxy (false: direct, or no proxy at all). */
  usesProxy(url: string): boolean;
  /** What is trusted and which proxy is used, in words. */
  describe(): string;
}

export interface NodeHttpOptions {
  readonly proxy: ProxyChoice;
  /** The authorities to trust; tests pass their own. Null: Node's defaults. */
  readonly certificates?: () => TrustedCertificates | null;
}

type UndiciInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

interface Opened {
  readonly dispatcher: Dispatcher;
  readonly send: typeof undiciFetch;
}

export function openNodeHttp(options: NodeHttpOptions): NodeHttp {
  const { proxy } = options;
  let trust: TrustedCertificates | null | undefined;
  const trusted = (): TrustedCertificates | null => (trust === undefined ? (trust = (options.certificates ?? trustedCertificates)()) : trust);
  let opening: Promise<Opened> | null = null;
  const open = (): Promise<Opened> =>
    (opening ??= (async () => {
      const undici = await import('undici');
      const certificates = trusted();
      // One secure context for every connection: building one from ~300 authorities costs tens of ms.
      const tlsOptions = certificates === null ? {} : { secureContext: tls.createSecureContext({ ca: [...certificates.pems] }) };
      // Every value is given, so undici never reads process.env itself.
      const dispatcher = new undici.EnvHttpProxyAgent({
        httpProxy: proxy.httpProxy,
        httpsProxy: proxy.httpsProxy,
        noProxy: proxy.noProxy,
        connect: tlsOptions,
        proxyTls: tlsOptions,
      });
      return { dispatcher, send: undici.fetch };
    })());

  const send = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('NodeHttp.fetch takes a URL or a string, not a Request.');
    const { dispatcher, send: fetchWith } = await open();
    // The global RequestInit and undici 8's differ only in declarations (iterator helpers): same fields.
    const response = await fetchWith(input, { ...(init as UndiciInit | undefined), dispatcher });
    // undici's Response is the class Node's global fetch returns too; its declarations lag @types/node's by a helper or two.
    return response as unknown as Response;
  };

  return {
    fetch: send,
    proxy,
    usesProxy: (url) => proxyFor(proxy, url),
    describe() {
      const certificates = trusted();
      const trustText = certificates === null
        ? "Node's own certificate authorities and NODE_EXTRA_CA_CERTS (this Node cannot read the system's store)"
        : `Node's certificate authorities, NODE_EXTRA_CA_CERTS and the system's store (${certificates.fromSystem} more from the system${certificates.systemProblem === null ? '' : `; the system store could not be read: ${certificates.systemProblem}`})`;
      return `trusts ${trustText}; ${describeProxy(proxy)}`;
    },
    async [Symbol.asyncDispose]() {
      const opened = await opening?.catch(() => null);
      await opened?.dispatcher.close().catch(() => {});
    },
  };
}

/** NO_PROXY's rules as undici applies them (name, subdomains, optional port, `*`). */
function proxyFor(proxy: ProxyChoice, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const via = parsed.protocol === 'https:' ? proxy.httpsProxy : proxy.httpProxy;
  if (via === '') return false;
  const host = parsed.hostname.replace(/^\[(.+)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  for (const entry of proxy.noProxy.split(/[\s,]+/).filter(Boolean)) {
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry.replace(/^\*?\./, '.'));
    if (match === null) continue;
    const [, name = '', entryPort] = match;
    if (entryPort !== undefined && Number(entryPort) !== port) continue;
    const bare = name.replace(/^\./, '').toLowerCase();
    if (name === '*') return false;
    if ((!name.startsWith('.') && host === bare) || host.endsWith(`.${bare}`)) return false;
  }
  return true;
}
