/**
 * Which proxy Node's own requests go through, decided once from `--proxy` and the usual
 * variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, lower case first as curl and undici read
 * them). Pure: the caller hands in the environment.
 */
export interface ProxyChoice {
  /** The proxy for `http://` addresses; empty for a direct connection. */
  readonly httpProxy: string;
  /** The proxy for `https://` addresses (`HTTP_PROXY` when `HTTPS_PROXY` is not set); empty for direct. */
  readonly httpsProxy: string;
  /** Hosts reached directly, as `NO_PROXY` lists them (`example.com`, `.corp.local`, `10.0.0.1:8443`, `*`). */
  readonly noProxy: string;
  /** Where the proxy came from. */
  readonly source: 'setting' | 'environment' | 'none';
}

/** What a browser launch takes: Playwright's `proxy` option. */
export interface BrowserProxy {
  readonly server: string;
  readonly bypass?: string;
  readonly username?: string;
  readonly password?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function variable(env: Env, name: string): string {
  return (env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '').trim();
}

/**
 * This computer itself is never reached through a proxy (as Chromium and Go's HTTP client do it):
 * a corporate laptop with HTTPS_PROXY set would otherwise send `coupa-dl demo`'s requests to its
 * own simulator out to the company proxy.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

/** `--proxy` (given) wins over the variables for both schemes; `NO_PROXY` (and this computer) applies either way. */
export function chooseProxy(setting: string | undefined, env: Env): ProxyChoice {
  const listed = variable(env, 'no_proxy');
  const noProxy = [...new Set([...listed.split(/[\s,]+/).filter(Boolean), ...LOOPBACK])].join(',');
  if (setting !== undefined && setting !== '') return { httpProxy: setting, httpsProxy: setting, noProxy, source: 'setting' };
  const httpProxy = variable(env, 'http_proxy');
  const httpsProxy = variable(env, 'https_proxy') || httpProxy;
  if (httpProxy === '' && httpsProxy === '') return { httpProxy: '', httpsProxy: '', noProxy, source: 'none' };
  return { httpProxy, httpsProxy, noProxy, source: 'environment' };
}

/**
 * The browser's proxy: only the one given with `--proxy`. Without it the browser keeps its own
 * (Edge and Chrome follow the system's settings and PAC scripts, which Node cannot read).
 * `NO_PROXY` entries become Chromium's bypass rules (a name also covers its subdomains, as in
 * `NO_PROXY`); credentials in the URL become Playwright's username and password.
 */
export function browserProxy(choice: ProxyChoice): BrowserProxy | null {
  if (choice.source !== 'setting') return null;
  const url = new URL(choice.httpsProxy);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const bypass = bypassRules(choice.noProxy);
  return {
    server: url.href.replace(/\/$/, ''),
    ...(bypass === '' ? {} : { bypass }),
    ...(username === '' ? {} : { username, password }),
  };
}

function bypassRules(noProxy: string): string {
  const rules: string[] = [];
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') rules.push('*');
    else if (entry.startsWith('*.') || entry.startsWith('.')) rules.push(`*.${entry.replace(/^\*?\./, '')}`);
    else if (entry === '::1') rules.push('[::1]');
    else rules.push(entry, ...(/^[\d.:[\]]+$/.test(entry) ? [] : [`*.${entry}`]));
  }
  // Chromium also bypasses every loopback and link-local address by itself; `<-loopback>` drops that
  // rule, so only what NO_PROXY (and this computer's own names, above) lists goes direct.
  return [...rules, '<-loopback>'].join(',');
}

/** In words for the log and `doctor`, without any password. */
export function describeProxy(choice: ProxyChoice): string {
  if (choice.source === 'none') return 'no proxy (direct connections)';
  const listed = choice.noProxy.split(',').filter((entry) => !LOOPBACK.includes(entry)).join(',');
  const shown = (proxy: string): string => {
    try {
      const url = new URL(proxy);
      if (url.password !== '') url.password = '***';
      return url.href.replace(/\/$/, '');
    } catch {
      return proxy;
    }
  };
  const where = choice.source === 'setting' ? 'from --proxy' : 'from HTTPS_PROXY/HTTP_PROXY';
  const proxies = choice.httpProxy === choice.httpsProxy || choice.httpProxy === '' ? shown(choice.httpsProxy) : `${shown(choice.httpsProxy)} (https), ${shown(choice.httpProxy)} (http)`;
  return `proxy ${proxies} ${where}${listed === '' ? '' : `, not for ${listed}`}`;
}
