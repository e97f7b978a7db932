import { existsSync } from 'node:fs';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser } from '../browser/launch.ts';
import { isConclusive, recogniseCoupa, type HostAnswer } from '../coupa/coupa-host.ts';
import type { DownloadVia } from '../coupa/download-route.ts';
import { CoupaDlError } from '../domain/errors.ts';
import { networkProblem, problemInWords, type NetworkProblem } from '../net/network-problem.ts';
import type { NodeHttp } from '../net/node-http.ts';
import type { App } from './app.ts';
import type { JobConfig } from './settings.ts';
import type { NetworkChoice } from './network.ts';

/**
 * The Coupa address, checked once before a run signs in or touches the output folder: one plain
 * request from Node (no cookies). An address that cannot be reached, or that answers but is not
 * Coupa, stops here with what happened and what to do (exit 2), not with a browser's call log.
 * When Node cannot connect but the browser can (Edge following a PAC script, a certificate only
 * the browser trusts), the run goes on and fetches its files through the browser.
 */
export interface AddressCheck {
  readonly downloadsVia: DownloadVia;
  /** Why downloads start in the browser, for the run's log; null when they start from Node. */
  readonly note: string | null;
}

const CHECK_TIMEOUT_MS = 20_000;
const MAX_HOPS = 5;
const BODY_BYTES = 64 * 1024;

type Probe = { answers: HostAnswer[] } | { problem: NetworkProblem };

export async function checkCoupaAddress(app: App, config: Pick<JobConfig, 'baseUrl' | 'browser'>, http: NodeHttp, network: NetworkChoice): Promise<AddressCheck> {
  const signal = AbortSignal.any([app.interrupt, AbortSignal.timeout(CHECK_TIMEOUT_MS)]);
  const probe = await probeFromNode(http.fetch, config.baseUrl, signal).catch((error: unknown) => interrupted(app, error));
  if ('answers' in probe) {
    refuseIfNotCoupa(config.baseUrl, probe.answers);
    return { downloadsVia: 'node', note: null };
  }
  const host = new URL(config.baseUrl).host;
  const viaProxy = http.usesProxy(config.baseUrl);
  const fromBrowser = await probeFromBrowser(app, config, network, signal).catch((error: unknown) => interrupted(app, error));
  if ('answers' in fromBrowser) {
    refuseIfNotCoupa(config.baseUrl, fromBrowser.answers);
    return {
      downloadsVia: 'browser',
      note: `Node cannot reach ${host} (${problemInWords(probe.problem, host)}) but the browser can: this run downloads its files through the browser. ` +
        'To download from Node (faster, with progress), set --proxy to your company proxy, or have its certificate installed in the system store.',
    };
  }
  throw unreachable(config.baseUrl, probe.problem, viaProxy ? http.proxy.httpsProxy : null, fromBrowser.problem);
}

function interrupted(app: App, error: unknown): never {
  if (app.interrupt.aborted) throw new CoupaDlError('INTERRUPTED', 'Stopped while checking the Coupa address. Nothing was downloaded and the output folder was not touched.');
  throw error;
}

/** GET the address, following redirects a few hops, until Coupa shows a mark or the answers end. */
async function probeFromNode(fetch: typeof globalThis.fetch, baseUrl: string, signal: AbortSignal): Promise<Probe> {
  const answers: HostAnswer[] = [];
  let url = `${baseUrl}/`;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'text/html,*/*' } });
    } catch (error) {
      if (signal.aborted && !(signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')) throw error;
      const problem = networkProblem(error) ?? { kind: 'timeout' as const, code: '', detail: error instanceof Error ? error.message : String(error) };
      if (hop === 0) return { problem };
      // A later hop (an identity provider, say) that cannot be reached says nothing against the address.
      break;
    }
    const locationHeader = response.headers.get('location');
    const location = locationHeader === null ? null : new URL(locationHeader, url).href;
    const body = location === null ? await readStart(response, BODY_BYTES) : (await response.body?.cancel().catch(() => {}), '');
    answers.push({ url, status: response.status, location, cookieNames: response.headers.getSetCookie().map((cookie) => cookie.split('=')[0]?.trim() ?? ''), body });
    if (recogniseCoupa(answers).coupa || location === null) break;
    url = location;
  }
  return { answers };
}

async function readStart(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.length;
    }
  } catch {
    // What arrived is enough to recognise a page.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The same address in a headless browser, with the browser's own network settings (or --proxy). */
async function probeFromBrowser(app: App, config: Pick<JobConfig, 'baseUrl' | 'browser'>, network: NetworkChoice, signal: AbortSignal): Promise<{ answers: HostAnswer[] } | { problem: string }> {
  let executablePath: string;
  try {
    executablePath = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync }).executablePath;
  } catch {
    return { problem: 'no browser to try it with' };
  }
  const browser = await launchBrowser({ executablePath, headless: true, isRoot: app.isRoot, proxy: network.browserProxy }).catch(() => null);
  if (browser === null) return { problem: 'the browser did not start' };
  const stop = (): void => void browser.close().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${config.baseUrl}/`, { waitUntil: 'domcontentloaded', timeout: CHECK_TIMEOUT_MS });
    const cookies = await context.cookies();
    const body = await page.content().catch(() => '');
    return { answers: [{ url: page.url(), status: response?.status() ?? 200, location: null, cookieNames: cookies.map((cookie) => cookie.name), body: body.slice(0, BODY_BYTES) }] };
  } catch (error) {
    if (app.interrupt.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { problem: /net::ERR_\w+/.exec(message)?.[0] ?? (signal.aborted ? 'no answer in time' : message.split('\n')[0] ?? message) };
  } finally {
    signal.removeEventListener('abort', stop);
    await browser.close().catch(() => {});
  }
}

function refuseIfNotCoupa(baseUrl: string, answers: readonly HostAnswer[]): void {
  const verdict = recogniseCoupa(answers);
  if (verdict.coupa || !isConclusive(answers)) return;
  throw new CoupaDlError('NOT_COUPA', `${baseUrl} answers, but it does not look like Coupa (it showed ${verdict.shown}).`, {
    hint: 'Check --base-url: it is the address your browser shows when you open Coupa, like https://yourcompany.coupahost.com (without the page path). ' +
      'If that is the address, a proxy or filter may be answering instead of Coupa: ask IT, or set --proxy. Nothing was downloaded and the output folder was not touched.',
  });
}

const HINTS: Record<NetworkProblem['kind'], string> = {
  dns: 'Check --base-url for typos (it looks like https://yourcompany.coupahost.com). If the address opens in your browser, connect to the company network or VPN, or set --proxy to your company proxy.',
  refused: 'Check --base-url (and its port). Connect to the company network or VPN; if your company uses a proxy, set --proxy http://proxy:port.',
  tls: "Your company may inspect secure connections: have its root certificate installed in the system's certificate store (IT can do this), or point NODE_EXTRA_CA_CERTS at it. Check that the address opens in your browser without a warning.",
  proxy: 'Check the proxy address, port, user and password in --proxy or HTTPS_PROXY, or add the Coupa host to NO_PROXY if it is reached directly.',
  timeout: 'Check your network and VPN. If your company uses a proxy, set --proxy http://proxy:port; if Coupa is slow right now, try again later.',
  reset: 'Check your network and VPN, then try again. If your company uses a proxy, set --proxy http://proxy:port.',
  other: 'Check --base-url, your network and VPN; if your company uses a proxy, set --proxy http://proxy:port.',
};

function unreachable(baseUrl: string, problem: NetworkProblem, proxy: string | null, browserProblem: string): CoupaDlError {
  const host = new URL(baseUrl).host;
  const through = proxy === null ? '' : ` through the proxy ${proxy.replace(/\/\/[^@/]*@/, '//')}`;
  return new CoupaDlError('COUPA_UNREACHABLE', `Cannot reach ${baseUrl}${through}: ${problemInWords(problem, host)}. The browser could not open it either (${browserProblem}).`, {
    hint: `${HINTS[problem.kind]} Nothing was downloaded and the output folder was not touched.`,
  });
}
