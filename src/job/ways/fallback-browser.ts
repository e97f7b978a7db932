import { createWorkerFactory, type BrowserWorkerFactory } from '../../browser/worker-factory.ts';
import type { BrowserContext } from 'playwright-core';
import { addPoPdfToFinished, type PoPdfOnlyOptions } from '../../coupa/po-pdf-only.ts';
import { processPo } from '../../coupa/process-po.ts';
import type { PoOutcome, PoTask } from '../../domain/po-outcome.ts';
import type { App } from '../app.ts';
import { networkChoice } from '../network.ts';
import { openSession, type OpenSession } from '../session/open-session.ts';
import type { JobConfig } from '../settings.ts';
import type { ApiWorker } from './api-workers.ts';
import type { PoRunOptions } from './fetch-way.ts';

type BrowserConfig = Pick<JobConfig, 'baseUrl' | 'browser' | 'storageState' | 'profile' | 'headed' | 'proxy'>;

interface Opened {
  readonly session: OpenSession;
  readonly factory: BrowserWorkerFactory;
}

/**
 * The browser `--source auto` falls back to (and that prints the PO PDFs of a run through the API
 * with `--save-po-pdf`), signed in only when a first PO needs it (a run the API serves whole never
 * starts a browser). One browser, a private context per PO sent to it,
 * closed when that PO ends; the session is restored for everybody as in a browser run.
 */
export class FallbackBrowser implements AsyncDisposable {
  readonly #app: App;
  readonly #config: BrowserConfig;
  #opening: Promise<Opened> | null = null;

  constructor(app: App, config: BrowserConfig) {
    [this.#app, this.#config] = [app, config];
  }

  get opened(): boolean {
    return this.#opening !== null;
  }

  /** One PO in a context of its own, held by `worker` while it runs (so stopping the worker closes it). */
  run(worker: ApiWorker, task: PoTask, options: PoRunOptions): Promise<PoOutcome> {
    return this.#inContext(worker, options.signal, (context) => processPo(context, task, options));
  }

  /** `--save-po-pdf` for a PO the API fetched: only the PO printed into its folder (po-pdf-only.ts). */
  print(worker: ApiWorker, task: PoTask, fetched: PoOutcome, options: PoPdfOnlyOptions): Promise<PoOutcome> {
    return this.#inContext(worker, options.signal, (context) => addPoPdfToFinished(context, task, fetched, options));
  }

  async #inContext(worker: ApiWorker, signal: AbortSignal, work: (context: BrowserContext) => Promise<PoOutcome>): Promise<PoOutcome> {
    const { factory } = await this.#open();
    const handle = await factory.start(worker.id, signal);
    worker.fallback = handle;
    try {
      return await work(handle.session);
    } finally {
      worker.fallback = null;
      await handle.close();
    }
  }

  /** Signs in now, not at the first PO that needs it (the PO PDFs need it for every PO: a missing sign-in stops the run before it starts). */
  async open(): Promise<void> {
    await this.#open();
  }

  /** Signs in again for everybody; with no browser opened yet there is nothing to restore. */
  async restore(signal: AbortSignal): Promise<boolean> {
    if (this.#opening === null) return true;
    const { session } = await this.#opening;
    return session.restore(signal);
  }

  describe(): Record<string, unknown> {
    return { fallbackBrowser: this.#opening === null ? 'not needed' : 'opened' };
  }

  /** Signed in once, however many POs need it at the same time; a failed sign-in is tried again by the next PO. */
  #open(): Promise<Opened> {
    this.#opening ??= (async () => {
      const session = await openSession({ app: this.#app, config: this.#config });
      const factory = createWorkerFactory({
        isolation: 'context',
        launch: { executablePath: session.executablePath, headless: !this.#config.headed, isRoot: this.#app.isRoot, proxy: networkChoice(this.#app, this.#config).browserProxy },
        storageState: session.storageStatePath,
        tempRoot: session.tempRoot,
      });
      return { session, factory };
    })().catch((error: unknown) => {
      this.#opening = null;
      throw error;
    });
    return this.#opening;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const opened = await this.#opening?.catch(() => null);
    if (opened === null || opened === undefined) return;
    try {
      await opened.factory.close();
    } finally {
      await opened.session[Symbol.asyncDispose]();
    }
  }
}
