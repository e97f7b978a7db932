import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failedOutcome, keepEarlierFiles } from '../../../src/domain/failed-outcome.ts';
import type { PoOutcome, PoTask } from '../../../src/domain/po-outcome.ts';

const task: PoTask = { poNumber: 'PO100001', poId: '100001', folderLevels: null };
const earlier: PoOutcome = {
  status: 'PARTIAL',
  supplier: 'Acme',
  attachmentsFound: 2,
  attachmentsDownloaded: 1,
  files: [{ poNumber: 'PO100001', name: 'a.pdf', relativePath: 'Acme/PO100001_PARTIAL/a.pdf', sizeBytes: 3, sha256: 'x', sourceUrl: 'u', kind: 'file', origin: 'po' }],
  errorMessage: 'b.pdf: HTTP 503',
  folder: 'Acme/PO100001_PARTIAL',
  coupaUrl: 'https://c/order_headers/100001',
  savedPage: '',
};

describe('failed outcome', () => {
  it('ends TIMEOUT when Coupa did not answer in time, naming the code and the attempts', () => {
    const outcome = failedOutcome(task, { code: 'NAVIGATION_TIMEOUT', message: 'The PO page did not load within 60 s.', attempts: 3 }, null);
    assert.equal(outcome.status, 'TIMEOUT');
    assert.equal(outcome.errorMessage, 'The PO page did not load within 60 s. [NAVIGATION_TIMEOUT, 3 attempts]');
    assert.equal(outcome.folder, '');
  });

  it('ends TIMEOUT when the pool saw no progress before the deadline', () => {
    assert.equal(failedOutcome(task, { code: 'TASK_DEADLINE_EXCEEDED', message: 'stuck', attempts: 1 }, null).status, 'TIMEOUT');
  });

  it('ends FAILED for anything else and keeps what an earlier run saved', () => {
    const outcome = failedOutcome(task, { code: 'BROWSER_CRASHED', message: 'The browser crashed.', attempts: 3 }, earlier);
    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.folder, earlier.folder);
    assert.deepEqual(outcome.files, earlier.files);
  });
});

describe('keeping earlier files', () => {
  it('points a retry that wrote no folder at the earlier folder, and says so', () => {
    const retry: PoOutcome = { ...earlier, status: 'FAILED', attachmentsDownloaded: 0, files: [], folder: '', errorMessage: 'a.pdf: HTTP 503' };
    const kept = keepEarlierFiles(retry, earlier);
    assert.equal(kept.status, 'FAILED');
    assert.equal(kept.folder, 'Acme/PO100001_PARTIAL');
    assert.deepEqual(kept.files, earlier.files);
    assert.match(kept.errorMessage, /^a\.pdf: HTTP 503 Files from an earlier run are kept in Acme\/PO100001_PARTIAL\.$/);
  });

  it('leaves an outcome with its own folder alone', () => {
    const completed: PoOutcome = { ...earlier, status: 'COMPLETED', folder: 'Acme/PO100001_COMPLETED', errorMessage: '' };
    assert.equal(keepEarlierFiles(completed, earlier), completed);
  });

  it('changes nothing when there was no earlier folder', () => {
    const notFound: PoOutcome = { ...earlier, status: 'PO_NOT_FOUND', files: [], folder: '' };
    assert.equal(keepEarlierFiles(notFound, null), notFound);
    assert.equal(keepEarlierFiles(notFound, { ...earlier, folder: '' }), notFound);
  });
});
