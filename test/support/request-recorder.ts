import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { PoTruth } from '../../src/simulator/index.ts';

/**
 * Records the path of every HTTP request the servers of this process (the simulator) receive,
 * so a test can tell exactly which POs a run fetched (`requestsFor`: the PO's pages and files).
 * Dispose to stop recording.
 */
export function recordRequests(): { readonly paths: string[]; requestsFor(po: PoTruth): number } & Disposable {
  const paths: string[] = [];
  const onRequest = (message: unknown): void => {
    const { request } = message as { request: IncomingMessage };
    paths.push(new URL(request.url ?? '/', 'http://sim').pathname);
  };
  subscribe('http.server.request.start', onRequest);
  return {
    paths,
    requestsFor: (po) => paths.filter((path) => requestOf(po, path)).length,
    [Symbol.dispose]: () => unsubscribe('http.server.request.start', onRequest),
  };
}

/** Whether `path` is the PO's page, its requisition's page or one of their files. */
function requestOf(po: PoTruth, path: string): boolean {
  if (path === `/order_headers/${po.id}`) return true;
  if (po.requisitionId !== null && path === `/requisition_headers/${po.requisitionId}`) return true;
  return po.attachments.some((attachment) => attachment.kind === 'file' && path.startsWith(`/attachment/attachment_file/file/${attachment.attId}/`));
}
