import { resolveApiOptions, type ApiOptions, type ResolvedApiOptions } from './api/api-options.ts';
import type { CatalogueMix } from './catalogue-mix.ts';
import type { FaultPlan } from './fault-plan.ts';
import { MAX_LINES_PER_PO } from './long-pos.ts';
import { PAGE_STYLES, PAGINATED_LINES_PER_PAGE, type DelayRange, type PageStyle } from './page-style.ts';

export type AuthMode = 'none' | 'password' | 'sso';

export interface AuthOptions {
  mode: AuthMode;
  /** Password mode: the one account that signs in (default `demo` / `demo`). */
  username?: string;
  password?: string;
  /** The session ends after this many protected page views (the next one signs in again). */
  expireAfterPageViews?: number;
  /** The session ends this long after signing in. */
  expireAfterMs?: number;
}

/** Where file bytes are served: Coupa itself, or a storage host behind a signed redirect. */
export type FileHost = 'coupa' | 'storage';

export interface SimulatorOptions {
  pos?: number;
  seed?: number;
  mix?: Partial<CatalogueMix>;
  host?: string;
  port?: number;
  pageLatencyMs?: number;
  fileLatencyMs?: number;
  bandwidthBytesPerSec?: number | null;
  fileSizeBytes?: { min: number; max: number };
  heavyPages?: boolean;
  auth?: AuthOptions;
  faults?: FaultPlan;
  /** How pages deliver their attachment lists; default 'realistic'. */
  pageStyle?: PageStyle;
  /** The account's starting "Per page" preference for order lines (default 15; 2 with `pageStyle: 'paginated'`). */
  linesPerPage?: number;
  /** Where files are served from (default 'coupa'). */
  fileHost?: FileHost;
  /** Delay of the late lists (lateScript, xhrAfterLoad, placeholder), drawn per page from the seed (default 100–800 ms). */
  listsDelayMs?: DelayRange;
  /** Delay before the comments app bundle is served (default 0); the browser then caches it. */
  bundleLatencyMs?: number;
  /** The REST API (`/oauth2/token`, `/api/...`); see docs/simulator.md, "API". */
  api?: ApiOptions;
  /** PO id → number of order lines, for POs with many lines (each gets files on line 51 and on its last line). */
  longPos?: Record<string, number>;
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP: a certificate from a
   * private authority stands for a company's TLS inspection. It must name 127.0.0.1 and localhost
   * (the stand-in identity provider's host).
   */
  tls?: { readonly key: string; readonly cert: string };
}

export interface ResolvedOptions {
  readonly pos: number;
  readonly seed: number;
  readonly host: string;
  readonly port: number;
  readonly pageLatencyMs: number;
  readonly fileLatencyMs: number;
  readonly bandwidthBytesPerSec: number | null;
  readonly fileSizeBytes: { readonly min: number; readonly max: number };
  readonly heavyPages: boolean;
  readonly auth: Required<Pick<AuthOptions, 'mode' | 'username' | 'password'>> & Pick<AuthOptions, 'expireAfterPageViews' | 'expireAfterMs'>;
  readonly pageStyle: PageStyle;
  readonly linesPerPage: number;
  readonly fileHost: FileHost;
  readonly listsDelayMs: DelayRange;
  readonly bundleLatencyMs: number;
  readonly api: ResolvedApiOptions;
  readonly longPos: Readonly<Record<string, number>>;
}

export const SIMULATOR_DEFAULTS = {
  pos: 200,
  seed: 1,
  host: '127.0.0.1',
  port: 0,
  pageLatencyMs: 0,
  fileLatencyMs: 0,
  bandwidthBytesPerSec: null,
  fileSizeBytes: { min: 2_048, max: 20_480 },
  heavyPages: true,
  auth: { mode: 'none', username: 'demo', password: 'demo' },
  pageStyle: 'realistic',
  linesPerPage: 15,
  fileHost: 'coupa',
  listsDelayMs: { min: 100, max: 800 },
  bundleLatencyMs: 0,
} as const satisfies Omit<ResolvedOptions, 'api' | 'longPos'>;

/** The most lines a page of the lines table may show. */
const MAX_LINES_PER_PAGE = 500;

/** Checks every option at once and names each bad one. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    pos: options.pos ?? SIMULATOR_DEFAULTS.pos,
    seed: options.seed ?? SIMULATOR_DEFAULTS.seed,
    host: options.host ?? SIMULATOR_DEFAULTS.host,
    port: options.port ?? SIMULATOR_DEFAULTS.port,
    pageLatencyMs: options.pageLatencyMs ?? SIMULATOR_DEFAULTS.pageLatencyMs,
    fileLatencyMs: options.fileLatencyMs ?? SIMULATOR_DEFAULTS.fileLatencyMs,
    bandwidthBytesPerSec: options.bandwidthBytesPerSec ?? SIMULATOR_DEFAULTS.bandwidthBytesPerSec,
    fileSizeBytes: options.fileSizeBytes ?? SIMULATOR_DEFAULTS.fileSizeBytes,
    heavyPages: options.heavyPages ?? SIMULATOR_DEFAULTS.heavyPages,
    auth: { ...SIMULATOR_DEFAULTS.auth, ...options.auth },
    pageStyle: options.pageStyle ?? SIMULATOR_DEFAULTS.pageStyle,
    linesPerPage: options.linesPerPage ?? (options.pageStyle === 'paginated' ? PAGINATED_LINES_PER_PAGE : SIMULATOR_DEFAULTS.linesPerPage),
    fileHost: options.fileHost ?? SIMULATOR_DEFAULTS.fileHost,
    listsDelayMs: options.listsDelayMs ?? SIMULATOR_DEFAULTS.listsDelayMs,
    bundleLatencyMs: options.bundleLatencyMs ?? SIMULATOR_DEFAULTS.bundleLatencyMs,
    api: resolveApiOptions(options.api),
    longPos: options.longPos ?? {},
  };
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`Expected \`${name}\` to be an integer from ${String(min)} to ${String(max)}, got \`${String(value)}\`.`);
  };
  integer('pos', resolved.pos, 1, 1_000_000);
  integer('seed', resolved.seed, 0);
  integer('port', resolved.port, 0, 65_535);
  integer('pageLatencyMs', resolved.pageLatencyMs, 0);
  integer('fileLatencyMs', resolved.fileLatencyMs, 0);
  if (resolved.bandwidthBytesPerSec !== null) integer('bandwidthBytesPerSec', resolved.bandwidthBytesPerSec, 1);
  integer('fileSizeBytes.min', resolved.fileSizeBytes.min, 0);
  integer('fileSizeBytes.max', resolved.fileSizeBytes.max, resolved.fileSizeBytes.min);
  if (!['none', 'password', 'sso'].includes(resolved.auth.mode)) problems.push(`Expected \`auth.mode\` to be none, password or sso, got \`${String(resolved.auth.mode)}\`.`);
  if (resolved.auth.expireAfterPageViews !== undefined) integer('auth.expireAfterPageViews', resolved.auth.expireAfterPageViews, 1);
  if (resolved.auth.expireAfterMs !== undefined) integer('auth.expireAfterMs', resolved.auth.expireAfterMs, 1);
  if (!PAGE_STYLES.includes(resolved.pageStyle)) problems.push(`Expected \`pageStyle\` to be one of ${PAGE_STYLES.join(', ')}, got \`${String(resolved.pageStyle)}\`.`);
  integer('linesPerPage', resolved.linesPerPage, 1, MAX_LINES_PER_PAGE);
  if (!['coupa', 'storage'].includes(resolved.fileHost)) problems.push(`Expected \`fileHost\` to be coupa or storage, got \`${String(resolved.fileHost)}\`.`);
  integer('listsDelayMs.min', resolved.listsDelayMs.min, 0);
  integer('listsDelayMs.max', resolved.listsDelayMs.max, resolved.listsDelayMs.min);
  integer('bundleLatencyMs', resolved.bundleLatencyMs, 0);
  for (const [id, lines] of Object.entries(resolved.longPos)) integer(`longPos.${id}`, lines, 1, MAX_LINES_PER_PO);
  if (problems.length > 0) throw new Error(problems.join(' '));
  return resolved;
}
