import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { API_SCOPES, startSimulator, type PoTruth, type Simulator, type SimulatorOptions, type TextAttachmentTruth, type UrlAttachmentTruth } from '../../src/simulator/index.ts';

interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

async function tokenRequest(sim: Simulator, fields: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.apiClient.clientId, client_secret: sim.apiClient.clientSecret, scope: API_SCOPES.join(' '), ...fields }),
  });
}

async function token(sim: Simulator, fields: Record<string, string> = {}): Promise<string> {
  const response = await tokenRequest(sim, fields);
  assert.equal(response.status, 200);
  return ((await response.json()) as TokenAnswer).access_token;
}

async function withSimulator(options: SimulatorOptions, body: (sim: Simulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ heavyPages: false, ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

describe('simulator API', () => {
  let sim: Simulator;
  let bearer: string;
  const get = async (path: string, accept = 'application/json') => fetch(sim.url + path, { headers: { authorization: `Bearer ${bearer}`, accept } });
  const json = async (path: string) => {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    return (await response.json()) as Record<string, unknown>[];
  };
  const po = (kind: PoTruth['kind']): PoTruth => {
    const found = sim.truth.pos.find((p) => p.kind === kind);
    assert.ok(found, kind);
    return found;
  };

  before(async () => {
    sim = await startSimulator({ pos: 24, heavyPages: false, longPos: { '100001': 300 } });
    bearer = await token(sim);
  });
  after(async () => {
    await sim.close();
  });

  it('issues a token for the client credentials grant, with the scopes asked for and Coupa\'s lifetime', async () => {
    const response = await tokenRequest(sim, {});
    const answer = (await response.json()) as TokenAnswer;
    assert.equal(answer.token_type, 'bearer');
    assert.equal(answer.expires_in, 86_399);
    assert.deepEqual(answer.scope.split(' '), [...API_SCOPES]);
    assert.equal(sim.stats().tokenRequests >= 2, true);
  });

  it('refuses a wrong secret with 401 invalid_client, and an unknown grant with 400', async () => {
    const wrong = await tokenRequest(sim, { client_secret: 'not-the-secret' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    const grant = await tokenRequest(sim, { grant_type: 'password' });
    assert.equal(grant.status, 400);
    assert.equal(((await grant.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  it('answers 401 with a Bearer challenge without a token or with an unknown one', async () => {
    const none = await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    const unknown = await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(unknown.status, 401);
  });

  it('finds a PO by the number its pages show, embedding supplier, requisition header, header attachments and lines', async () => {
    const spread = po('spread');
    const [record, ...more] = await json(`/api/purchase_orders?po-number=${spread.poNumber}`);
    assert.equal(more.length, 0);
    assert.ok(record);
    assert.equal(record.id, Number(spread.id));
    assert.equal(record['po-number'], spread.poNumber);
    assert.equal((record.supplier as { name: string }).name, spread.supplier);
    assert.equal((record['requisition-header'] as { id: number } | null)?.id ?? null, spread.requisitionId === null ? null : Number(spread.requisitionId));
    const header = record.attachments as { id: number; type: string }[];
    assert.deepEqual(header.map((a) => String(a.id)), spread.attachments.filter((a) => a.where === 'header' && a.origin === 'po').map((a) => a.attId));
    assert.ok(Array.isArray(record['order-lines']));
    assert.deepEqual(await json(`/api/purchase_orders?po-number=${spread.id}`), [], 'the digits alone are another number');
  });

  it('answers [] for an unknown number and a not-found PO, and 403 for an access-denied one', async () => {
    assert.deepEqual(await json(`/api/purchase_orders?po-number=PO${sim.truth.unknownPoId}`), []);
    assert.deepEqual(await json(`/api/purchase_orders?po-number=${po('notFound').poNumber}`), []);
    const denied = await get(`/api/purchase_orders?po-number=${po('accessDenied').poNumber}`);
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('www-authenticate'), null, 'a plain 403, not a scope problem');
    assert.equal((await get(`/api/purchase_orders/${po('accessDenied').id}/attachments`)).status, 403);
  });

  it('lists the attachments of lines, comments and requisitions with the reference fields', async () => {
    const spread = po('spread');
    const lines = await json(`/api/purchase_order_lines?order-header-id=${spread.id}`);
    const lineFiles = lines.flatMap((line) => (line.attachments as { id: number }[]).map((a) => String(a.id)));
    assert.deepEqual(lineFiles, spread.attachments.filter((a) => a.where === 'line').map((a) => a.attId));
    const comments = await json(`/api/purchase_orders/${spread.id}/comments`);
    const [comment] = comments;
    assert.ok(comment);
    const viaEndpoint = await json(`/api/comments/${String(comment.id)}/attachments`);
    assert.deepEqual(viaEndpoint, comment.attachments);
    const fallback = po('prFallback');
    const reqAttachments = await json(`/api/requisitions/${fallback.requisitionId ?? ''}/attachments`);
    const file = reqAttachments.find((a) => a.type === 'AttachmentFile');
    assert.ok(file);
    for (const key of ['id', 'type', 'intent', 'file', 'file-url', 'file-file-name', 'file-content-type', 'file-file-size', 'text', 'url', 'created-at']) assert.ok(key in file, key);
    const truth = fallback.expectedFiles.find((f) => f.attId === String(file.id));
    assert.ok(truth);
    assert.equal(file['file-file-size'], String(truth.sizeBytes), 'a string, as the spec types it');
    assert.equal((await get(`/api/requisitions/${po('prForbidden').requisitionId ?? ''}/attachments`)).status, 403);
  });

  it('shows URL and Text attachments with their type, url and text', async () => {
    const mixed = po('urlAndText');
    const header = await json(`/api/purchase_orders/${mixed.id}/attachments`);
    const url = header.find((a) => a.type === 'AttachmentUrl');
    const text = header.find((a) => a.type === 'AttachmentText');
    const truthUrl = mixed.attachments.find((a): a is UrlAttachmentTruth => a.kind === 'url' && a.where === 'header');
    const truthText = mixed.attachments.find((a): a is TextAttachmentTruth => a.kind === 'text' && a.where === 'header');
    assert.ok(truthUrl && truthText);
    assert.equal(url?.url, truthUrl.url);
    assert.equal(text?.text, truthText.text);
  });

  it('pages a 300-line PO 50 records at a time with offset, whatever limit is asked', async () => {
    const pages: number[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = await json(`/api/purchase_order_lines?order-header-id=100001&offset=${String(offset)}&limit=500`);
      pages.push(page.length);
      if (page.length < 50) break;
    }
    assert.deepEqual(pages, [50, 50, 50, 50, 50, 50, 0]);
    const secondPage = await json('/api/purchase_order_lines?order-header-id=100001&offset=50&limit=1');
    assert.equal(secondPage.length, 1);
    assert.equal(secondPage[0]?.['line-num'], '51');
    assert.ok((secondPage[0]?.attachments as unknown[]).length > 0, 'line 51 holds a file');
  });

  it('trims answers with fields= (names with - or _) and return_object=limited|shallow', async () => {
    const normal = po('normal');
    const full = JSON.stringify(await json(`/api/purchase_orders?po-number=${normal.poNumber}`)).length;
    const fields = encodeURIComponent(JSON.stringify(['id', 'po_number', { supplier: ['name'] }, { attachments: ['id', 'file-file-name'] }]));
    const [trimmed] = await json(`/api/purchase_orders?po-number=${normal.poNumber}&fields=${fields}`);
    assert.deepEqual(Object.keys(trimmed ?? {}), ['id', 'po-number', 'supplier', 'attachments']);
    assert.deepEqual(Object.keys((trimmed?.supplier as object | undefined) ?? {}), ['name']);
    assert.ok(JSON.stringify(trimmed).length * 10 < full, 'a tenth of the full answer or less');
    assert.deepEqual(await json(`/api/purchase_orders?po-number=${normal.poNumber}&return_object=limited`), [{ id: Number(normal.id) }]);
    const [shallow] = await json(`/api/purchase_orders?po-number=${normal.poNumber}&return_object=shallow`);
    assert.deepEqual(Object.keys((shallow?.supplier as object | undefined) ?? {}).sort(), ['id', 'name', 'number']);
    assert.equal((await get(`/api/purchase_orders?po-number=${normal.poNumber}&fields=notjson`)).status, 400);
  });

  it('answers XML when asked, with typed elements, and 404 with <errors> for no results', async () => {
    const normal = po('normal');
    const xml = await get(`/api/purchase_orders?po-number=${normal.poNumber}`, 'application/xml');
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type') ?? '', /application\/xml/);
    const text = await xml.text();
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<order-headers type="array"><order-header><id type="integer">/);
    assert.match(text, /<attachments type="array"><attachment><id type="integer">\d+<\/id>/);
    const none = await get(`/api/purchase_orders?po-number=nothing`, 'application/xml');
    assert.equal(none.status, 404);
    assert.match(await none.text(), /<errors>\s*<error>No results match your search criteria.<\/error>\s*<\/errors>/);
  });

  it('sends the same bytes as the page downloads through both byte shapes', async () => {
    const file = po('normal').expectedFiles[0];
    assert.ok(file);
    const own = await get(`/api/purchase_orders/${po('normal').id}/attachments/${file.attId}`, 'application/octet-stream, */*');
    assert.equal(own.status, 200);
    assert.equal(sha256(await own.arrayBuffer()), file.sha256);
    const [record] = (await json(`/api/purchase_orders/${po('normal').id}/attachments`)).filter((a) => String(a.id) === file.attId);
    const viaUrl = await get(String(record?.['file-url']).replace(sim.url, ''), '*/*');
    assert.equal(viaUrl.status, 200);
    assert.equal(sha256(await viaUrl.arrayBuffer()), file.sha256);
    const page = await fetch(sim.url + file.path);
    assert.equal(sha256(await page.arrayBuffer()), file.sha256);
    const metadata = await get(`/api/purchase_orders/${po('normal').id}/attachments/${file.attId}`);
    assert.equal(((await metadata.json()) as { id: number }).id, Number(file.attId), 'Accept: application/json gets the record');
  });

  it('counts API requests per second in its stats', async () => {
    const before = sim.stats().apiRequests;
    await json(`/api/purchase_orders?po-number=${po('normal').poNumber}`);
    const stats = sim.stats();
    assert.equal(stats.apiRequests, before + 1);
    assert.equal(stats.apiRequestsPerSecond.reduce((sum, n) => sum + n, 0), stats.apiRequests);
    assert.ok(stats.apiBytesSent > 0);
  });
});

describe('simulator API options', () => {
  it('grants only the scopes the client holds and answers 403 insufficient_scope on the others', async () => {
    const clients = [{ clientId: 'narrow', clientSecret: 's3cret', scopes: ['core.purchase_order.read'] }];
    await withSimulator({ pos: 12, api: { clients } }, async (sim) => {
      const response = await tokenRequest(sim, {});
      const answer = (await response.json()) as TokenAnswer;
      assert.equal(answer.scope, 'core.purchase_order.read');
      const fallback = sim.truth.pos.find((p) => p.kind === 'prFallback');
      const denied = await fetch(`${sim.url}/api/requisitions/${fallback?.requisitionId ?? ''}/attachments`, { headers: { authorization: `Bearer ${answer.access_token}` } });
      assert.equal(denied.status, 403);
      assert.match(denied.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="core.requisition.read"/);
      const allowed = await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers: { authorization: `Bearer ${answer.access_token}` } });
      assert.equal(allowed.status, 200);
    });
  });

  it('matches the digits alone with poNumberForm digits, and gives tokens the expiry asked for', async () => {
    await withSimulator({ pos: 12, api: { poNumberForm: 'digits', tokenExpiresInSeconds: 2 } }, async (sim) => {
      const response = await tokenRequest(sim, {});
      const answer = (await response.json()) as TokenAnswer;
      assert.equal(answer.expires_in, 2);
      const headers = { authorization: `Bearer ${answer.access_token}` };
      assert.deepEqual(await (await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers })).json(), []);
      const [record] = (await (await fetch(`${sim.url}/api/purchase_orders?po-number=100001`, { headers })).json()) as { 'po-number': string }[];
      assert.equal(record?.['po-number'], '100001');
    });
  });

  it('ends every token issued so far on expireApiTokens, and later tokens work', async () => {
    await withSimulator({ pos: 12 }, async (sim) => {
      const old = await token(sim);
      sim.expireApiTokens();
      const refused = await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers: { authorization: `Bearer ${old}` } });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /expired/);
      const fresh = await token(sim);
      assert.equal((await fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers: { authorization: `Bearer ${fresh}` } })).status, 200);
    });
  });

  it('answers the record where bytes were asked when the own-endpoint shape is off, and a sign-in redirect for file-url when that is off', async () => {
    await withSimulator({ pos: 12, api: { fileShapes: [] } }, async (sim) => {
      const headers = { authorization: `Bearer ${await token(sim)}`, accept: '*/*' };
      const normal = sim.truth.pos.find((p) => p.kind === 'normal');
      const file = normal?.expectedFiles[0];
      assert.ok(normal && file);
      const own = await fetch(`${sim.url}/api/purchase_orders/${normal.id}/attachments/${file.attId}`, { headers });
      assert.match(own.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(((await own.json()) as { id: number }).id, Number(file.attId));
      const viaUrl = await fetch(sim.url + file.path, { headers, redirect: 'manual' });
      assert.equal(viaUrl.status, 302);
      assert.match(viaUrl.headers.get('location') ?? '', /^\/sessions\/new\?return_to=/);
    });
  });

  it('serves a burst, then queues, then refuses with 429 and Retry-After, counting each', async () => {
    const rateLimit = { requestsPerSecond: 2, burst: 3, queue: 2, retryAfterSeconds: 7 };
    await withSimulator({ pos: 12, api: { rateLimit } }, async (sim) => {
      const headers = { authorization: `Bearer ${await token(sim)}` };
      const answers = await Promise.all(Array.from({ length: 8 }, async () => fetch(`${sim.url}/api/purchase_orders?po-number=PO100001`, { headers })));
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
      const refused = answers.find((r) => r.status === 429);
      assert.equal(refused?.headers.get('retry-after'), '7');
      await Promise.all(answers.map(async (r) => r.body?.cancel()));
      const stats = sim.stats();
      assert.equal(stats.apiQueued, 2);
      assert.equal(stats.apiTooManyRequests, 3);
    });
  });

  it('applies the fault plan to API routes: 5xx for a PO, truncation for one file', async () => {
    await withSimulator({ pos: 12 }, async (sim) => {
      const headers = { authorization: `Bearer ${await token(sim)}`, accept: '*/*' };
      const normal = sim.truth.pos.find((p) => p.kind === 'normal');
      const file = normal?.expectedFiles[0];
      assert.ok(normal && file);
      sim.setFaults({ byPo: { [normal.id]: { serverErrorTimes: 1, scope: 'pages' } }, byAttachment: { [file.attId]: { truncateTimes: 1 } } });
      const path = `/api/purchase_orders/${normal.id}/attachments`;
      assert.equal((await fetch(sim.url + path, { headers })).status, 503);
      assert.equal((await fetch(sim.url + path, { headers })).status, 200);
      const cut = await fetch(`${sim.url}${path}/${file.attId}`, { headers });
      await assert.rejects(cut.arrayBuffer());
      const whole = await fetch(`${sim.url}${path}/${file.attId}`, { headers });
      assert.equal(sha256(await whole.arrayBuffer()), file.sha256);
    });
  });
});
