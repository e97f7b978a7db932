import type { BrowserContext } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { isConnectProblem, networkProblem, problemInWords, type NetworkProblem } from '../net/network-problem.ts';
import { downloadThroughBrowser, type BrowserDownloadOptions } from './browser-download.ts';
import type { DownloadRoute } from './download-route.ts';
import { downloadLinkedFile, type SavedLink } from './link-download.ts';

/**
 * One attempt at a linked file, the way this run's route says (download-route.ts). From Node, a
 * failure to connect at all (name, refused, certificate, proxy, connect time-out) is tried once
 * more through the browser: if the browser gets an answer, the problem is Node's alone and the
 * whole run's downloads move to the browser; if the browser cannot connect either, it is the
 * network's, and Node's error goes to the retries as before.
 */
export async function fetchLinkedFile(context: BrowserContext, route: DownloadRoute, url: string, label: string, tempPath: string, options: BrowserDownloadOptions): Promise<SavedLink> {
  if (route.via === 'browser') return downloadThroughBrowser(context, url, label, tempPath, options);
  try {
    return await downloadLinkedFile(context, url, label, tempPath, { ...options, fetch: route.fetch });
  } catch (error) {
    const problem = connectProblem(error);
    if (problem === null || options.signal.aborted) throw error;
    let saved: SavedLink;
    try {
      saved = await downloadThroughBrowser(context, url, label, tempPath, options);
    } catch (browserError) {
      // The browser could not connect either: nothing to learn, the network is down for both.
      if (browserError instanceof CoupaDlError && (browserError.code === 'CONNECTION_RESET' || browserError.code === 'NAVIGATION_TIMEOUT')) throw error;
      route.switchToBrowser(switchReason(url, problem));
      throw browserError;
    }
    route.switchToBrowser(switchReason(url, problem));
    return saved;
  }
}

function connectProblem(error: unknown): NetworkProblem | null {
  if (!(error instanceof CoupaDlError) || error.code !== 'CONNECTION_RESET') return null;
  const problem = networkProblem(error.cause);
  return problem !== null && isConnectProblem(problem) ? problem : null;
}

function switchReason(url: string, problem: NetworkProblem): string {
  const host = new URL(url).host;
  return `Downloads from Node failed (${problemInWords(problem, host)}) where the browser got through: the rest of this run downloads its files through the browser (slower, no progress per file). ` +
    'To download from Node again, set --proxy (or HTTPS_PROXY) to your company proxy, or install its certificate in the system store.';
}
