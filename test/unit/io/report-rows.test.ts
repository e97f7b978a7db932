import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PoOutcome } from '../../../src/domain/po-outcome.ts';
import { localTimestamp } from '../../../src/io/local-timestamp.ts';
import { carriedOverReportRow, invalidReportRow, outcomeReportRow, pendingReportRow } from '../../../src/io/run-report.ts';
import { inputRow, savedFile } from '../../support/report-rows.ts';

describe('report rows', () => {
  it('fills a finished PO from its outcome, file names from the saved files', () => {
    const outcome: PoOutcome = {
      status: 'PARTIAL', supplier: 'Acme', attachmentsFound: 3, attachmentsDownloaded: 2,
      files: [savedFile('PO111111', 'a.pdf', 1), savedFile('PO111111', 'b.pdf', 2)],
      errorMessage: '1 of 3 attachments failed', folder: 'Acme/PO111111_PARTIAL', coupaUrl: 'https://x/order_headers/111111', savedPage: '',
    };
    const row = outcomeReportRow(inputRow(2, { PO_NUMBER: 'PO111111' }), outcome, '2025-01-02 03:04:05');
    assert.equal(row.status, 'PARTIAL');
    assert.deepEqual(row.attachmentNames, ['a.pdf', 'b.pdf']);
    assert.equal(row.downloadFolder, 'Acme/PO111111_PARTIAL');
    assert.equal(row.lastProcessed, '2025-01-02 03:04:05');
  });

  it('marks an invalid row INVALID_PO with the reason as its error message', () => {
    const input = { ...inputRow(4, { PO_NUMBER: 'PO12' }), poId: null, problem: 'Too short.' };
    assert.deepEqual([invalidReportRow(input).status, invalidReportRow(input).errorMessage], ['INVALID_PO', 'Too short.']);
  });

  it('leaves a row the run did not reach PENDING with blank counts and the sheet supplier', () => {
    const row = pendingReportRow(inputRow(2, { PO_NUMBER: 'PO111111', SUPPLIER: 'Acme' }));
    assert.deepEqual([row.status, row.attachmentsFound, row.supplier], ['PENDING', null, 'Acme']);
  });

  it('keeps COMPLETED and the earlier report cells for a row the sheet already marked COMPLETED', () => {
    const input = inputRow(2, {
      PO_NUMBER: 'PO111111', STATUS: 'COMPLETED', Supplier: 'Acme', 'attachments found': '2', ATTACHMENTS_DOWNLOADED: '2',
      AttachmentName: 'a.pdf;b.pdf', LAST_PROCESSED: '2024-12-01 10:00:00', DOWNLOAD_FOLDER: 'Acme/PO111111_COMPLETED', COUPA_URL: 'u',
    });
    assert.deepEqual(carriedOverReportRow(input), {
      input, status: 'COMPLETED', supplier: 'Acme', attachmentsFound: 2, attachmentsDownloaded: 2,
      attachmentNames: ['a.pdf', 'b.pdf'], lastProcessed: '2024-12-01 10:00:00', errorMessage: '',
      downloadFolder: 'Acme/PO111111_COMPLETED', coupaUrl: 'u', savedPage: '',
    });
  });

  it('leaves carried-over counts blank when the sheet has none', () => {
    const row = carriedOverReportRow(inputRow(2, { PO_NUMBER: 'PO111111', STATUS: 'completed' }));
    assert.deepEqual([row.attachmentsFound, row.attachmentNames], [null, []]);
  });

  it('formats LAST_PROCESSED as local YYYY-MM-DD HH:MM:SS', () => {
    assert.equal(localTimestamp(new Date(2025, 0, 2, 3, 4, 5)), '2025-01-02 03:04:05');
  });
});
