/**
 * # Coupa simulator
 *
 * A local HTTP server (node:http) that behaves like a Coupa instance for everything coupa-dl
 * touches: PO and requisition pages with the real page structure, error pages, attachment
 * downloads with real bytes, password and SSO sign-in, and faults on demand. The demo, the
 * benchmark and every browser test run against it. Full guide: docs/simulator.md.
 *
 * ```ts
 * const sim = await startSimulator({ pos: 20, seed: 7 });
 * try {
 *   const po = sim.truth.pos[0];              // what a correct run must produce for it
 *   await page.goto(`${sim.url}/order_headers/${po.id}`);
 * } finally {
 *   await sim.close();
 * }
 * ```
 *
 * Options (all optional):
 * - `pos` (200): catalogue size; PO ids are 100001, 100002, … (the first POs cover every kind).
 * - `seed` (1): same seed → same catalogue and the same file bytes.
 * - `mix`: weights of the PO kinds (`CatalogueMix`, see PO_KINDS); 0 leaves a kind out.
 * - `host` ('127.0.0.1'), `port` (0 = any free port).
 * - `pageLatencyMs` (0): delay before every PO/requisition page; `fileLatencyMs` (0): before every file.
 * - `bandwidthBytesPerSec` (null): cap per file response.
 * - `fileSizeBytes` ({ min: 2048, max: 20480 }): attachment sizes (PDFs and Office files exactly).
 * - `heavyPages` (true): ~170 KB pages with a script busy for ~2 s after DOMContentLoaded.
 * - `auth` ({ mode: 'none' }): 'none' | 'password' (user `demo` / `demo` unless given) | 'sso'
 *   (IdP on the other loopback name, e.g. http://localhost:<port> for base http://127.0.0.1:<port>);
 *   `expireAfterPageViews`, `expireAfterMs` end the session. Signed-out requests for pages AND
 *   files answer 302 to `/sessions/new?return_to=<path>`.
 * - `faults` (`FaultPlan`): `{ byPo: { '100042': { serverErrorTimes: 2 } }, rates: { serverError: 0.05 } }`;
 *   change it while running with `setFaults` (which restarts the attempt counts).
 * - `api` (`ApiOptions`): the REST API over the same catalogue — OAuth clients, token lifetime,
 *   which PO number form `?po-number=` matches, which byte shapes answer, the rate limit
 *   (Coupa's 25 requests/s, burst 20, queue 20 by default); `expireApiTokens()` ends every token.
 * - `longPos` ({}): PO id → line count (up to 999), e.g. `{ '100001': 300 }`.
 * - `pageStyle` ('realistic'): how pages deliver their attachment lists: 'realistic' (the comments
 *   app rendered late by a bundle), 'server', 'lateScript', 'xhrAfterLoad', 'placeholder', 'paginated'.
 * - `linesPerPage` (15; 2 with 'paginated'): the account's starting "Per page" preference for order
 *   lines; `sim.linesPerPage()` reads the saved one.
 * - `fileHost` ('coupa'): 'storage' redirects file URLs to signed URLs on a second server (`sim.storageUrl`).
 * - `listsDelayMs` ({ min: 100, max: 800 }): how late the late styles' lists come, drawn per page from the seed.
 * - `bundleLatencyMs` (0): delay before the comments app bundle is served.
 *
 * `startReplay({ folder })` serves pages captured from a real Coupa (`coupa-dl capture`) instead.
 */
export { startSimulator, type Simulator, type StorageStateJson } from './start-simulator.ts';
export { startReplay, type Replay, type ReplayOptions } from './replay-server.ts';
export type { CaptureMeta, CapturedPo } from './capture-folder.ts';
export type { SimulatorOptions, AuthOptions, AuthMode, FileHost } from './simulator-options.ts';
export { PAGE_STYLES, type PageStyle } from './page-style.ts';
export { SIMULATOR_DEFAULTS } from './simulator-options.ts';
export { PO_KINDS, DEFAULT_MIX, type PoKind, type CatalogueMix } from './catalogue-mix.ts';
export type { FaultPlan, FaultRates, ResourceFaults, FlashErrorFault } from './fault-plan.ts';
export type { FlashLanguage } from './error-page.ts';
export { truthFor } from './catalogue-truth.ts';
export type {
  CatalogueTruth,
  PoTruth,
  AttachmentTruth,
  FileAttachmentTruth,
  UrlAttachmentTruth,
  TextAttachmentTruth,
  ExpectedFile,
  ExpectedStatus,
} from './catalogue-truth.ts';
export type { SimulatorStatsSnapshot } from './simulator-stats.ts';
export { API_SCOPES, COUPA_RATE_LIMIT, DEMO_API_CLIENT, type ApiOptions, type ApiClientOptions, type ApiRateLimitOptions, type FileShape, type PoNumberForm } from './api/api-options.ts';
export { MAX_RECORDS_PER_CALL } from './api/api-app.ts';
export type { MailTruth, MailFileTruth, AttachedMailTruth } from './mail-truth.ts';
