import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { ApiCredentials } from '../../src/coupa-api/api-credentials.ts';
import type { ApiAttachment } from '../../src/coupa-api/api-attachment.ts';
import { CoupaApiClient, type CoupaApiClientOptions } from '../../src/coupa-api/coupa-api-client.ts';
import type { FoundPo } from '../../src/coupa-api/po-resolver.ts';
import { CoupaDlError, type ErrorCode } from '../../src/domain/errors.ts';
import { startSimulator, type PoTruth, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const never = new AbortController().signal;

function clientFor(sim: Simulator, options: Partial<CoupaApiClientOptions> = {}): CoupaApiClient {
  return new CoupaApiClient({ baseUrl: sim.url, credentials: new ApiCredentials(sim.apiClient.clientId, sim.apiClient.clientSecret), requestsPerSecond: 50, ...options });
}

async function withSimulator(options: SimulatorOptions, body: (sim: Simulator, dir: string) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ heavyPages: false, ...options });
  const dir = await tempDir('coupa-api-');
  try {
    await body(sim, dir.path);
  } finally {
    await sim.close();
    await dir.remove();
  }
}

async function found(client: CoupaApiClient, number: string): Promise<FoundPo> {
  const lookup = await client.resolvePo(number, never);
  assert.equal(lookup.kind, 'found', number);
  return lookup as FoundPo;
}

function coded(code: ErrorCode): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof CoupaDlError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  };
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const exists = async (path: string) => access(path).then(() => true, () => false);

/** Every attachment the client finds for a PO and its requisition, and its files downloaded and checked against the truth. */
async function walk(client: CoupaApiClient, truth: PoTruth, dir: string): Promise<{ listed: ApiAttachment[]; files: number }> {
  const po = await found(client, truth.poNumber);
  const { header, lines, comments } = await client.listPoAttachments(po, never);
  const listed = [...header, ...lines, ...comments];
  if (po.requisitionId !== null) {
    const requisition = await client.listRequisitionAttachments(po.requisitionId, never);
    if (requisition.kind === 'ok') listed.push(...requisition.attachments);
  }
  let files = 0;
  for (const attachment of new Map(listed.filter((a) => a.kind === 'file').map((a) => [a.id, a])).values()) {
    const expected = truth.attachments.find((a) => a.attId === attachment.id);
    assert.ok(expected?.kind === 'file', `attachment ${attachment.id} of ${truth.poNumber} is in the truth`);
    const saved = await client.downloadAttachment(attachment, { tempPath: join(dir, `${truth.id}-${attachment.id}`), signal: never });
    assert.equal(saved.sha256, expected.sha256, `${truth.poNumber} ${expected.name}`);
    assert.equal(saved.sizeBytes, expected.sizeBytes);
    assert.equal(await sha256(saved.tempPath), expected.sha256, 'the bytes on disk');
    files += 1;
  }
  return { listed, files };
}

describe('Coupa API client against the simulator', () => {
  for (const fileShape of ['own-endpoint', 'file-url'] as const) {
    it(`finds every attachment of every PO and downloads each file byte-exact (${fileShape})`, async () => {
      await withSimulator({ pos: 24 }, async (sim, dir) => {
        const client = clientFor(sim, { fileShape });
        for (const truth of sim.truth.pos) {
          if (truth.kind === 'notFound' || truth.kind === 'accessDenied') continue;
          const { listed } = await walk(client, truth, dir);
          const expectedIds = new Set(truth.attachments.map((a) => a.attId));
          const listedIds = new Set(listed.map((a) => a.id));
          assert.deepEqual([...listedIds].sort(), [...expectedIds].sort(), truth.poNumber);
        }
        assert.equal(client.stats().tooManyRequests, 0);
      });
    });
  }

  it('says not found for unknown and not-found POs, access denied for a 403, and for a forbidden requisition', async () => {
    await withSimulator({ pos: 12 }, async (sim) => {
      const client = clientFor(sim);
      const kind = (k: PoTruth['kind']) => sim.truth.pos.find((p) => p.kind === k) as PoTruth;
      assert.deepEqual(await client.resolvePo(kind('notFound').poNumber, never), { kind: 'notFound', tried: [kind('notFound').poNumber, kind('notFound').id] });
      const denied = await client.resolvePo(kind('accessDenied').poNumber, never);
      assert.equal(denied.kind, 'accessDenied');
      const forbidden = await found(client, kind('prForbidden').poNumber);
      assert.equal((await client.listRequisitionAttachments(forbidden.requisitionId ?? '', never)).kind, 'accessDenied');
    });
  });

  it('finds a PO as written when Coupa stores the prefix, and without it when Coupa stores the digits', async () => {
    await withSimulator({ pos: 12 }, async (sim) => {
      const po = await found(clientFor(sim), 'PM100004');
      assert.equal(po.matchedForm, 'as-written');
      assert.equal(po.poId, '100004');
      assert.equal(sim.stats().apiRequests, 1);
    });
    await withSimulator({ pos: 12, api: { poNumberForm: 'digits' } }, async (sim) => {
      const po = await found(clientFor(sim), 'pm100004');
      assert.equal(po.matchedForm, 'without-prefix');
      assert.equal(po.query, '100004');
      assert.equal(po.poNumber, '100004');
      assert.equal(sim.stats().apiRequests, 2);
    });
  });

  it('reads all 300 lines of a long PO 50 at a time and finds the files past the first page', async () => {
    await withSimulator({ pos: 12, longPos: { '100001': 300 } }, async (sim, dir) => {
      const client = clientFor(sim);
      const truth = sim.truth.pos[0] as PoTruth;
      const before = sim.stats().apiRequests;
      const { listed, files } = await walk(client, truth, dir);
      const lineNums = listed.filter((a) => a.where === 'line').map((a) => a.lineNum);
      assert.ok(lineNums.includes('51') && lineNums.includes('300'), lineNums.join(','));
      assert.equal(files, truth.expectedFiles.length + truth.attachments.filter((a) => a.origin === 'requisition' && a.kind === 'file').length);
      // Lookup (header included), 7 pages of lines (the 7th empty), comments, requisition, and one request per file.
      assert.equal(sim.stats().apiRequests - before, 1 + 7 + 1 + (truth.requisitionId === null ? 0 : 1) + files);
    });
  });

  it('falls back to each comment\'s attachment list when comments do not carry their attachments', async () => {
    await withSimulator({ pos: 12, api: { commentsEmbedAttachments: false } }, async (sim) => {
      const client = clientFor(sim);
      const spread = sim.truth.pos.find((p) => p.kind === 'spread') as PoTruth;
      const { comments } = await client.listPoAttachments(await found(client, spread.poNumber), never);
      assert.deepEqual(comments.map((a) => a.id), spread.attachments.filter((a) => a.where === 'comment').map((a) => a.attId));
    });
  });

  it('stops with API_AUTH_FAILED and a plain message on a wrong secret, having fetched nothing', async () => {
    await withSimulator({ pos: 12 }, async (sim) => {
      const secret = 'definitely-wrong-secret';
      const client = new CoupaApiClient({ baseUrl: sim.url, credentials: new ApiCredentials(sim.apiClient.clientId, secret) });
      const report = await client.checkAccess(never);
      assert.equal(report.tokenOk, false);
      assert.equal(report.problem?.code, 'API_AUTH_FAILED');
      assert.match(report.problem?.message ?? '', /refused the API client id or secret/);
      assert.match(report.problem?.hint ?? '', /COUPA_CLIENT_SECRET/);
      await assert.rejects(client.resolvePo('PO100001', never), (error: unknown) => {
        coded('API_AUTH_FAILED')(error);
        assert.equal((error as CoupaDlError).kind, 'run');
        assert.ok(!(error as Error).message.includes(secret), 'the secret is not in the message');
        return true;
      });
      assert.equal(sim.stats().apiRequests, 0);
    });
  });

  it('reports a missing scope in checkAccess and stops with API_SCOPE_MISSING where it is needed', async () => {
    const clients = [{ clientId: 'no-requisitions', clientSecret: 's', scopes: ['core.purchase_order.read', 'core.comment.read', 'core.common.read'] }];
    await withSimulator({ pos: 12, api: { clients } }, async (sim) => {
      const client = clientFor(sim);
      const report = await client.checkAccess(never);
      assert.equal(report.tokenOk, true);
      assert.deepEqual(report.missingScopes, ['core.requisition.read']);
      const fallback = await found(client, (sim.truth.pos.find((p) => p.kind === 'prFallback') as PoTruth).poNumber);
      await assert.rejects(client.listRequisitionAttachments(fallback.requisitionId ?? '', never), coded('API_SCOPE_MISSING'));
    });
  });

  it('never saves a JSON or HTML answer as the file, whichever byte shape is wrong', async () => {
    for (const [simShape, clientShape] of [['file-url', 'own-endpoint'], ['own-endpoint', 'file-url']] as const) {
      await withSimulator({ pos: 12, api: { fileShapes: [simShape] } }, async (sim, dir) => {
        const client = clientFor(sim, { fileShape: clientShape });
        const normal = sim.truth.pos.find((p) => p.kind === 'normal') as PoTruth;
        const po = await found(client, normal.poNumber);
        const file = po.headerAttachments?.find((a) => a.kind === 'file');
        assert.ok(file);
        const tempPath = join(dir, 'file.tmp');
        await assert.rejects(client.downloadAttachment(file, { tempPath, signal: never }), coded('API_NOT_A_FILE'));
        assert.equal(await exists(tempPath), false, 'nothing saved');
      });
    }
  });

  it('renews an expired token once for all requests that were refused at the same time', async () => {
    await withSimulator({ pos: 24 }, async (sim) => {
      // No wait for young tokens: this one was refused because it ended, not because it is new.
      const client = clientFor(sim, { requestsPerSecond: 100, tokenSettleMs: 0 });
      await found(client, 'PO100001');
      assert.equal(sim.stats().tokenRequests, 1);
      sim.expireApiTokens();
      const numbers = sim.truth.pos.filter((p) => p.kind !== 'notFound' && p.kind !== 'accessDenied').map((p) => p.poNumber);
      const results = await Promise.all(numbers.map(async (number) => client.resolvePo(number, never)));
      assert.ok(results.every((result) => result.kind === 'found'));
      assert.equal(sim.stats().tokenRequests, 2, 'one new token for everybody');
      assert.ok(client.stats().unauthorized >= 1);
    });
  });

  it('keeps working across short token lifetimes and an early expiry mid-run, with no failure', async () => {
    await withSimulator({ pos: 24, api: { tokenExpiresInSeconds: 1 } }, async (sim, dir) => {
      // Every token here is younger than Coupa's 5 s settling advice; a refused one is waited out briefly.
      const client = clientFor(sim, { requestsPerSecond: 40, tokenSettleMs: 100 });
      const pos = sim.truth.pos.filter((p) => p.kind !== 'notFound' && p.kind !== 'accessDenied');
      let walked = 0;
      await Promise.all(
        pos.map(async (truth) => {
          await walk(client, truth, dir);
          walked += 1;
          if (walked === 3) sim.expireApiTokens();
        }),
      );
      assert.equal(walked, pos.length);
      assert.ok(sim.stats().tokenRequests >= 3, `tokens: ${String(sim.stats().tokenRequests)}`);
    });
  });

  it('waits out a token Coupa does not accept yet instead of fetching another', async () => {
    await withSimulator({ pos: 12, api: { tokenActivationMs: 300 } }, async (sim) => {
      const client = clientFor(sim, { tokenSettleMs: 600 });
      await found(client, 'PO100001');
      assert.equal(client.stats().unauthorized, 1);
      assert.equal(sim.stats().tokenRequests, 1);
    });
  });

  it('sits out a 429 storm for everybody and slows down, with every file still byte-exact', async () => {
    const rateLimit = { requestsPerSecond: 8, burst: 2, queue: 0, retryAfterSeconds: 1 };
    await withSimulator({ pos: 12, api: { rateLimit } }, async (sim, dir) => {
      const client = clientFor(sim, { requestsPerSecond: 30 });
      const pos = sim.truth.pos.filter((p) => ['normal', 'spread', 'trickyNames', 'linkedTwice'].includes(p.kind));
      const walked = await Promise.all(pos.map(async (truth) => walk(client, truth, dir)));
      assert.ok(walked.every((w) => w.files > 0));
      const stats = client.stats();
      assert.ok(stats.tooManyRequests > 0, 'the storm happened');
      assert.ok(stats.requestsPerSecond < 30, `slowed down to ${String(stats.requestsPerSecond)}/s`);
      assert.equal(sim.stats().apiTooManyRequests, stats.tooManyRequests);
    });
  });

  it('lets other requests go on while a slow download streams (a download holds only its start time)', async () => {
    await withSimulator({ pos: 12, fileSizeBytes: { min: 16_384, max: 20_480 } }, async (sim, dir) => {
      const client = clientFor(sim, { requestsPerSecond: 20 });
      const normal = sim.truth.pos.find((p) => p.kind === 'normal') as PoTruth;
      const file = normal.expectedFiles[0];
      assert.ok(file);
      // At 8 KB/s the file takes two seconds or more; ten lookups at 20/s take half of one.
      sim.setFaults({ byAttachment: { [file.attId]: { bandwidthBytesPerSec: 8192 } } });
      const attachment = (await found(client, normal.poNumber)).headerAttachments?.find((a) => a.id === file.attId);
      assert.ok(attachment);
      let downloaded = false;
      const download = client.downloadAttachment(attachment, { tempPath: join(dir, 'slow.tmp'), signal: never }).then((saved) => {
        downloaded = true;
        return saved;
      });
      const others = sim.truth.pos.filter((p) => p.kind !== 'notFound' && p.kind !== 'accessDenied').slice(0, 10);
      for (const po of others) await found(client, po.poNumber);
      assert.equal(downloaded, false, 'the lookups were not held up behind the download');
      assert.equal((await download).sha256, file.sha256);
    });
  });

  it('gives a retryable HTTP_SERVER_ERROR for a 5xx, API_TIMEOUT for an answer that never ends, and TRUNCATED_DOWNLOAD for a cut file', async () => {
    await withSimulator({ pos: 12 }, async (sim, dir) => {
      const client = clientFor(sim, { requestTimeoutMs: 1_000 });
      const normal = sim.truth.pos.find((p) => p.kind === 'normal') as PoTruth;
      const spread = sim.truth.pos.find((p) => p.kind === 'spread') as PoTruth;
      const file = normal.expectedFiles[0];
      assert.ok(file);
      sim.setFaults({ byPo: { [normal.id]: { serverErrorTimes: 1, scope: 'pages' }, [spread.id]: { neverFinishes: true, scope: 'pages' } }, byAttachment: { [file.attId]: { truncateTimes: 1 } } });
      await assert.rejects(client.resolvePo(normal.poNumber, never), (error: unknown) => coded('HTTP_SERVER_ERROR')(error) && (error as CoupaDlError).kind === 'retryable');
      await assert.rejects(client.resolvePo(spread.poNumber, never), coded('API_TIMEOUT'));
      const po = await found(client, normal.poNumber);
      const attachment = po.headerAttachments?.find((a) => a.id === file.attId);
      assert.ok(attachment);
      const tempPath = join(dir, 'cut.tmp');
      await assert.rejects(client.downloadAttachment(attachment, { tempPath, signal: never }), coded('TRUNCATED_DOWNLOAD'));
      assert.equal(await exists(tempPath), false);
      const saved = await client.downloadAttachment(attachment, { tempPath, signal: never });
      assert.equal(saved.sha256, file.sha256);
    });
  });
});

describe('Coupa API client, run-wide', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ pos: 12, heavyPages: false });
  });
  after(async () => {
    await sim.close();
  });

  it('stops a waiting request when the run is stopped', async () => {
    // The token request takes the first turn; the lookup's turn is 5 s later.
    const client = clientFor(sim, { requestsPerSecond: 0.2 });
    const stop = new AbortController();
    const waiting = client.resolvePo('PO100002', stop.signal);
    stop.abort(new CoupaDlError('INTERRUPTED', 'Stopped by Ctrl-C.'));
    await assert.rejects(waiting, coded('INTERRUPTED'));
  });
});
