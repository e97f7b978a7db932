import { fieldAttachments } from './attachment-markup.ts';
import type { SimRequisition } from './catalogue-model.ts';
import { renderPage } from './page-shell.ts';

/** The requisition page (`/requisition_headers/<id>`): same attachment markup as a PO's header. */
export function requisitionPage(requisition: SimRequisition, baseUrl: string, filler: string, head?: string): string {
  const order = requisition.poId === null ? 'none' : `<a href="/order_headers/${requisition.poId}">PO${requisition.poId}</a>`;
  const body = `<div id="requisition_body">
<h1 id="pageHeader">Requisition #${requisition.id}</h1>
<section id="general" class="section"><div class="field"><span class="group_label">Purchase order</span> ${order}</div>
<div class="field"><span class="group_label">Attachments</span> <div class="attachments">${fieldAttachments(requisition.placements, baseUrl)}</div></div></section>
</div>`;
  return renderPage({
    title: `Requisition #${requisition.id}`,
    controller: 'requisition_headers',
    action: 'show',
    dataId: requisition.id,
    body,
    filler,
    ...(head === undefined ? {} : { head }),
  });
}
