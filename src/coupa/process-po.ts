import type { BrowserContext } from 'playwright-core';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import { BrowserPoSource, type BrowserSourceOptions } from './browser-po-source.ts';
import { runPoSteps, type PoStep } from './po-run.ts';

export type { PoStep } from './po-run.ts';

export interface ProcessPoOptions extends BrowserSourceOptions {
  onStep(step: PoStep, detail?: string): void;
}

/**
 * Everything that happens to one PO in a signed-in browser context: its steps (po-steps.ts) applied
 * by `runPoSteps` with the web pages as the source. Throws coded errors (SESSION_EXPIRED,
 * NAVIGATION_TIMEOUT, …) for the engine to act on; on a throw the partial `__WORK` folder is
 * removed so a retry starts clean (its files were reported via onFileSaved; the store's finishPo
 * replaces those file rows).
 */
export function processPo(context: BrowserContext, task: PoTask, options: ProcessPoOptions): Promise<PoOutcome> {
  return runPoSteps(new BrowserPoSource(context, task, options), task, options);
}
