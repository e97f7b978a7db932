import { fieldList } from './attachment-markup.ts';
import type { Catalogue, SimPo } from './catalogue-model.ts';
import { commentAttachmentsById } from './comments-app.ts';
import { errorPage, flashErrorPage, httpStatusPage, type PageAnswer } from './error-page.ts';
import type { PageShape } from './fault-plan.ts';
import { homePage } from './home-pages.ts';
import { latePath, listsPath, type PageDelivery } from './late-lists.ts';
import { lineIdOf, lineTableScript, pageCount } from './line-table.ts';
import { newThemePage } from './new-theme-page.ts';
import { commentsRenderedByBundle, listDeliveryOf, listsDelayMs } from './page-style.ts';
import { poCommentsProps, poPage } from './po-page.ts';
import { requisitionPage } from './requisition-page.ts';
import type { ResolvedOptions } from './simulator-options.ts';
import type { SiteAssets } from './site-assets.ts';

export interface SitePagesOptions {
  readonly options: ResolvedOptions;
  readonly catalogue: Catalogue;
  readonly baseUrl: string;
  readonly filler: string;
  readonly assets: SiteAssets;
}

/** What one page request needs besides the page's id. */
export interface PageRequest {
  readonly shape: PageShape;
  /** Markup for the head (hanging-subresource fault). */
  readonly head?: string;
  /** The user's saved lines-per-page preference. */
  readonly perPage: number;
  readonly csrfToken: string;
}

/** The xhrAfterLoad style's answer for one page: its lists as HTML by key, and its comments' attachments. */
export interface ListsAnswer {
  readonly delayMs: number;
  readonly json: string;
}

/** Renders the simulated Coupa's PO and requisition pages, and the XHR answers their scripts ask for. */
export class SitePages {
  readonly #site: SitePagesOptions;

  constructor(site: SitePagesOptions) {
    this.#site = site;
  }

  /** The answer to `/order_headers/<id>`: the PO page, an error page, or what a fault puts there. */
  po(id: string, request: PageRequest): PageAnswer {
    const { catalogue, baseUrl, filler, options, assets } = this.#site;
    const replaced = this.#faultPage(request.shape);
    if (replaced !== undefined) return replaced;
    const po = catalogue.poById.get(id);
    if (po === undefined) return errorPage('notFound', 0, filler, catalogue.pos);
    if (po.page !== 'ok') return errorPage(po.page, po.errorVariant, filler, catalogue.pos);
    if (request.shape.newTheme) return { status: 200, html: newThemePage(po, baseUrl, filler) };
    const html = poPage(po, {
      baseUrl,
      filler,
      decoyRequisitionId: catalogue.decoyRequisitionId,
      ...(request.head === undefined ? {} : { head: request.head }),
      delivery: this.#poDelivery(po),
      bundle: commentsRenderedByBundle(options.pageStyle),
      perPage: request.perPage,
      shape: request.shape,
      assets,
      csrfToken: request.csrfToken,
    });
    return { status: 200, html };
  }

  /** The answer to `/requisition_headers/<id>`. */
  requisition(id: string, request: PageRequest): PageAnswer {
    const { catalogue, baseUrl, filler } = this.#site;
    const replaced = this.#faultPage(request.shape);
    if (replaced !== undefined) return replaced;
    const requisition = catalogue.requisitions.get(id);
    if (requisition === undefined) return errorPage('notFound', 0, filler, catalogue.pos);
    if (requisition.page !== 'ok') return errorPage(requisition.page, requisition.errorVariant, filler, catalogue.pos);
    const html = requisitionPage(requisition, {
      baseUrl,
      filler,
      ...(request.head === undefined ? {} : { head: request.head }),
      delivery: this.#styleDelivery('requisition_headers', id),
      extras: { unknownItem: request.shape.unknownAttachmentItem, spinnerForever: request.shape.spinnerForever },
      csrfToken: request.csrfToken,
    });
    return { status: 200, html };
  }

  /** The xhrAfterLoad answer for a page, or undefined when the page has no late lists of that kind. */
  lists(type: 'order_headers' | 'requisition_headers', id: string, shape: PageShape): ListsAnswer | undefined {
    const { catalogue, baseUrl, options } = this.#site;
    if (listDeliveryOf(options.pageStyle) !== 'xhrAfterLoad') return undefined;
    const delayMs = this.#delayMs(type, id) ?? 0;
    const extras = { unknownItem: shape.unknownAttachmentItem, spinnerForever: shape.spinnerForever };
    if (type === 'requisition_headers') {
      const requisition = catalogue.requisitions.get(id);
      if (requisition?.page !== 'ok') return undefined;
      return { delayMs, json: JSON.stringify({ lists: { header: fieldList(requisition.placements, baseUrl, extras) }, comments: {} }) };
    }
    const po = catalogue.poById.get(id);
    if (po?.page !== 'ok' || po.lateMs !== null) return undefined;
    const lists: Record<string, string> = { header: fieldList(po.placements.filter((p) => p.where === 'header'), baseUrl, extras) };
    for (let line = 1; line <= po.lineCount; line += 1) {
      lists[`line_${lineIdOf(po, line)}`] = fieldList(po.placements.filter((p) => p.where === 'line' && p.slot === line), baseUrl);
    }
    const comments = commentAttachmentsById(poCommentsProps(po, catalogue.decoyRequisitionId, baseUrl));
    return { delayMs, json: JSON.stringify({ lists, comments }) };
  }

  /** The lines table's XHR answer (JavaScript) for one page of lines; undefined for an unknown or error PO. */
  lineTable(poId: string, page: number, perPage: number): string | undefined {
    const { catalogue, baseUrl } = this.#site;
    const po = catalogue.poById.get(poId);
    if (po?.page !== 'ok') return undefined;
    const within = Math.min(Math.max(1, page), pageCount(po.lineCount, perPage));
    // A reloaded table comes with its lists in place, whatever the page style.
    return lineTableScript({ po, page: within, perPage, slot: (_key, line) => ({ content: fieldList(po.placements.filter((p) => p.where === 'line' && p.slot === line), baseUrl) }) });
  }

  /** The delay of a page's late lists in this style (null when they are in the HTML). */
  #delayMs(type: 'order_headers' | 'requisition_headers', id: string): number | null {
    const { options } = this.#site;
    return listsDelayMs(options.seed, options.pageStyle, `/${type}/${id}`, options.listsDelayMs);
  }

  /** The `late` kind keeps its own mechanism in every style; other POs follow the style. */
  #poDelivery(po: SimPo): PageDelivery {
    if (po.lateMs !== null) return { kind: 'lateKind', path: latePath(po.id) };
    return this.#styleDelivery('order_headers', po.id);
  }

  #styleDelivery(type: 'order_headers' | 'requisition_headers', id: string): PageDelivery {
    const delivery = listDeliveryOf(this.#site.options.pageStyle);
    const delayMs = this.#delayMs(type, id) ?? 0;
    switch (delivery) {
      case 'inline':
        return { kind: 'inline' };
      case 'lateScript':
      case 'placeholder':
        return { kind: delivery, delayMs };
      case 'xhrAfterLoad':
        return { kind: 'xhrAfterLoad', path: listsPath(type, id) };
      default: {
        const unknown: never = delivery;
        throw new Error(`Unknown list delivery \`${String(unknown)}\`.`);
      }
    }
  }

  /** Faults that answer a page URL with another page altogether. */
  #faultPage(shape: PageShape): PageAnswer | undefined {
    const { pos } = this.#site.catalogue;
    if (shape.httpStatus !== null) return httpStatusPage(shape.httpStatus);
    if (shape.flashError !== null) return flashErrorPage(shape.flashError.kind, shape.flashError.language ?? 'fr', pos);
    if (shape.notThisPo) return { status: 200, html: homePage(pos) };
    return undefined;
  }
}
