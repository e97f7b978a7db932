import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type BrowserServer, type LaunchOptions } from 'playwright-core';
import { launchOptions, type LaunchBrowserOptions } from './launch.ts';
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

  async function launch(name: string, signal: AbortSignal): Promise<LaunchedBrowser> {
    await mkdir(options.tempRoot, { recursive: true });
    const tempDir = await mkdtemp(join(options.tempRoot, `${name}-`));
    const browser = await LaunchedBrowser.launch(launchOptions(options.launch), tempDir, signal);
    started.push(browser.pid);
    return browser;
  }

  function newContext(browser: LaunchedBrowser): Promise<BrowserContext> {
    const state = options.storageState === undefined ? {} : { storageState: options.storageState };
    return browser.browser.newContext({ ...options.contextOptions, ...state });
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
 * A browser we launched: `launchServer` rather than `launch`, because its ChildProcess gives
 * us the PID to measure and to kill (and its exit event), which `launch` keeps to itself.
 * The client talks to it over `connect`. Its profile is a fresh temp folder Playwright
 * creates and removes when the process exits; our own temp folder goes with `close`/`kill`.
 */
class LaunchedBrowser {
  readonly server: BrowserServer;
  readonly browser: Browser;
  readonly pid: number;
  readonly exited: Promise<void>;
  dead = false;
  readonly #tempDir: string;

  private constructor(server: BrowserServer, browser: Browser, pid: number, exited: Promise<void>, tempDir: string) {
    this.server = server;
    this.browser = browser;
    this.pid = pid;
    this.#tempDir = tempDir;
    this.exited = exited;
  }

  static async launch(options: LaunchOptions, tempDir: string, signal: AbortSignal): Promise<LaunchedBrowser> {
    let server: BrowserServer | undefined;
    try {
      // The CLI owns Ctrl-C (the first one lets running POs finish); Playwright's own handler would close the browsers at once.
      server = await chromium.launchServer({ ...options, artifactsDir: tempDir, handleSIGINT: false });
      const child = server.process();
      const pid = child.pid;
      if (pid === undefined) throw new Error('The browser started without a process id.');
      const gone = Promise.withResolvers<void>();
      if (child.exitCode !== null || child.signalCode !== null) gone.resolve();
      child.once('exit', () => {
        gone.resolve();
        void rm(tempDir, { recursive: true, force: true }).catch(() => {});
      });
      const browser = await chromium.connect(server.wsEndpoint());
      const launched = new LaunchedBrowser(server, browser, pid, gone.promise, tempDir);
      void gone.promise.then(() => {
        launched.dead = true;
      });
      browser.once('disconnected', () => {
        launched.dead = true;
        gone.resolve();
      });
      signal.throwIfAborted();
      return launched;
    } catch (error) {
      const pid = server?.process().pid;
      if (pid !== undefined) await killProcessTree(pid);
      await rm(tempDir, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await within(this.browser.close(), CONTEXT_CLOSE_MS);
      if (!(await within(this.server.close(), CONTEXT_CLOSE_MS))) await this.kill();
    } finally {
      await this.kill();
    }
  }

  /** Immediate; after the process exited there is nothing of ours left to kill. */
  async kill(): Promise<void> {
    const child = this.server.process();
    if (child.exitCode === null && child.signalCode === null) {
      await killProcessTree(this.pid);
      await within(this.exited, CONTEXT_CLOSE_MS);
    }
    await rm(this.#tempDir, { recursive: true, force: true }).catch(() => {});
  }
}
