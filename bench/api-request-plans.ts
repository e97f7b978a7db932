/**
 * Requests and bytes per PO through Coupa's REST API, naive walk (`full`) against the trimmed
 * one (`fields=`), over the simulator's catalogue. Figures go to docs/coupa-api.md.
 *
 *   node bench/api-request-plans.ts [--pos 200] [--long-lines 300] [--po-number-form as-shown|digits]
 *
 * The simulator's rate limit is off and the client's pace is high, so the time per request is
 * the simulator's own; at Coupa's pace, requests per PO divided by the pace is the time per PO.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiCredentials } from '../src/coupa-api/api-credentials.ts';
import type { ApiAttachment } from '../src/coupa-api/api-attachment.ts';
import { CoupaApiClient } from '../src/coupa-api/coupa-api-client.ts';
import type { RequestPlan } from '../src/coupa-api/po-resolver.ts';
import { startSimulator, type PoTruth, type Simulator } from '../src/simulator/index.ts';

const { values } = parseArgs({ options: { pos: { type: 'string', default: '200' }, 'long-lines': { type: 'string', default: '300' }, 'po-number-form': { type: 'string', default: 'as-shown' } } });
const never = new AbortController().signal;

interface Figures {
  pos: number;
  requests: number;
  listingRequests: number;
  jsonBytes: number;
  jsonRequests: number;
  jsonTimeMs: number;
  files: number;
  fileBytes: number;
  wallMs: number;
}

/** One PO as the adapter will walk it: lookup, lists, the requisition when no PDF, every file. */
async function walkPo(client: CoupaApiClient, truth: PoTruth, dir: string): Promise<{ files: number; bytes: number }> {
  const po = await client.resolvePo(truth.poNumber, never);
  if (po.kind !== 'found') return { files: 0, bytes: 0 };
  const { header, lines, comments } = await client.listPoAttachments(po, never);
  const own = [...header, ...lines, ...comments];
  const attachments: ApiAttachment[] = [...own];
  const hasPdf = own.some((a) => a.kind === 'file' && /\.pdf$/i.test(a.fileName ?? ''));
  if (!hasPdf && po.requisitionId !== null) {
    const requisition = await client.listRequisitionAttachments(po.requisitionId, never);
    if (requisition.kind === 'ok') attachments.push(...requisition.attachments);
  }
  let files = 0;
  let bytes = 0;
  for (const attachment of new Map(attachments.filter((a) => a.kind === 'file').map((a) => [a.id, a])).values()) {
    const saved = await client.downloadAttachment(attachment, { tempPath: join(dir, `${attachment.id}.tmp`), signal: never });
    files += 1;
    bytes += saved.sizeBytes;
  }
  return { files, bytes };
}

async function measure(sim: Simulator, plan: RequestPlan, pos: readonly PoTruth[], dir: string): Promise<Figures> {
  const client = new CoupaApiClient({ baseUrl: sim.url, credentials: new ApiCredentials(sim.apiClient.clientId, sim.apiClient.clientSecret), requestPlan: plan, requestsPerSecond: 10_000 });
  const started = performance.now();
  let files = 0;
  let fileBytes = 0;
  for (const truth of pos) {
    const walked = await walkPo(client, truth, dir);
    files += walked.files;
    fileBytes += walked.bytes;
  }
  const stats = client.stats();
  return {
    pos: pos.length,
    requests: stats.requests,
    listingRequests: stats.requests - files,
    jsonBytes: stats.jsonBytes,
    jsonRequests: stats.jsonRequests,
    jsonTimeMs: stats.jsonTimeMs,
    files,
    fileBytes,
    wallMs: performance.now() - started,
  };
}

function row(label: string, plan: RequestPlan, figures: Figures): string {
  const perPo = (n: number) => (n / figures.pos).toFixed(2);
  return `| ${label} | ${plan} | ${String(figures.pos)} | ${perPo(figures.listingRequests)} | ${perPo(figures.requests)} | ${(figures.jsonBytes / figures.pos / 1024).toFixed(1)} KB | ${(figures.jsonTimeMs / figures.jsonRequests).toFixed(2)} ms | ${(figures.wallMs / figures.pos).toFixed(1)} ms |`;
}

const dir = await mkdtemp(join(tmpdir(), 'api-plans-'));
const longLines = Number(values['long-lines']);
const sim = await startSimulator({ pos: Number(values.pos), heavyPages: false, longPos: { '100001': longLines }, api: { rateLimit: null, poNumberForm: values['po-number-form'] === 'digits' ? 'digits' : 'as-shown' } });
try {
  const catalogue = sim.truth.pos.filter((po) => po.id !== '100001');
  const long = sim.truth.pos.filter((po) => po.id === '100001');
  const lines = ['| POs | plan | count | listing requests / PO | all requests / PO (files included) | JSON / PO | time per JSON request | wall time per PO |', '|---|---|---|---|---|---|---|---|'];
  for (const plan of ['full', 'trimmed'] as const) lines.push(row('catalogue', plan, await measure(sim, plan, catalogue, dir)));
  for (const plan of ['full', 'trimmed'] as const) lines.push(row(`${String(longLines)}-line PO`, plan, await measure(sim, plan, long, dir)));
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}
