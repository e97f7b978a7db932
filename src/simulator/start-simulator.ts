import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiRateLimit } from './api/api-rate-limit.ts';
import { ApiRecords } from './api/api-records.ts';
import { OAuthServer } from './api/oauth-server.ts';
import { resolveMix } from './catalogue-mix.ts';
import { buildCatalogue } from './catalogue.ts';
import { buildTruth, type CatalogueTruth } from './catalogue-truth.ts';
import type { FaultPlan } from './fault-plan.ts';
import { FileStore } from './file-store.ts';
import { buildHeavyFiller } from './heavy-filler.ts';
import { SESSION_COOKIE, SessionStore } from './session-store.ts';
import { SignInFlow } from './sign-in-flow.ts';
import { SimulatorApp } from './simulator-app.ts';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './simulator-options.ts';
import { SimulatorStats, type SimulatorStatsSnapshot } from './simulator-stats.ts';
import { SiteAssets } from './site-assets.ts';
import { SitePages } from './site-pages.ts';
import { StorageHost } from './storage-host.ts';

/** Playwright's storage-state JSON (`browser.newContext({ storageState })`). */
export interface StorageStateJson {
  cookies: {
    name: string;
    value: string;
    domain: string;
    path: string;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'Strict' | 'Lax' | 'None';
  }[];
  origins: { origin: string; localStorage: { name: string; value: string }[] }[];
}

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Origin of the simulated identity provider (SSO mode): same server, other host name. */
  readonly idpUrl: string;
  /** Origin of the storage host that serves the files (`fileHost: 'storage'`); null when Coupa serves them. */
  readonly storageUrl: string | null;
  readonly truth: CatalogueTruth;
  setFaults(faults: FaultPlan): void;
  /** The "Per page" preference saved on the user's account right now (the lines table's XHR changes it). */
  linesPerPage(): number;
  /** The first API client (`api.clients[0]`): its id, secret and the scopes it may be granted. */
  readonly apiClient: { readonly clientId: string; readonly clientSecret: string; readonly scopes: readonly string[] };
  /** Ends every API token issued so far: their next request gets 401 (tokens issued later are fine). */
  expireApiTokens(): void;
  createStorageState(): StorageStateJson;
  stats(): SimulatorStatsSnapshot;
  close(): Promise<void>;
}

/** Heavy pages weigh about this much, like a real Coupa PO page. */
const HEAVY_PAGE_FILLER_CHARS = 160_000;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const catalogue = buildCatalogue({ seed: resolved.seed, pos: resolved.pos, mix: resolveMix(options.mix), fileSizeBytes: resolved.fileSizeBytes, longPos: resolved.longPos });
  const store = new FileStore(resolved.seed, catalogue.files);
  const truth = buildTruth(catalogue, store, resolved);
  const stats = new SimulatorStats();
  const sessions = new SessionStore(resolved.auth);
  const shutdown = new AbortController();

  const server = options.tls === undefined ? createServer() : createTlsServer({ key: options.tls.key, cert: options.tls.cert });
  const scheme = options.tls === undefined ? 'http' : 'https';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(resolved.host) ? '127.0.0.1' : resolved.host;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
  // A real IdP lives on another site; the other loopback name gives us one without a second server.
  const idpHost = `${host === 'localhost' ? '127.0.0.1' : 'localhost'}:${String(port)}`;
  const oauth = new OAuthServer(resolved.api);
  const limit = resolved.api.rateLimit === null ? null : new ApiRateLimit(resolved.api.rateLimit);
  const records = new ApiRecords(catalogue, store, { baseUrl: url, poNumberForm: resolved.api.poNumberForm, commentsEmbedAttachments: resolved.api.commentsEmbedAttachments });
  const signIn = new SignInFlow({ auth: resolved.auth, sessions, baseUrl: url, idpOrigin: `${scheme}://${idpHost}`, onSignIn: () => stats.countSignIn() });
  const assets = new SiteAssets(resolved.bundleLatencyMs);
  const pages = new SitePages({ options: resolved, catalogue, baseUrl: url, filler: resolved.heavyPages ? buildHeavyFiller(HEAVY_PAGE_FILLER_CHARS) : '', assets });
  const storage = resolved.fileHost === 'storage' ? await StorageHost.start(host, store, stats, shutdown.signal) : null;
  const app = new SimulatorApp({ options: resolved, catalogue, store, signIn, stats, baseUrl: url, idpHost, pages, assets, storage, signal: shutdown.signal, api: { records, oauth, limit } }, options.faults ?? {});
  server.on('request', (req, res) => {
    app.handle(req, res).catch((error: unknown) => {
      // Closing aborts pending latency and throttling; anything else is a simulator bug worth a 500.
      if (shutdown.signal.aborted || res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Simulator error: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    idpUrl: `${scheme}://${idpHost}`,
    storageUrl: storage?.origin ?? null,
    truth,
    setFaults: (faults) => app.setFaults(faults),
    linesPerPage: () => app.linesPerPage(),
    apiClient: apiClientOf(resolved.api.clients),
    expireApiTokens: () => oauth.expireAll(),
    createStorageState: () => ({
      cookies: [{ name: SESSION_COOKIE, value: sessions.create(true).id, domain: host, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }],
      origins: [],
    }),
    stats: () => stats.snapshot(),
    close: () => {
      closing ??= (async () => {
        shutdown.abort(new Error('Simulator closed.'));
        limit?.close(shutdown.signal.reason);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Hanging pages and never-answered scripts hold connections open on purpose: cut them.
        server.closeAllConnections();
        await Promise.all([closed, storage?.close()]);
      })();
      return closing;
    },
  };
}

function apiClientOf(clients: ResolvedOptions['api']['clients']): Simulator['apiClient'] {
  const first = clients[0];
  // With no client configured, nobody can sign in to the API; tests that want that pass a wrong secret instead.
  return first ?? { clientId: '', clientSecret: '', scopes: [] };
}
