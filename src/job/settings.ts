import { z } from 'zod';
import { DEFAULT_POOL_SETTINGS, MAX_WORKERS } from '../engine/pool-settings.ts';

/**
 * Every setting of `coupa-dl run`, in one table: its flag, its environment variable, what it
 * accepts and its default. Precedence (src/cli/config.ts): flag > COUPA_* variable > config file
 * > default. The run's config type is derived from this table and `DEFAULTS`, so a setting removed
 * or misspelled in either is a type error wherever it is used. The user guide's option table is
 * generated from it (`npm run docs:options`; a test checks the guide is up to date).
 */
export interface SettingSpec {
  /** Name in the config file and in messages. */
  readonly key: string;
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly expected: string;
  /** More words for the user guide's option table (not `--help`). */
  readonly note?: string;
  readonly schema: z.ZodType;
}

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z.string().trim().min(1);
const markerList = z.union([z.array(text), z.string().transform((s) => s.split('|').map((p) => p.trim()).filter(Boolean))]).pipe(z.array(z.string()));

export const SETTINGS = [
  { key: 'input', flag: '--input <file>', env: 'COUPA_INPUT', expected: 'a .csv, .txt, .xlsx or .xlsm file', description: 'The sheet of PO numbers (CSV or Excel).', schema: text },
  { key: 'out', flag: '--out <folder>', env: 'COUPA_OUT', expected: 'a folder path', description: 'Where files, reports and the run state go.', schema: text },
  { key: 'baseUrl', flag: '--base-url <url>', env: 'COUPA_BASE_URL', expected: 'an address like https://acme.coupahost.com', description: "Your company's Coupa address.", schema: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')) },
  { key: 'storageState', flag: '--storage-state <file>', env: 'COUPA_STORAGE_STATE', expected: 'a Playwright storage-state JSON file', description: 'Sign in with a saved session file.', schema: text },
  { key: 'profile', flag: '--profile <name|path>', env: 'COUPA_PROFILE', expected: 'a profile name from `coupa-dl profiles`, or a profile folder', description: 'Sign in with a safe copy of your Edge/Chrome profile.', schema: text },
  { key: 'browser', flag: '--browser <edge|chrome|chromium|path>', env: 'COUPA_BROWSER', expected: 'edge, chrome, chromium or the path of a browser program', description: 'Which installed browser to drive (found automatically when not given).', schema: text },
  { key: 'proxy', flag: '--proxy <url>', env: 'COUPA_PROXY', expected: 'an address like http://proxy.example.com:8080', description: 'The proxy for the browser and for downloads from Node (instead of HTTPS_PROXY/HTTP_PROXY; NO_PROXY still applies).', note: 'Without it, downloads from Node use HTTPS_PROXY/HTTP_PROXY and the browser its own settings (on Windows the system and PAC settings). Credentials may go in the address: http://user:password@proxy:8080.', schema: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')) },
  { key: 'headed', flag: '--headed', env: 'COUPA_HEADED', expected: 'true or false', description: 'Show the browser windows (headless by default).', schema: bool },
  { key: 'workers', flag: '--workers <n|auto>', env: 'COUPA_WORKERS', expected: `an integer from 1 to ${MAX_WORKERS}, or auto`, description: 'How many browsers work in parallel.', note: '`auto` starts as many as the computer’s cores and free memory allow, at most 6 (one person should not open more browsers than that against the company’s Coupa), and adjusts while the run goes; ask for more with a number, up to 16.', schema: z.union([z.literal('auto'), int(1, MAX_WORKERS)]) },
  { key: 'isolation', flag: '--isolation <browser|context>', env: 'COUPA_ISOLATION', expected: 'browser or context', description: 'One browser per worker (crash isolation) or one browser with a context per worker (least memory).', note: '`context` shares one browser program between workers, each with its own private session; `browser` starts one browser program per worker, so a crash hits one worker only.', schema: z.enum(['browser', 'context']) },
  { key: 'fresh', flag: '--fresh', env: 'COUPA_FRESH', expected: 'true or false', description: 'Forget the saved state in the output folder and start over.', note: 'See “Resuming, retrying, rebuilding the report”.', schema: bool },
  { key: 'json', flag: '--json', env: 'COUPA_JSON', expected: 'true or false', description: 'Print the engine events as JSON Lines instead of the dashboard.', schema: bool },
  { key: 'poPrefixes', flag: '--po-prefixes <list>', env: 'COUPA_PO_PREFIXES', expected: 'comma-separated letters, e.g. PO,PM', description: 'Prefixes stripped from PO numbers to get the Coupa id.', schema: z.union([z.array(text), z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))]).pipe(z.array(z.string().regex(/^[A-Za-z]+$/, 'letters only'))) },
  { key: 'poMinDigits', flag: '--po-min-digits <n>', env: 'COUPA_PO_MIN_DIGITS', expected: 'an integer from 1 to 20', description: 'Digits a PO number must keep after its prefix.', schema: int(1, 20) },
  { key: 'navigationTimeoutMs', flag: '--navigation-timeout-ms <ms>', env: 'COUPA_NAVIGATION_TIMEOUT_MS', expected: 'milliseconds from 5000 to 600000', description: 'How long a page may take to show its attachments.', schema: int(5_000, 600_000) },
  { key: 'settleTimeoutMs', flag: '--settle-timeout-ms <ms>', env: 'COUPA_SETTLE_TIMEOUT_MS', expected: 'milliseconds from 1000 to 120000', description: 'How long after it has loaded a page may take to settle (nothing more arriving in its attachments, lines and comments).', note: 'A page still showing a loading sign then ends NEEDS_REVIEW, never a guess.', schema: int(1_000, 120_000) },
  { key: 'notFoundMarkers', flag: '--not-found-markers <words>', env: 'COUPA_NOT_FOUND_MARKERS', expected: 'phrases separated by |', description: "Your Coupa's own words for a page that does not exist, in your language.", note: 'Added to the built-in English and Portuguese ones.', schema: markerList },
  { key: 'accessDeniedMarkers', flag: '--access-denied-markers <words>', env: 'COUPA_ACCESS_DENIED_MARKERS', expected: 'phrases separated by |', description: "Your Coupa's own words for a page your account may not open.", note: 'A page showing them ends ACCESS_DENIED.', schema: markerList },
  { key: 'savedPageMaxKb', flag: '--saved-page-max-kb <kb>', env: 'COUPA_SAVED_PAGE_MAX_KB', expected: 'kilobytes from 100 to 51200', description: 'Size cap of each saved copy of a page (HTML and screenshot) kept for POs that did not end cleanly.', schema: int(100, 51_200) },
  { key: 'downloadTimeoutMs', flag: '--download-timeout-ms <ms>', env: 'COUPA_DOWNLOAD_TIMEOUT_MS', expected: 'milliseconds from 5000 to 3600000', description: 'How long one file may take.', schema: int(5_000, 3_600_000) },
  { key: 'poDeadlineMs', flag: '--po-deadline-ms <ms>', env: 'COUPA_PO_DEADLINE_MS', expected: 'milliseconds from 10000 to 7200000', description: 'A PO that makes no progress for this long is restarted on a fresh browser.', schema: int(10_000, 7_200_000) },
  { key: 'downloadConcurrency', flag: '--download-concurrency <n>', env: 'COUPA_DOWNLOAD_CONCURRENCY', expected: 'an integer from 1 to 8', description: 'Files of one PO downloaded at once.', schema: int(1, 8) },
  { key: 'maxAttempts', flag: '--max-attempts <n>', env: 'COUPA_MAX_ATTEMPTS', expected: 'an integer from 1 to 10', description: 'Attempts per PO (and per file) for temporary failures.', schema: int(1, 10) },
  { key: 'recycleAfter', flag: '--recycle-after <n>', env: 'COUPA_RECYCLE_AFTER', expected: 'an integer from 1 to 10000', description: 'Restart a worker’s browser after this many POs.', schema: int(1, 10_000) },
  { key: 'workerMemoryMb', flag: '--worker-memory-mb <mb>', env: 'COUPA_WORKER_MEMORY_MB', expected: 'megabytes from 50 to 16384', description: 'Recycle a worker whose browser uses more memory than this.', note: 'Measured every 10 s; the worker restarts after its current PO.', schema: int(50, 16_384) },
  { key: 'systemMemoryPercent', flag: '--system-memory-percent <pct>', env: 'COUPA_SYSTEM_MEMORY_PERCENT', expected: 'a percentage from 30 to 95', description: 'Shed workers while the machine uses more memory than this.', schema: int(30, 95) },
  { key: 'shutdownGraceMs', flag: '--shutdown-grace-ms <ms>', env: 'COUPA_SHUTDOWN_GRACE_MS', expected: 'milliseconds from 0 to 600000', description: 'After Ctrl-C, how long running POs may take to finish.', schema: int(0, 600_000) },
] as const satisfies readonly SettingSpec[];

type Setting = (typeof SETTINGS)[number];
export type SettingKey = Setting['key'];
/** What a setting holds once validated. */
export type SettingValue<K extends SettingKey> = z.output<Extract<Setting, { key: K }>['schema']>;

/** The one defaults object: the pool's own defaults where a setting is one of its knobs. */
export const DEFAULTS = {
  headed: false,
  workers: 'auto',
  isolation: 'context',
  fresh: false,
  json: false,
  poPrefixes: ['PO', 'PM'],
  poMinDigits: 6,
  navigationTimeoutMs: 60_000,
  downloadTimeoutMs: 300_000,
  settleTimeoutMs: 5_000,
  notFoundMarkers: [],
  accessDeniedMarkers: [],
  savedPageMaxKb: 2_048,
  poDeadlineMs: DEFAULT_POOL_SETTINGS.taskDeadlineMs,
  downloadConcurrency: 3,
  maxAttempts: DEFAULT_POOL_SETTINGS.maxAttempts,
  recycleAfter: DEFAULT_POOL_SETTINGS.recycleAfterTasks,
  workerMemoryMb: DEFAULT_POOL_SETTINGS.workerMemoryLimitBytes / (1024 * 1024),
  systemMemoryPercent: DEFAULT_POOL_SETTINGS.systemMemoryLimitPercent,
  shutdownGraceMs: DEFAULT_POOL_SETTINGS.shutdownGraceMs,
} satisfies { readonly [K in SettingKey]?: SettingValue<K> };

type Defaulted = keyof typeof DEFAULTS;

/** The validated settings of a run; every field is trusted inside the program. */
export type RunConfig = { [K in Defaulted]: SettingValue<K> } & { [K in Exclude<SettingKey, Defaulted>]?: SettingValue<K> };

/** A run's settings once the three it cannot do without are known to be there. */
export type JobConfig = RunConfig & { input: string; out: string; baseUrl: string };
