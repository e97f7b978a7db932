import { z } from 'zod';
import { DEFAULT_API_SCOPES } from '../coupa-api/coupa-api-client.ts';
import { DEFAULT_POOL_SETTINGS, MAX_API_WORKERS, MAX_WORKERS } from '../engine/pool-settings.ts';

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
  { key: 'workers', flag: '--workers <n|auto>', env: 'COUPA_WORKERS', expected: `an integer from 1 to ${MAX_WORKERS} (to ${MAX_API_WORKERS} with --source api), or auto`, description: 'How many POs are worked on in parallel (in the browser: how many browsers).', note: 'In the browser, `auto` starts as many as the computer’s cores and free memory allow, at most 6 (one person should not open more browsers than that against the company’s Coupa), and adjusts while the run goes; ask for more with a number, up to 16. Through the API (`--source api`), workers hold no browser: `auto` is twice the API rate, at least 4 and at most 32 (16 with `--source auto`): the rate, not the computer, sets the pace, and more POs at once keep it busy while Coupa answers slowly.', schema: z.union([z.literal('auto'), int(1, MAX_API_WORKERS)]) },
  { key: 'isolation', flag: '--isolation <browser|context>', env: 'COUPA_ISOLATION', expected: 'browser or context', description: 'One browser per worker (crash isolation) or one browser with a context per worker (least memory).', note: '`context` shares one browser program between workers, each with its own private session; `browser` starts one browser program per worker, so a crash hits one worker only.', schema: z.enum(['browser', 'context']) },
  { key: 'source', flag: '--source <browser|api|auto>', env: 'COUPA_SOURCE', expected: 'browser, api or auto', description: "How POs are fetched: Coupa's web pages in a browser, Coupa's REST API, or the API with the browser for what it will not serve.", note: '`api` needs an OAuth client (see “Through Coupa’s API”); `auto` uses the API when its credentials are set, and the browser for POs the API refuses (HTTP 403) or for the whole run when a scope is missing.', schema: z.enum(['browser', 'api', 'auto']) },
  { key: 'apiRate', flag: '--api-rate <requests/s>', env: 'COUPA_API_RATE', expected: 'requests per second from 0.5 to 200', description: "Requests per second to Coupa's API, all workers together.", note: 'Coupa allows 25 per second for the whole instance, shared with every other integration of your company: 10 leaves room for them. Raise it only when Coupa’s administrator agrees.', schema: z.coerce.number().min(0.5).max(200) },
  { key: 'apiScopes', flag: '--api-scopes <list>', env: 'COUPA_API_SCOPES', expected: 'scopes separated by spaces or commas, e.g. core.purchase_order.read', description: 'The OAuth scopes asked for.', note: 'The OAuth client must hold all of them; `coupa-dl doctor --source api` says which are missing.', schema: z.union([z.array(text), z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean))]).pipe(z.array(z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'a scope name')).min(1)) },
  { key: 'apiFileShape', flag: '--api-file-shape <own-endpoint|file-url>', env: 'COUPA_API_FILE_SHAPE', expected: 'own-endpoint or file-url', description: "How the API gives a file's bytes: the attachment's own endpoint, or its file-url.", note: 'Coupa does not document it. If files end with “Coupa answered application/json instead of the bytes”, try the other one.', schema: z.enum(['own-endpoint', 'file-url']) },
  { key: 'apiCredentialsFile', flag: '--api-credentials-file <file>', env: 'COUPA_API_CREDENTIALS_FILE', expected: 'a file with COUPA_CLIENT_ID= and COUPA_CLIENT_SECRET= lines, or JSON with client_id and client_secret', description: 'Where the API client id and secret are, when not in COUPA_CLIENT_ID and COUPA_CLIENT_SECRET.', note: 'The secret is never a flag and never printed or logged.', schema: text },
  { key: 'fresh', flag: '--fresh', env: 'COUPA_FRESH', expected: 'true or false', description: 'Forget the saved state in the output folder and start over.', note: 'See “Resuming, retrying, rebuilding the report”.', schema: bool },
  { key: 'json', flag: '--json', env: 'COUPA_JSON', expected: 'true or false', description: 'Print the engine events as JSON Lines instead of the dashboard.', schema: bool },
  { key: 'poPrefixes', flag: '--po-prefixes <list>', env: 'COUPA_PO_PREFIXES', expected: 'comma-separated letters, e.g. PO,PM', description: 'Prefixes stripped from PO numbers to get the Coupa id.', schema: z.union([z.array(text), z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))]).pipe(z.array(z.string().regex(/^[A-Za-z]+$/, 'letters only'))) },
  { key: 'poMinDigits', flag: '--po-min-digits <n>', env: 'COUPA_PO_MIN_DIGITS', expected: 'an integer from 1 to 20', description: 'Digits a PO number must keep after its prefix.', schema: int(1, 20) },
  { key: 'navigationTimeoutMs', flag: '--navigation-timeout-ms <ms>', env: 'COUPA_NAVIGATION_TIMEOUT_MS', expected: 'milliseconds from 5000 to 600000', description: 'How long a page may take to show its attachments.', schema: int(5_000, 600_000) },
  { key: 'settleTimeoutMs', flag: '--settle-timeout-ms <ms>', env: 'COUPA_SETTLE_TIMEOUT_MS', expected: 'milliseconds from 1000 to 120000', description: 'How long after it has loaded a page may take to settle (nothing more arriving in its attachments, lines and comments).', note: 'A page still showing a loading sign then ends NEEDS_REVIEW, never a guess.', schema: int(1_000, 120_000) },
  { key: 'notFoundMarkers', flag: '--not-found-markers <words>', env: 'COUPA_NOT_FOUND_MARKERS', expected: 'phrases separated by |', description: "Your Coupa's own words for a page that does not exist, in your language.", note: 'Added to the built-in English and Portuguese ones.', schema: markerList },
  { key: 'accessDeniedMarkers', flag: '--access-denied-markers <words>', env: 'COUPA_ACCESS_DENIED_MARKERS', expected: 'phrases separated by |', description: "Your Coupa's own words for a page your account may not open.", note: 'A page showing them ends ACCESS_DENIED.', schema: markerList },
  { key: 'savedPageMaxKb', flag: '--saved-page-max-kb <kb>', env: 'COUPA_SAVED_PAGE_MAX_KB', expected: 'kilobytes from 100 to 51200', description: 'Size cap of each saved copy of a page (HTML and screenshot) kept for POs that did not end cleanly.', schema: int(100, 51_200) },
  { key: 'savePoPdf', flag: '--save-po-pdf', env: 'COUPA_SAVE_PO_PDF', expected: 'true or false', description: 'Also save each PO as Coupa prints it, as <PO folder>.pdf in its folder.', note: 'It is not an attachment: it is not counted or named in the attachment columns, and a PO it could not be made for ends PARTIAL. Given to an output folder already done, it fetches only the PO PDFs that are missing.', schema: bool },
  { key: 'poPrintPath', flag: '--po-print-path <pattern>', env: 'COUPA_PO_PRINT_PATH', expected: 'a path starting with / that holds {id}', description: "Where Coupa's print view of a PO is, used when the PO page shows no print link ({id} is the PO's id).", schema: z.string().trim().regex(/^\/\S*\{id\}\S*$/, 'a path starting with / that holds {id}') },
  { key: 'mailPdf', flag: '--no-mail-pdf', env: 'COUPA_MAIL_PDF', expected: 'true or false', description: 'Do not convert the Outlook .msg and .eml mails downloaded into PDFs (converted by default).', note: 'Each mail gets a PDF beside it (header, list of its attachments, body) and a folder with its own attachments; the mail itself is always kept. As a variable or in the config file: false turns it off.', schema: bool },
  { key: 'mailPdfSuffix', flag: '--mail-pdf-suffix <text>', env: 'COUPA_MAIL_PDF_SUFFIX', expected: 'text ending in .pdf, without / \\ : * ? " < > |', description: "Added to a mail's file name for its PDF: RE Approval.msg → RE Approval.msg.pdf.", schema: z.string().regex(/^[^/\\:*?"<>|]*\.pdf$/i, 'text ending in .pdf, without / \\ : * ? " < > |') },
  { key: 'mailInlineImageMinKb', flag: '--mail-inline-image-min-kb <kb>', env: 'COUPA_MAIL_INLINE_IMAGE_MIN_KB', expected: 'kilobytes from 0 to 10240', description: "A mail's inline pictures smaller than this (signature logos) are not saved as files; they still show in its PDF.", note: '0 saves them all.', schema: int(0, 10_240) },
  { key: 'pdfPageSize', flag: '--pdf-page-size <A4|Letter>', env: 'COUPA_PDF_PAGE_SIZE', expected: 'A4 or Letter', description: 'Paper size of the PDFs the tool makes (mails, and the PO with --save-po-pdf).', schema: z.string().trim().transform((value) => value.toLowerCase()).pipe(z.enum(['a4', 'letter'])).transform((value) => (value === 'a4' ? 'A4' : 'Letter')) },
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
  source: 'browser',
  apiRate: 10,
  apiScopes: [...DEFAULT_API_SCOPES],
  apiFileShape: 'own-endpoint',
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
  savePoPdf: false,
  poPrintPath: '/order_headers/print_view?id={id}&version=1',
  mailPdf: true,
  mailPdfSuffix: '.pdf',
  mailInlineImageMinKb: 20,
  pdfPageSize: 'A4',
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
