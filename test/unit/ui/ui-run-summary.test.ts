import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { orderedCounts, summaryText } from '../../../src/ui/run-summary.ts';
import { initialRunView, reduceRunView } from '../../../src/ui/run-view.ts';

const PLACES = { outDir: '/out', reportPaths: ['/out/report.xlsx'], retryCommand: 'coupa-dl retry orders.xlsx' };

function viewOf(events: readonly EngineEvent[]) {
  return events.reduce(reduceRunView, initialRunView);
}

describe('run summary', () => {
  it('counts the POs fetched each way when the API fetched any, and says nothing of it for a browser-only run', () => {
    const view = viewOf([
      { type: 'run-started', at: 0, total: 3, targetWorkers: 2 },
      { type: 'run-finished', at: 5_000, durationMs: 5_000, interrupted: false, counts: { COMPLETED: 3 } },
    ]);
    assert.match(summaryText(view, { ...PLACES, sources: { api: 2, browser: 1 } }), /^ {2}Fetched: 2 POs through Coupa's API, 1 PO in the browser\.$/m);
    assert.match(summaryText(view, { ...PLACES, sources: { api: 1, browser: 0 } }), /^ {2}Fetched: 1 PO through Coupa's API\.$/m);
    assert.doesNotMatch(summaryText(view, { ...PLACES, sources: { api: 0, browser: 3 } }), /Fetched/);
  });

  it('orders counts as the report does, with statuses this version does not know last', () => {
    assert.deepEqual(orderedCounts({ TIMEOUT: 1, SKIPPED_NEW: 2, COMPLETED: 5, FAILED: 0 }), [['COMPLETED', 5], ['TIMEOUT', 1], ['SKIPPED_NEW', 2]]);
  });

  it('says the run was stopped and leaves out the retry command when nothing needs retrying', () => {
    const view = viewOf([
      { type: 'run-started', at: 0, total: 50, targetWorkers: 2 },
      { type: 'task-finished', at: 1_000, workerId: 1, key: 'PO1', status: 'COMPLETED', ok: true, message: '', durationMs: 900 },
      { type: 'interrupt', at: 2_000, second: false },
      { type: 'run-finished', at: 65_000, durationMs: 65_000, interrupted: true, counts: { COMPLETED: 1 } },
    ]);
    assert.equal(summaryText(view, PLACES), [
      'Stopped after 1 min 05 s: 1 of 50 POs done; the rest are left for the next run.',
      '  COMPLETED               1   all attachments downloaded',
      '',
      'Files:   /out',
      'Report:  /out/report.xlsx',
      '',
    ].join('\n'));
  });

  it('does not count the POs handed back at Ctrl-C as done, and lists the report rows still pending', () => {
    const view = viewOf([
      { type: 'run-started', at: 0, total: 30, targetWorkers: 2 },
      { type: 'interrupt', at: 2_000, second: false },
      { type: 'run-finished', at: 19_000, durationMs: 19_000, interrupted: true, counts: { COMPLETED: 4, returned: 26 } },
    ]);
    const text = summaryText(view, { ...PLACES, reportCounts: { COMPLETED: 4, FAILED: 0, PENDING: 26 } });
    assert.match(text, /^Stopped after 19 s: 4 of 30 POs done; the rest are left for the next run\.\n/);
    assert.match(text, /\n {2}PENDING +26 {3}not reached yet/);
    assert.doesNotMatch(text, /FAILED/);
  });

  it('uses the counts seen so far when the run ended without its final event', () => {
    const view = viewOf([
      { type: 'run-started', at: 0, total: 2, targetWorkers: 1 },
      { type: 'task-finished', at: 42_000, workerId: 1, key: 'PO1', status: 'FAILED', ok: false, message: '', durationMs: 1 },
    ]);
    assert.match(summaryText(view, PLACES), /^Finished in 42 s: 1 of 2 POs\.\n[\s\S]*FAILED +1 .*\n[\s\S]*To try the 1 PO that did not finish again, run:\n {2}coupa-dl retry orders.xlsx\n$/);
  });
});
