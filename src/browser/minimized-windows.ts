import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/**
 * A headless worker's windows are minimized as their tabs open. Nobody sees them, yet Chromium
 * redraws an open window's tab strip and loading animation ~30 times a second while a page loads:
 * ~45 ms of the browser process's CPU and ~20 ms of the GPU process's per second of loading, per
 * worker (docs/benchmark.md, 2026-11-23 fourth round). Minimized, it draws nothing.
 *
 * Playwright starts Chromium with `--disable-backgrounding-occluded-windows`, so the pages of a
 * minimized window stay "visible" and keep drawing frames, which Playwright's clicks wait for.
 * Should a browser hide them all the same (`document.visibilityState` turns `hidden`), the window
 * is restored and no further window of that browser is minimized.
 */
export class WindowMinimizer {
  /** Set once a minimized window hid its page: minimizing costs clicks there, not CPU. */
  #hidesPages = false;
  readonly #working = new Set<Promise<void>>();

  /** Minimizes the window of every tab `context` opens from now on. */
  watch(context: BrowserContext): void {
    context.on('page', (page) => {
      if (this.#hidesPages) return;
      const working = this.#minimize(context, page).finally(() => this.#working.delete(working));
      this.#working.add(working);
    });
  }

  /** Resolves once every tab opened so far has been dealt with (minimized, restored, or left as it is). */
  async idle(): Promise<void> {
    while (this.#working.size > 0) await Promise.all(this.#working);
  }

  /** Whether this browser hid a page when its window was minimized (then windows stay as they are). */
  get hidesPages(): boolean {
    return this.#hidesPages;
  }

  async #minimize(context: BrowserContext, page: Page): Promise<void> {
    let cdp: CDPSession | undefined;
    try {
      cdp = await context.newCDPSession(page);
      const { windowId } = await cdp.send('Browser.getWindowForTarget');
      await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'minimized' } });
      if ((await visibility(cdp)) !== 'hidden') return;
      this.#hidesPages = true;
      await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'normal' } });
    } catch {
      // A tab closed meanwhile: its window keeps its state, the next tab tries again.
    } finally {
      await cdp?.detach().catch(() => {});
    }
  }
}

const VISIBILITY_SETTLES_MS = 200;

/** The page's visibility once it has learnt of its window's state; a page that is between two documents is asked again. */
async function visibility(cdp: CDPSession): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    await sleep(VISIBILITY_SETTLES_MS);
    try {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.visibilityState' });
      return result.value;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
