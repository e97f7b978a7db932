import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonLine, startJsonLines } from '../../../src/ui/json-lines.ts';
import { recordedRun } from '../../support/recorded-run.ts';

function collect(): { out: NodeJS.WritableStream; lines: () => string[] } {
  let text = '';
  const out = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  return { out, lines: () => text.split('\n').filter((line) => line !== '') };
}

describe('JSON lines', () => {
  it('writes every event as one JSON object that parses back to the same event', () => {
    const { out, lines } = collect();
    const json = startJsonLines({ out });
    for (const event of recordedRun) json.listener(event);
    const parsed = lines().map(parseJsonLine);
    assert.equal(parsed.length, recordedRun.length);
    parsed.forEach((record, i) => {
      const { time, ...event } = record;
      assert.deepEqual(event, recordedRun[i]);
      assert.equal(time, new Date(recordedRun[i]?.at ?? 0).toISOString());
    });
  });

  it('puts `type` first and an ISO time second', () => {
    const { out, lines } = collect();
    startJsonLines({ out }).listener({ type: 'pool-resumed', at: Date.UTC(2025, 0, 15, 9, 0, 0) });
    assert.deepEqual(lines(), ['{"type":"pool-resumed","time":"2025-01-15T09:00:00.000Z","at":1736931600000}']);
  });

  it('ends with a summary record carrying the counts, paths and retry command', () => {
    const { out, lines } = collect();
    const json = startJsonLines({ out, clock: () => 0 });
    for (const event of recordedRun) json.listener(event);
    json.finish({ outDir: '/out', reportPaths: ['/out/report.xlsx'], retryCommand: null });
    const summary = parseJsonLine(lines().at(-1) ?? '');
    assert.equal(summary.type, 'summary');
    assert.deepEqual(summary['counts'], {
      COMPLETED: 3, PARTIAL: 1, FAILED: 1, NO_ATTACHMENTS: 1, PO_NOT_FOUND: 1, ACCESS_DENIED: 1, PR_NOT_ACCESSIBLE: 1, TIMEOUT: 1, INVALID_PO: 1,
    });
    assert.deepEqual(summary['reportPaths'], ['/out/report.xlsx']);
    assert.equal(summary['retryCommand'], null);
  });

  it('removes session cookies quoted in messages', () => {
    const { out, lines } = collect();
    startJsonLines({ out }).listener({ type: 'task-retry', at: 0, key: 'PO1', attempt: 2, delayMs: 1, reason: 'sent _coupa_session=abc123' });
    assert.ok(!lines().join('').includes('abc123'));
  });
});
