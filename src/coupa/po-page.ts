import type { Page } from 'playwright-core';

/**
 * What the PO page says about the PO beyond its attachments: the supplier and the PO's own
 * requisition. The requisition link is `a#order_header_requisition_header`, never the menu's
 * link to the requisition list nor a requisition mentioned in a comment.
 */

export interface PoPageFacts {
  /** `''` when the page shows none. */
  readonly supplier: string;
  /** Absolute URL of the PO's requisition page; `null` when the PO has none. */
  readonly requisitionUrl: string | null;
}

export const SUPPLIER_SELECTOR = 'span.supplier-name';
export const REQUISITION_LINK_SELECTOR = 'a#order_header_requisition_header';

export async function readPoPage(page: Page): Promise<PoPageFacts> {
  return page.evaluate(
    ({ supplierSelector, requisitionSelector }) => {
      const supplier = document.querySelector(supplierSelector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const link = document.querySelector<HTMLAnchorElement>(requisitionSelector);
      const href = link?.getAttribute('href') ?? '';
      // Only a link to one requisition (`/requisition_headers/<id>`) is the PO's requisition.
      const requisitionUrl = /\/requisition_headers\/[^/?#]+/.test(href) && link !== null ? link.href : null;
      return { supplier, requisitionUrl };
    },
    { supplierSelector: SUPPLIER_SELECTOR, requisitionSelector: REQUISITION_LINK_SELECTOR },
  );
}
