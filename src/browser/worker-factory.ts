import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, LaunchOptions } from 'playwright-core';
import { chromium } from './chromium.ts';
import { launchOptions, type LaunchBrowserOptions } from './launch.ts';
import { WindowMinimizer } from './minimized-windows.ts';
import { killProcessTree } from './process-tree.ts';

export interface WorkerFactoryOptions {
  /** `browser`: one browser process per worker (crash-isolated); `context`: one shared browser, a context each (least memory). */
  isolation: 'browser' | 'context';
  launch: LaunchBrowserOptions;
  /** The signed-in session every worker starts from (a file path is re-read at each start). */
  storageState?: BrowserContextOptions['storageState'];
  /** Our temp folders (downloads in flight) go here and are removed on every path. */
  tempRoot: string;
  contextOptions?: BrowserContextOptions;
}

/** One worker as the pool sees it (the engine's WorkerHandle, matched by shape). */
export interface BrowserWorker {
  readonly session: BrowserContext;
  pids(): number[];
  readonly exited: Promise<void>;
  close(): Promise<void>;
  kill(): Promise<void>;
}

export interface BrowserWorkerFactory {
  start(workerId: number, signal: AbortSignal): Promise<BrowserWorker>;
  close(): Promise<void>;
  /** Every browser PID this factory started, for the record (and for tests that check none survive). */
  startedPids(): number[];
}

/** How long an orderly context close may take before we stop being polite. */
const CONTEXT_CLOSE_MS = 5_000;

export function createWorkerFactory(options: WorkerFactoryOptions): BrowserWorkerFactory {
  const started: number[] = [];
  let shared: Promise<LaunchedBrowser> | null = null;
  // Nobody looks at a headless worker's windows; with --headed the user does.
  const minimizer = options.launch.headless ? new WindowMinimizer() : null;

  async function launch(name: string, signal: AbortSignal): Promise<LaunchedBrowser> {
    await mkdir(options.tempRoot, { recursive: true });
    const tempDir = await mkdtemp(join(options.tempRoot, `${name}-`));
    const browser = await LaunchedBrowser.launch(launchOptions(options.launch), tempDir, signal);
    started.push(browser.pid);
    return browser;
  }

  async function newContext(browser: LaunchedBrowser): Promise<BrowserContext> {
    const state = options.storageState === undefined ? {} : { storageState: options.storageState };
    const context = await browser.browser.newContext({ ...options.contextOptions, ...state });
    minimizer?.watch(context);
    return context;
  }

  async function startOwnBrowser(workerId: number, signal: AbortSignal): Promise<BrowserWorker> {
    const browser = await launch(`worker-${workerId}`, signal);
    try {
      const context = await newContext(browser);
      return {
        session: context,
        pids: () => [browser.pid],
        exited: browser.exited,
        close: () => browser.close(),
        kill: () => browser.kill(),
      };
    } catch (error) {
      await browser.kill();
      throw error;
    }
  }

  /** The shared browser, launched again when it has died; concurrent starts share one launch. */
  async function sharedBrowser(signal: AbortSignal): Promise<LaunchedBrowser> {
    shared ??= launch('shared', signal).catch((error: unknown) => {
      shared = null;
      throw error;
    });
    const current = shared;
    const browser = await current;
    if (!browser.dead) return browser;
    if (shared === current) shared = null;
    return sharedBrowser(signal);
  }

  async function startContext(signal: AbortSignal): Promise<BrowserWorker> {
    const browser = await sharedBrowser(signal);
    const context = await newContext(browser);
    let closing = false;
    const contextGone = new Promise<void>((resolve) => context.once('close', () => !closing && resolve()));
    const closeContext = async () => {
      closing = true;
      const closed = await within(context.close(), CONTEXT_CLOSE_MS);
      // A context that does not close means the shared browser no longer answers anybody.
      if (!closed && !browser.dead) await browser.kill();
    };
    return {
      session: context,
      pids: () => [browser.pid],
      exited: Promise.race([browser.exited, contextGone]),
      close: closeContext,
      kill: closeContext,
    };
  }

  return {
    start: (workerId, signal) => (options.isolation === 'browser' ? startOwnBrowser(workerId, signal) : startContext(signal)),
    async close() {
      const last = shared;
      shared = null;
      const browser = await last?.catch(() => null);
      await browser?.close();
    },
    startedPids: () => [...started],
  };
}

/** Whether the promise settled without error within `ms` (a hung browser never answers). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const timeout = new Promise<boolean>((resolve) => {
    const id = setTimeout(() => resolve(false), ms);
    timer.signal.addEventListener('abort', () => clearTimeout(id));
  });
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    timer.abort();
  }
}

/**
 * A browser we launched, driven from this process (`launch`). It used to be `launchServer` +
 * `connect`, for the ChildProcess and its PID; but over that websocket every downloaded byte
 * crossed as base64 JSON, ~55 ms per MB (docs/benchmark.md). The PID — to measure the browser
 * and to kill it — now comes from the browser itself (CDP `SystemInfo.getProcessInfo`); on POSIX
 * Playwright starts it detached, as the leader of its own process group. Its profile is a fresh
 * temp folder Playwright creates and removes; our own temp folder goes with `close`/`kill`.
 */
class LaunchedBrowser {
  readonly browser: Browser;
  readonly pid: number;
  readonly exited: Promise<void>;
  dead = false;
  readonly #tempDir: string;

  private constructor(browser: Browser, pid: number, exited: Promise<void>, tempDir: string) {
    this.browser = browser;
    this.pid = pid;
    this.#tempDir = tempDir;
    this.exited = exited;
  }

  static async launch(options: LaunchOptions, tempDir: string, signal: AbortSignal): Promise<LaunchedBrowser> {
    let browser: Browser | undefined;
    let pid: number | undefined;
    try {
      // The CLI owns Ctrl-C and SIGTERM (the first one lets running POs finish); Playwright's own
      // handlers would close the browsers at once.
      browser = await (await chromium()).launch({ ...options, artifactsDir: tempDir, handleSIGINT: false, handleSIGTERM: false });
      const gone = Promise.withResolvers<void>();
      browser.once('disconnected', () => gone.resolve());
      pid = await browserPid(browser);
      const launched = new LaunchedBrowser(browser, pid, gone.promise, tempDir);
      void gone.promise.then(() => {
        launched.dead = true;
        void rm(tempDir, { recursive: true, force: true }).catch(() => {});
      });
      signal.throwIfAborted();
      return launched;
    } catch (error) {
      if (pid !== undefined) await killProcessTree(pid);
      else await browser?.close().catch(() => {});
      await rm(tempDir, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await within(this.browser.close(), CONTEXT_CLOSE_MS);
    } finally {
      await this.kill();
    }
  }

  /** Immediate; after the browser is gone there is nothing of ours left to kill. */
  async kill(): Promise<void> {
    if (!this.dead) {
      await killProcessTree(this.pid);
      await within(this.exited, CONTEXT_CLOSE_MS);
    }
    await rm(this.#tempDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** The browser process's own PID, as the browser reports it. */
async function browserPid(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const pid = processInfo.find((info) => info.type === 'browser')?.id;
    if (pid === undefined) throw new Error('The browser did not say which process it is.');
    return pid;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
