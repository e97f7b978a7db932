import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatClock, formatDuration, formatEta, formatSeconds } from '../../../src/ui/human-units.ts';
import { clipText, fitText, textWidth } from '../../../src/ui/text-width.ts';

describe('human units', () => {
  it('shows sizes as file explorers do', () => {
    assert.deepEqual([512, 150 * 1024, 2.5 * 1024 ** 2, 1.2 * 1024 ** 3].map(formatBytes), ['512 B', '150 KB', '2.5 MB', '1.2 GB']);
  });

  it('shows durations, the elapsed clock and an ETA rounded up to minutes', () => {
    assert.deepEqual([2_100, 65_000].map(formatSeconds), ['2.1 s', '1 min 05 s']);
    assert.equal(formatDuration(3_725_000), '1 h 02 min');
    assert.deepEqual([249_000, 3_723_000].map(formatClock), ['04:09', '1:02:03']);
    assert.deepEqual([null, 30_000, 640_000, 7_500_000].map(formatEta), ['unknown', 'under 1 min', '11 min', '2 h 05 min']);
  });
});

describe('text width', () => {
  it('counts wide characters as two cells and cuts names with an ellipsis', () => {
    assert.equal(textWidth('发票.pdf'), 8);
    assert.equal(clipText('Invoice 2025-001 signed.pdf', 10), 'Invoice 2…');
    assert.equal(clipText('发票发票发票', 5), '发票…');
    assert.equal(fitText('ab', 4), 'ab  ');
  });
});
