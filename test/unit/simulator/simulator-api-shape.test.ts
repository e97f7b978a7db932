import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiRateLimit } from '../../../src/simulator/api/api-rate-limit.ts';
import { applyShape, shapeFromQuery } from '../../../src/simulator/api/api-shape.ts';
import { toXml, xmlErrors } from '../../../src/simulator/api/api-xml.ts';
import type { JsonObject } from '../../../src/simulator/api/json-value.ts';

const PO: JsonObject = {
  id: 1,
  'po-number': 'PO1',
  status: 'issued',
  supplier: { id: 7, name: 'Acme', number: 'S7', 'primary-address': { id: 3, city: 'Berlin' } },
  'requisition-header': null,
  attachments: [{ id: 9, type: 'AttachmentFile', 'file-file-name': 'a.pdf', 'created-by': { id: 4, login: 'ana' } }],
};

function shape(query: string) {
  const parsed = shapeFromQuery(new URLSearchParams(query));
  assert.ok(!('problem' in parsed), JSON.stringify(parsed));
  return parsed;
}

describe('simulator API shapes', () => {
  it('keeps only the fields asked for, nested ones included, matching - and _', () => {
    const fields = encodeURIComponent(JSON.stringify(['id', 'po_number', { supplier: ['name'] }, { 'requisition-header': ['id'] }, { attachments: ['id', 'file_file_name'] }, 'nonexistent']));
    assert.deepEqual(applyShape(PO, shape(`fields=${fields}`)), {
      id: 1,
      'po-number': 'PO1',
      supplier: { name: 'Acme' },
      'requisition-header': null,
      attachments: [{ id: 9, 'file-file-name': 'a.pdf' }],
    });
  });

  it('gives ids only for limited, and ids and natural keys of associations for shallow', () => {
    assert.deepEqual(applyShape(PO, shape('return_object=limited')), { id: 1 });
    assert.deepEqual(applyShape(PO, shape('return_object=shallow')), {
      id: 1,
      'po-number': 'PO1',
      status: 'issued',
      supplier: { id: 7, name: 'Acme', number: 'S7' },
      'requisition-header': null,
      attachments: [{ id: 9 }],
    });
    assert.equal(applyShape(PO, shape('')), PO);
  });

  it('says what is wrong with a fields or return_object value', () => {
    assert.match(JSON.stringify(shapeFromQuery(new URLSearchParams('fields=[1]'))), /names and/);
    assert.match(JSON.stringify(shapeFromQuery(new URLSearchParams('fields=id'))), /JSON array/);
    assert.match(JSON.stringify(shapeFromQuery(new URLSearchParams('return_object=none'))), /limited or shallow/);
  });

  it('writes XML with typed elements, arrays of singular items and nil for null', () => {
    const xml = toXml('order-headers', [{ id: 1, ok: true, total: 2.5, at: '2025-03-01T09:00:00+00:00', name: 'A & "B"', none: null, attachments: [{ id: 9 }], addresses: [{ id: 2 }] }]);
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<order-headers type="array"><order-header><id type="integer">1</id><ok type="boolean">true</ok><total type="decimal">2.5</total>' +
        '<at type="dateTime">2025-03-01T09:00:00+00:00</at><name>A &#38; &#34;B&#34;</name><none nil="true"/><attachments type="array"><attachment><id type="integer">9</id></attachment></attachments>' +
        '<addresses type="array"><address><id type="integer">2</id></address></addresses></order-header></order-headers>\n',
    );
    assert.match(xmlErrors(['No <results>']), /<errors>\n {2}<error>No &#60;results&#62;<\/error>\n<\/errors>/);
  });

  it('serves the burst at once, queues the next ones, and refuses beyond the queue', async () => {
    let now = 0;
    const limit = new ApiRateLimit({ requestsPerSecond: 1000, burst: 2, queue: 1, retryAfterSeconds: 1 }, () => now);
    const never = new AbortController().signal;
    assert.equal(await limit.admit(never), 'served');
    assert.equal(await limit.admit(never), 'served');
    const queued = limit.admit(never);
    assert.equal(await limit.admit(never), 'rejected');
    now = 5;
    assert.equal(await queued, 'queued');
    now = 10_000;
    assert.equal(await limit.admit(never), 'served', 'refilled after a quiet spell');
    limit.close(new Error('closed'));
  });
});
