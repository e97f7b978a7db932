import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { WindowMinimizer } from '../../../src/browser/minimized-windows.ts';

/**
 * The path no browser here takes: one that hides the pages of a minimized window. (Chromium on
 * Linux keeps them visible: worker-factory.test.ts checks that with a real browser.)
 */
function fakeContext(visibility: string) {
  const sent: string[] = [];
  const context = Object.assign(new EventEmitter(), {
    newCDPSession: async () => ({
      send: async (method: string, params?: { bounds?: { windowState?: string } }) => {
        sent.push(params?.bounds?.windowState === undefined ? method : `${method} ${params.bounds.windowState}`);
        if (method === 'Browser.getWindowForTarget') return { windowId: 1 };
        if (method === 'Runtime.evaluate') return { result: { value: visibility } };
        return {};
      },
      detach: async () => {},
    }),
  });
  return { context: context as unknown as BrowserContext, emit: (page: object) => context.emit('page', page), sent };
}

test('restores a window whose minimizing hid its page, and minimizes no further window', async () => {
  const minimizer = new WindowMinimizer();
  const fake = fakeContext('hidden');
  minimizer.watch(fake.context);
  fake.emit({});
  await minimizer.idle();
  assert.equal(minimizer.hidesPages, true);
  assert.deepEqual(fake.sent, ['Browser.getWindowForTarget', 'Browser.setWindowBounds minimized', 'Runtime.evaluate', 'Browser.setWindowBounds normal']);
  fake.sent.length = 0;
  // The 'page' listener runs as the event is emitted; idle() then covers any work it started.
  fake.emit({});
  await minimizer.idle();
  assert.deepEqual(fake.sent, []);
});

test('keeps a window minimized while its page stays visible, and minimizes the next one too', async () => {
  const minimizer = new WindowMinimizer();
  const fake = fakeContext('visible');
  minimizer.watch(fake.context);
  fake.emit({});
  fake.emit({});
  await minimizer.idle();
  assert.equal(minimizer.hidesPages, false);
  assert.equal(fake.sent.filter((call) => call === 'Browser.setWindowBounds minimized').length, 2);
  assert.ok(!fake.sent.includes('Browser.setWindowBounds normal'));
});
