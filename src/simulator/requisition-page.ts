import { attachmentsField, fieldList, type ListExtras } from './attachment-markup.ts';
import type { SimRequisition } from './catalogue-model.ts';
import { LateLists, type PageDelivery } from './late-lists.ts';
import { flashContainer, renderPage } from './page-shell.ts';

export interface RequisitionPageContext {
  readonly baseUrl: string;
  readonly filler: string;
  readonly head?: string;
  readonly delivery: PageDelivery;
  readonly extras: ListExtras;
  readonly csrfToken: string;
}

/** The requisition page (`/requisition_headers/<id>`): the same frame and attachments field as a PO's header. */
export function requisitionPage(requisition: SimRequisition, context: RequisitionPageContext): string {
  const lists = new LateLists(context.delivery);
  const header = lists.slot('header', fieldList(requisition.placements, context.baseUrl, context.extras));
  const order = requisition.poId === null ? '<span class="show none">None</span>' : `<a href="/order_headers/${requisition.poId}">PO${requisition.poId}</a>`;
  const body = `<h1 id="pageHeader">Requisition #${requisition.id} <span class="status">Ordered</span></h1>
${flashContainer(null)}
<div class="content wide"><div id="requisition_body">
<div id="topForm" class="header_section"><section class="region flexVerticalReviewForm"><div class="header"><h2>General Info</h2></div><div class="content">
<div class="form_element wrapper_vertical"><span class="group_label label_readonly">Purchase Order</span>${order}</div>
${attachmentsField(`attachments_ul_${requisition.id}`, header.content, 'vertical', header.lateKey)}
</div></section></div>
</div></div>`;
  return renderPage({
    title: `Requisition #${requisition.id}`,
    controller: 'requisition_headers',
    action: 'show',
    dataId: requisition.id,
    body,
    filler: context.filler,
    csrfToken: context.csrfToken,
    ...(context.head === undefined ? {} : { head: context.head }),
    tail: lists.tail(),
  });
}
