import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { startDashboard } from '../../../src/ui/dashboard.ts';
import { DashboardView } from '../../../src/ui/dashboard-view.ts';
import type { FinalSummary } from '../../../src/ui/run-summary.ts';
import { initialRunView, reduceRunView } from '../../../src/ui/run-view.ts';
import type { RunView } from '../../../src/ui/run-view.ts';
import { stripAnsi, textWidth } from '../../../src/ui/text-width.ts';
import { MID_RUN_EVENTS, recordedRun } from '../../support/recorded-run.ts';
import { FakeTerminal } from '../../support/fake-terminal.ts';

const h = React.createElement;
const SUMMARY: FinalSummary = {
  outDir: 'C:\\Users\\ana\\Downloads\\coupa',
  reportPaths: ['C:\\Users\\ana\\Downloads\\coupa\\report.xlsx'],
  retryCommand: 'coupa-dl retry --out "C:\\Users\\ana\\Downloads\\coupa" orders.xlsx',
};

function frameLines(frame: string | undefined): string[] {
  return stripAnsi(frame ?? '').split('\n');
}

function assertFits(frame: string | undefined, columns: number): void {
  for (const line of frameLines(frame)) assert.ok(textWidth(line) <= columns, `wider than ${columns}: ${JSON.stringify(line)}`);
}

/** Renders the dashboard after every recorded event, as a terminal would see it. */
function playRecordedRun(columns: number, rows: number): { frames: string[]; views: RunView[] } {
  let view = initialRunView;
  const app = render(h(DashboardView, { view, now: recordedRun[0]?.at ?? 0, columns, rows, summary: null }));
  const frames: string[] = [];
  const views: RunView[] = [];
  for (const event of recordedRun) {
    view = reduceRunView(view, event);
    app.rerender(h(DashboardView, { view, now: event.at, columns, rows, summary: null }));
    frames.push(app.lastFrame() ?? '');
    views.push(view);
  }
  app.rerender(h(DashboardView, { view, now: 0, columns, rows, summary: SUMMARY }));
  frames.push(app.lastFrame() ?? '');
  app.unmount();
  return { frames, views };
}

describe('dashboard', () => {
  const { frames } = playRecordedRun(80, 40);

  it('shows done/total, the pace, CPU and memory and the browsers in the header', () => {
    const mid = frameLines(frames[MID_RUN_EVENTS - 1]);
    assert.match(mid[0] ?? '', /RUNNING {2}0\/11 done \(0%\) {2}elapsed 00:02 {2}ETA unknown/);
    assert.equal(mid[1], 'No PO finished yet.');
    assert.equal(mid[2], '- POs/min  CPU 42%  memory 61% (browsers 1.2 GB)  browsers 3 of 3');
  });

  it('shows one row per browser with its PO, its step and a progress bar per file', () => {
    const mid = frameLines(frames[MID_RUN_EVENTS - 1]);
    assert.ok(mid.includes('  1  PO100001     downloading (file 1 of 2)'));
    assert.ok(mid.includes('  2  PO100002     opening the PO'));
    assert.ok(mid.includes('  3  PO100003     opening the PO'));
    const bar = mid.find((line) => line.includes('Invoice 2025-001 signed.pdf')) ?? '';
    assert.match(bar, /\[█{10}░{10}\] +150 KB \/ 300 KB$/);
  });

  it('counts outcomes by status and lists retries and crashes among recent activity', () => {
    const index = recordedRun.findIndex((e) => e.type === 'task-retry' && e.key === 'PO100006');
    const lines = frameLines(frames[index]);
    assert.ok(lines.includes('COMPLETED 1  NO_ATTACHMENTS 1  PO_NOT_FOUND 1  ACCESS_DENIED 1'));
    assert.ok(lines.includes('  PO100006  trying again (attempt 2) in 1.0 s: browser crashed'));
    assert.ok(lines.includes('  browser 2 crashed; a new one takes its place (browser closed unexpectedly)'));
    assert.ok(lines.includes('  PO100001  COMPLETED  2 files  Acme Supplies  (3.9 s)'));
  });

  it('ends with the summary: counts by status, where the files are and the retry command', () => {
    const last = frameLines(frames.at(-1));
    assert.match(last[0] ?? '', /FINISHED {2}11\/11 done \(100%\)/);
    assert.ok(last.includes('Finished in 14 s: 11 of 11 POs.'));
    assert.ok(last.includes('  TIMEOUT                 1   Coupa did not answer in time'));
    assert.ok(last.includes('Files:   C:\\Users\\ana\\Downloads\\coupa'));
    assert.ok(last.includes('Report:  C:\\Users\\ana\\Downloads\\coupa\\report.xlsx'));
    assert.ok(last.includes('To try the 3 POs that did not finish again, run:'));
    assert.ok(last.includes(`  ${SUMMARY.retryCommand}`));
  });

  it('never draws a line wider than 80 columns', () => {
    for (const frame of frames) assertFits(frame, 80);
  });

  it('cuts rather than wraps on a narrow terminal, and gives up detail on a short one', () => {
    const narrow = playRecordedRun(44, 14);
    for (const [i, frame] of narrow.frames.entries()) {
      assertFits(frame, 44);
      // The final summary may be taller; live frames leave a row free so Ink never redraws the whole screen.
      if (i < narrow.frames.length - 1) assert.ok(frameLines(frame).length < 14, `frame ${i} is ${frameLines(frame).length} rows`);
    }
  });

  it('folds a burst of events into few redraws and leaves the summary on screen', async () => {
    const terminal = new FakeTerminal();
    const dashboard = startDashboard({ stdout: terminal as unknown as NodeJS.WriteStream, interactive: true, clock: () => recordedRun[0]?.at ?? 0 });
    for (const event of recordedRun) dashboard.listener(event);
    await dashboard.finish(SUMMARY);
    const drawn = terminal.chunks.filter((chunk) => chunk.includes('coupa-dl'));
    assert.ok(drawn.length <= 3, `${drawn.length} frames for ${recordedRun.length} events`);
    const output = stripAnsi(terminal.chunks.join(''));
    assert.ok(output.includes('Finished in 14 s: 11 of 11 POs.'));
    assert.ok(output.includes(SUMMARY.retryCommand ?? ''));
  });

  it('lays the frame out again for the new width after a resize', async () => {
    const terminal = new FakeTerminal();
    const dashboard = startDashboard({ stdout: terminal as unknown as NodeJS.WriteStream, interactive: true });
    for (const event of recordedRun.slice(0, MID_RUN_EVENTS)) dashboard.listener(event);
    terminal.columns = 50;
    terminal.emit('resize');
    const from = terminal.chunks.length;
    await dashboard.finish({ ...SUMMARY, retryCommand: null });
    const after = stripAnsi(terminal.chunks.slice(from).join(''));
    assert.ok(after.includes('─'.repeat(50)) && !after.includes('─'.repeat(51)));
    assertFits(after, 50);
  });
});
