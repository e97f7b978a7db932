import type { Page } from 'playwright-core';

/** How long closing a tab may take; seen to hang when a tab is closed mid-navigation. */
export const CLOSE_TAB_MS = 5_000;

/**
 * Closes a tab without ever hanging the PO: a close that does not finish in time is left to
 * the context (recycled by the pool) rather than holding the worker until its deadline.
 */
export async function closeTab(page: Page): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_TAB_MS);
  });
  try {
    await Promise.race([page.close().catch(() => {}), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
