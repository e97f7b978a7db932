import type { BrowserContext } from 'playwright-core';
import { createWorkerFactory } from '../../browser/worker-factory.ts';
import { MAX_WORKERS } from '../../engine/pool-settings.ts';
import { addPoPdfToFinished } from '../../coupa/po-pdf-only.ts';
import { processPo } from '../../coupa/process-po.ts';
import type { App } from '../app.ts';
import { networkChoice } from '../network.ts';
import type { OpenSession } from '../session/open-session.ts';
import type { JobConfig } from '../settings.ts';
import type { FetchWay } from './fetch-way.ts';

/** Coupa's web pages: a signed-in browser context per worker (one shared browser, or one each). */
export function browserWay(app: App, config: Pick<JobConfig, 'isolation' | 'headed' | 'proxy'>, session: OpenSession): { readonly kind: 'browser' } & FetchWay<BrowserContext> {
  const factory = createWorkerFactory({
    isolation: config.isolation,
    launch: { executablePath: session.executablePath, headless: !config.headed, isRoot: app.isRoot, proxy: networkChoice(app, config).browserProxy },
    storageState: session.storageStatePath,
    tempRoot: session.tempRoot,
  });
  return {
    kind: 'browser',
    factory,
    maxWorkers: MAX_WORKERS,
    autoWorkers: 'auto',
    run: async (context, task, options) => ({ outcome: await processPo(context, task, options), source: 'browser' }),
    printOnly: async (context, task, previous, options) => ({ outcome: await addPoPdfToFinished(context, task, previous, options), source: 'browser' }),
    restoreSession: (signal) => session.restore(signal),
    describe: () => ({ source: 'browser', session: session.source, browser: session.executablePath }),
    lastSource: () => 'browser',
    async [Symbol.asyncDispose]() {
      try {
        await factory.close();
      } finally {
        await session[Symbol.asyncDispose]();
      }
    },
  };
}
