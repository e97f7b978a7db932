import { ApiCredentials } from '../src/coupa-api/api-credentials.ts';
import type { ApiAttachment } from '../src/coupa-api/api-attachment.ts';
import { CoupaApiClient } from '../src/coupa-api/coupa-api-client.ts';
import type { RequestPlan } from '../src/coupa-api/po-resolver.ts';
import type { PoTruth, Simulator } from '../src/simulator/index.ts';
import { join } from 'node:path';

/**
 * A PO walked through Coupa's REST API the way the adapter walks it (lookup, the header's,
 * lines' and comments' attachments, the requisition's when the PO has no PDF, every file once),
 * with the client alone and one PO at a time: requests and bytes per PO for a request plan —
 * `full` is the naive walk (full records, a request per line and per comment), `trimmed` the
 * adapter's (`fields=`).
 */

const never = new AbortController().signal;

export interface WalkFigures {
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

/** Walks `pos` one after the other with a client of `plan`, unpaced (the simulator's limit should be off). */
export async function measureWalk(sim: Simulator, plan: RequestPlan, pos: readonly PoTruth[], dir: string): Promise<WalkFigures> {
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
