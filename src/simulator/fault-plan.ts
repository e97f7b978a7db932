import type { ErrorPageKind, FlashLanguage } from './error-page.ts';
import { unitFor } from './seeded-random.ts';

/** A localized error in the flash container of an ordinary page (fault `flashError`). */
export interface FlashErrorFault {
  kind: ErrorPageKind;
  /** Default 'fr' (typographic apostrophes). */
  language?: FlashLanguage;
}

/** Faults for one PO (its page, its requisition page and each of its files) or one attachment. */
export interface ResourceFaults {
  /**
   * Which of the PO's resources `byPo` faults hit; default 'all'. 'poPage' and 'requisitionPage'
   * narrow it to one of its two pages. Ignored in `byAttachment`.
   */
  scope?: 'all' | 'pages' | 'files' | 'poPage' | 'requisitionPage';
  pageLatencyMs?: number;
  fileLatencyMs?: number;
  bandwidthBytesPerSec?: number;
  /** Answer 429 (with Retry-After) to the first N requests of each resource. */
  tooManyRequestsTimes?: number;
  retryAfterSeconds?: number;
  /** Then answer 503 to the next N requests. */
  serverErrorTimes?: number;
  /** Files: then destroy the socket after half the bytes, N times. */
  resetMidFileTimes?: number;
  /** Files: then send fewer bytes than Content-Length and end, N times. */
  truncateTimes?: number;
  /** Files: then send half the bytes and nothing more, keeping the connection open, N times. */
  stallMidFileTimes?: number;
  /** Pages: send the headers and part of the head, then nothing more, ever. */
  neverFinishes?: boolean;
  /** Pages: complete HTML, but an async script never answers, so `load` never fires. */
  hangingSubresource?: boolean;
  /**
   * Pages: all the content, then a classic script at the end of the body that never answers: the
   * page never finishes parsing, so `DOMContentLoaded` never comes.
   */
  blockingScript?: boolean;
  /**
   * PO pages: everything up to the comments (header and line attachments shown), then nothing
   * more, ever: a server that stops mid-page. A tool that reads it takes half the list for all.
   */
  stallsMidBody?: boolean;
  /**
   * Files: answer HTTP 200 `text/html` holding an auto-submitting SAML form (an expired SSO session
   * as it looks on a file URL), N times (after the counted faults above).
   */
  htmlBounceTimes?: number;
  /** PO pages: the comments app never renders; the mount stays empty. */
  commentsAppFails?: boolean;
  /** PO pages: the nav's comment count and "View Attachments (n)" show more than the app renders. */
  countsMore?: boolean;
  /** Pages: the header list holds an extra `li.attachment` of an unknown kind, with no file link. */
  unknownAttachmentItem?: boolean;
  /** Pages: a visible spinner stays inside the header attachments field for good. */
  spinnerForever?: boolean;
  /** PO pages: the page names the PO but shows its attachments in an unknown markup, with no `div.attachments` field. */
  newTheme?: boolean;
  /** Pages: HTTP 200 with a fully loaded page that is not this PO (the home dashboard). */
  notThisPo?: boolean;
  /** Pages: this HTTP status with a Coupa-styled error page. */
  httpStatus?: 404 | 410 | 403;
  /** Pages: an ordinary page whose flash container shows a localized not-found or not-authorized error. */
  flashError?: FlashErrorFault;
}

/** How a page request's answer is shaped by the faults above (all off when no fault applies). */
export interface PageShape {
  readonly commentsAppFails: boolean;
  readonly countsMore: boolean;
  readonly unknownAttachmentItem: boolean;
  readonly spinnerForever: boolean;
  readonly newTheme: boolean;
  readonly notThisPo: boolean;
  readonly httpStatus: 404 | 410 | 403 | null;
  readonly flashError: FlashErrorFault | null;
}

/** Probabilities per request, rolled from (seed, resource, attempt): the same run gets the same faults. */
export interface FaultRates {
  tooManyRequests?: number;
  serverError?: number;
  resetMidFile?: number;
  truncate?: number;
  neverFinishes?: number;
  hangingSubresource?: number;
  blockingScript?: number;
  stallsMidBody?: number;
}

export interface FaultPlan {
  byPo?: Record<string, ResourceFaults>;
  /** Keyed by attachment id: faults for that one file. */
  byAttachment?: Record<string, ResourceFaults>;
  rates?: FaultRates;
  /** Retry-After for rate-drawn 429s (default 1). */
  retryAfterSeconds?: number;
}

export type ResourceKind = 'page' | 'file';

/** What to do with one request. `none` still carries the latency and bandwidth to apply. */
export type FaultDecision =
  | { type: 'tooManyRequests'; retryAfterSeconds: number }
  | { type: 'serverError' }
  | { type: 'resetMidFile' }
  | { type: 'truncate' }
  | { type: 'stallMidFile' }
  | { type: 'neverFinishes' }
  | { type: 'hangingSubresource' }
  | { type: 'blockingScript' }
  | { type: 'stallsMidBody' }
  | { type: 'htmlBounce' }
  | { type: 'none' };

export interface RequestFaults {
  readonly decision: FaultDecision;
  readonly latencyMs: number;
  readonly bandwidthBytesPerSec: number | null;
  /** Page requests only: what the page looks like. */
  readonly shape?: PageShape;
}

export interface FaultRequest {
  readonly resource: ResourceKind;
  /** A stable name, e.g. `page:/order_headers/100042` or `file:900123`. */
  readonly key: string;
  /** 1 for the first request of this resource since the plan was set. */
  readonly attempt: number;
  readonly poId: string | null;
  readonly attId: string | null;
  /** Page requests: which of the PO's two pages; null for files. */
  readonly page?: 'po' | 'requisition' | null;
}

/**
 * Pure: what happens to a request, given the plan. Counted faults come in a fixed order on
 * successive attempts (429s, then 5xx, then resets, then truncations, then stalls, then HTML bounces); then the rates roll.
 */
export function decideFaults(plan: FaultPlan, seed: number, request: FaultRequest): RequestFaults {
  const faults = faultsFor(plan, request);
  const latencyMs = (request.resource === 'page' ? faults.pageLatencyMs : faults.fileLatencyMs) ?? 0;
  const bandwidthBytesPerSec = request.resource === 'file' ? (faults.bandwidthBytesPerSec ?? null) : null;
  const decided = { decision: decide(plan, faults, seed, request), latencyMs, bandwidthBytesPerSec };
  return request.resource === 'page' ? { ...decided, shape: shapeOf(faults, request.page ?? 'po') } : decided;
}

export const NO_SHAPE: PageShape = {
  commentsAppFails: false,
  countsMore: false,
  unknownAttachmentItem: false,
  spinnerForever: false,
  newTheme: false,
  notThisPo: false,
  httpStatus: null,
  flashError: null,
};

/** A page's shape under the plan, without counting an attempt (for the XHRs a page's script sends). */
export function pageShapeFor(plan: FaultPlan, poId: string | null, page: 'po' | 'requisition'): PageShape {
  return shapeOf(faultsFor(plan, { resource: 'page', key: '', attempt: 0, poId, attId: null, page }), page);
}

function shapeOf(faults: ResourceFaults, page: 'po' | 'requisition'): PageShape {
  const onPo = page === 'po';
  return {
    // A requisition page has no comments app and keeps the theme of the site.
    commentsAppFails: onPo && faults.commentsAppFails === true,
    countsMore: onPo && faults.countsMore === true,
    newTheme: onPo && faults.newTheme === true,
    unknownAttachmentItem: faults.unknownAttachmentItem === true,
    spinnerForever: faults.spinnerForever === true,
    notThisPo: faults.notThisPo === true,
    httpStatus: faults.httpStatus ?? null,
    flashError: faults.flashError ?? null,
  };
}

function decide(plan: FaultPlan, faults: ResourceFaults, seed: number, request: FaultRequest): FaultDecision {
  const retryAfterSeconds = faults.retryAfterSeconds ?? plan.retryAfterSeconds ?? 1;
  const isFile = request.resource === 'file';
  const counted: [number, FaultDecision][] = [
    [faults.tooManyRequestsTimes ?? 0, { type: 'tooManyRequests', retryAfterSeconds }],
    [faults.serverErrorTimes ?? 0, { type: 'serverError' }],
    [isFile ? (faults.resetMidFileTimes ?? 0) : 0, { type: 'resetMidFile' }],
    [isFile ? (faults.truncateTimes ?? 0) : 0, { type: 'truncate' }],
    [isFile ? (faults.stallMidFileTimes ?? 0) : 0, { type: 'stallMidFile' }],
    [isFile ? (faults.htmlBounceTimes ?? 0) : 0, { type: 'htmlBounce' }],
  ];
  let upTo = 0;
  for (const [times, decision] of counted) {
    upTo += times;
    if (request.attempt <= upTo) return decision;
  }
  if (!isFile && faults.neverFinishes === true) return { type: 'neverFinishes' };
  if (!isFile && faults.hangingSubresource === true) return { type: 'hangingSubresource' };
  if (!isFile && faults.blockingScript === true) return { type: 'blockingScript' };
  if (!isFile && faults.stallsMidBody === true) return { type: 'stallsMidBody' };

  const rates = plan.rates ?? {};
  const rolled: [number | undefined, FaultDecision, boolean][] = [
    [rates.tooManyRequests, { type: 'tooManyRequests', retryAfterSeconds: plan.retryAfterSeconds ?? 1 }, true],
    [rates.serverError, { type: 'serverError' }, true],
    [rates.resetMidFile, { type: 'resetMidFile' }, isFile],
    [rates.truncate, { type: 'truncate' }, isFile],
    [rates.neverFinishes, { type: 'neverFinishes' }, !isFile],
    [rates.hangingSubresource, { type: 'hangingSubresource' }, !isFile],
    [rates.blockingScript, { type: 'blockingScript' }, !isFile],
    [rates.stallsMidBody, { type: 'stallsMidBody' }, !isFile],
  ];
  for (const [rate, decision, applies] of rolled) {
    if (applies && rate !== undefined && rate > 0 && unitFor(seed, 'fault', decision.type, request.key, request.attempt) < rate) return decision;
  }
  return { type: 'none' };
}

function faultsFor(plan: FaultPlan, request: FaultRequest): ResourceFaults {
  const byAttachment = request.attId === null ? undefined : plan.byAttachment?.[request.attId];
  if (byAttachment !== undefined) return byAttachment;
  const byPo = request.poId === null ? undefined : plan.byPo?.[request.poId];
  if (byPo === undefined) return {};
  switch (byPo.scope ?? 'all') {
    case 'all':
      return byPo;
    case 'pages':
      return request.resource === 'page' ? byPo : {};
    case 'files':
      return request.resource === 'file' ? byPo : {};
    case 'poPage':
      return request.resource === 'page' && (request.page ?? 'po') === 'po' ? byPo : {};
    case 'requisitionPage':
      return request.resource === 'page' && request.page === 'requisition' ? byPo : {};
    default:
      return {};
  }
}

/** Counts requests per resource, so "the first N times" means the same thing for every resource. */
export class AttemptCounter {
  readonly #counts = new Map<string, number>();

  next(key: string): number {
    const attempt = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, attempt);
    return attempt;
  }

  reset(): void {
    this.#counts.clear();
  }
}
