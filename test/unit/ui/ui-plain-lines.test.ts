import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { startPlainLines } from '../../../src/ui/plain-lines.ts';
import type { FinalSummary } from '../../../src/ui/run-summary.ts';
import { recordedRun } from '../../support/recorded-run.ts';

const SUMMARY: FinalSummary = { outDir: '/out', reportPaths: ['/out/report.xlsx', '/out/report.csv'], retryCommand: 'coupa-dl retry --out /out orders.xlsx' };

/** Plays events with the clock at each event's time; returns what was written, line by line. */
function play(events: readonly EngineEvent[], summary: FinalSummary | null, progressEveryMs = 5_000): string[] {
  let now = 0;
  let text = '';
  const out = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  const plain = startPlainLines({ out, clock: () => now, progressEveryMs });
  for (const event of events) {
    now = event.at;
    plain.listener(event);
  }
  if (summary !== null) plain.finish(summary);
  return text.split('\n');
}

describe('plain lines', () => {
  it('writes one line per outcome, retry and browser crash, and a progress line every few seconds', () => {
    assert.deepEqual(play(recordedRun, null), [
      'starting: 11 POs with 3 browsers',
      '[1/11] PO100001  COMPLETED  2 files  Acme Supplies  (3.9 s)',
      '[2/11] PO100002  NO_ATTACHMENTS  0 files  Beta Ltd  (4.0 s)',
      'PO100003  trying again (attempt 2) in 5.0 s: navigation timeout after 30 s',
      '[3/11] PO100004  PO_NOT_FOUND  Coupa shows no PO with this number  (1.1 s)',
      'progress: 3/11 done, 0 failed, 33.7 POs/min, ETA under 1 min',
      '[4/11] PO100005  ACCESS_DENIED  Coupa refused access  (1.2 s)',
      'browser 2 crashed; a new one takes its place (browser closed unexpectedly)',
      'PO100006  trying again (attempt 2) in 1.0 s: browser crashed',
      '[5/11] PO100007  PR_NOT_ACCESSIBLE  requisition REQ5512 could not be opened  (1.5 s)',
      '[6/11] PO12  INVALID_PO  not a PO number  (0.0 s)',
      'progress: 6/11 done, 0 failed, 33.3 POs/min, ETA under 1 min',
      '[7/11] PO100006  PARTIAL  1 of 2 files  Gamma GmbH  (2.6 s)',
      '[8/11] PO100009  FAILED  download of contract.pdf failed: HTTP 500  (1.9 s)',
      '[9/11] PO100003  TIMEOUT  Coupa did not answer in time  (6.3 s)',
      '[10/11] PO100010  COMPLETED  1 file  Delta Inc  (2.5 s)',
      '[11/11] PO100011  COMPLETED  4 files  Acme Supplies  (3.0 s)',
      '',
    ]);
  });

  it('ends with the summary as text: counts in report order, paths and the retry command', () => {
    const lines = play(recordedRun, SUMMARY);
    assert.deepEqual(lines.slice(lines.indexOf('Finished in 14 s: 11 of 11 POs.')), [
      'Finished in 14 s: 11 of 11 POs.',
      '  COMPLETED               3   all attachments downloaded',
      '  PARTIAL                 1   some attachments could not be downloaded',
      '  FAILED                  1   an error stopped the download (see the report)',
      '  NO_ATTACHMENTS          1   the PO has no attachments',
      '  PO_NOT_FOUND            1   Coupa has no PO with this number',
      '  ACCESS_DENIED           1   your Coupa account may not open this PO',
      '  PR_NOT_ACCESSIBLE       1   the requisition behind the PO could not be opened',
      '  TIMEOUT                 1   Coupa did not answer in time',
      '  INVALID_PO              1   not a valid PO number in the sheet',
      '',
      'Files:   /out',
      'Report:  /out/report.xlsx',
      '         /out/report.csv',
      '',
      'To try the 3 POs that did not finish again, run:',
      '  coupa-dl retry --out /out orders.xlsx',
      '',
    ]);
  });

  it('counts failures in the progress line and shows the ETA in minutes', () => {
    const events: EngineEvent[] = [{ type: 'run-started', at: 0, total: 200, targetWorkers: 4 }];
    for (let i = 1; i <= 40; i += 1) {
      events.push({ type: 'task-finished', at: i * 4_000, workerId: 1, key: `PO${100_000 + i}`, status: i % 10 === 0 ? 'FAILED' : 'COMPLETED', ok: i % 10 !== 0, message: '', durationMs: 4_000 });
    }
    const progress = play(events, null, 160_000).filter((line) => line.startsWith('progress:'));
    assert.deepEqual(progress, ['progress: 40/200 done, 4 failed, 15.0 POs/min, ETA 11 min']);
  });

  it('says when the run is paused, resumed and stopping, and keeps messages on one line without secrets', () => {
    const lines = play([
      { type: 'run-started', at: 0, total: 2, targetWorkers: 1 },
      { type: 'pool-held', at: 1, reason: 'waiting for you to sign in to Coupa' },
      { type: 'pool-resumed', at: 2 },
      { type: 'task-finished', at: 3, workerId: 1, key: 'PO1', status: 'FAILED', ok: false, message: 'HTTP 500\nCookie: _coupa_session=abc123', durationMs: 2_100 },
      { type: 'interrupt', at: 4, second: false },
    ], null, 60_000);
    assert.deepEqual(lines, [
      'starting: 2 POs with 1 browser',
      'paused: waiting for you to sign in to Coupa',
      'resumed',
      '[1/2] PO1  FAILED  HTTP 500 Cookie: [REDACTED]  (2.1 s)',
      'stopping: finishing the POs in progress (Ctrl-C again stops at once)',
      '',
    ]);
  });
});
