import { attachmentsField, clickDownloadScript, fieldList } from './attachment-markup.ts';
import type { SimPo } from './catalogue-model.ts';
import { commentsProps, propsIsland, renderCommentsApp, type CommentsAppProps } from './comments-app.ts';
import type { PageShape } from './fault-plan.ts';
import { escapeHtml } from './html-escape.ts';
import { LateLists, type PageDelivery } from './late-lists.ts';
import { REMOTE_LINKS_SCRIPT, lineTableSection, type LineTableView } from './line-table.ts';
import { flashContainer, renderPage } from './page-shell.ts';
import { commentsOf } from './po-comments.ts';
import { printLink } from './print-view-page.ts';
import type { SiteAssets } from './site-assets.ts';

export interface PoPageContext {
  readonly baseUrl: string;
  readonly filler: string;
  readonly decoyRequisitionId: string;
  /** Markup for the head, e.g. a script that never loads (hanging-subresource fault). */
  readonly head?: string;
  readonly delivery: PageDelivery;
  /** The comments app is rendered in the browser by the bundle (false: already in the HTML). */
  readonly bundle: boolean;
  /** The user's saved "Per page" preference for the lines table. */
  readonly perPage: number;
  readonly shape: PageShape;
  readonly assets: SiteAssets;
  readonly csrfToken: string;
}

/** Faults `countsMore` adds this to the comment count and to "View Attachments (n)". */
export const COUNTS_EXTRA = 2;

/** The PO page (`/order_headers/<id>`) for a PO whose page is not an error page, shaped on a saved real page. */
export function poPage(po: SimPo, context: PoPageContext): string {
  const { baseUrl, shape } = context;
  const lists = new LateLists(context.delivery);
  const at = (where: 'header' | 'line', slot: number) => po.placements.filter((p) => p.where === where && p.slot === slot);
  const header = lists.slot('header', fieldList(at('header', 0), baseUrl, { unknownItem: shape.unknownAttachmentItem, spinnerForever: shape.spinnerForever }));
  const lines: LineTableView = { po, page: 1, perPage: context.perPage, slot: (key, line) => lists.slot(key, fieldList(at('line', line), baseUrl)) };
  const comments = commentsOf(po, context.decoyRequisitionId);
  const props = commentsProps(comments, {
    baseUrl,
    countsExtra: shape.countsMore ? COUNTS_EXTRA : 0,
    attachmentsByXhr: context.delivery.kind === 'xhrAfterLoad',
    placeholderMs: context.delivery.kind === 'placeholder' ? context.delivery.delayMs : null,
    broken: shape.commentsAppFails,
  });

  const requisition =
    po.requisitionId === null
      ? ''
      : `<div class="form_element wrapper_vertical"><span class="group_label label_readonly">Requisition #</span>` +
        `<a id="order_header_requisition_header" href="/requisition_headers/${po.requisitionId}" aria-label="Requisition number ${po.requisitionId}">${po.requisitionId}</a></div>`;
  const field = (label: string, value: string) => `<div class="form_element wrapper_vertical"><span class="group_label label_readonly">${label}</span><span class="data">${value}</span></div>`;
  // Old themes stretch the floating bar over the page, so plain clicks on attachments land on the bar.
  const barStyle = po.theme === 'old' ? 'position:fixed;inset:0;z-index:1000;background:rgba(255,255,255,0.01)' : 'position:fixed;right:0;bottom:0;z-index:1000;padding:8px;background:#eee';
  const body = `<h1 id="pageHeader">Purchase Order #PO${po.id} <span class="status">Issued</span></h1>
<div class="comment_number_wrapper"></div><br class="clear">
<nav class="sticky" id="page_sections"><ul><li><a class="selected" href="#topForm">General Info</a></li><li><a href="#po_lines">Lines</a></li>
<li><a href="#comments" title="">Comments <span class="comments_count"> (${String(props.count)})</span></a></li><li><a href="#history_header">History</a></li></ul></nav>
<br class="clear">
${flashContainer(po.notice ? { kind: 'notice', text: 'Your changes were saved' } : null)}
<div class="content wide"><div id="order_body">
<div id="topForm" class="header_section"><section class="region flexVerticalReviewForm"><div class="header"><h2>General Info</h2></div><div class="content">
<div class="form_element wrapper_vertical"><span class="group_label label_readonly">Status</span><span class="data s-readable_status" id="order_header_readable_status">Issued - Sent via Email</span></div>
${field('Order Date', '03/01/25')}${requisition}${field('Payment Terms', 'Net 30')}
${attachmentsField(`attachments_ul_${po.id}`, header.content, 'vertical', header.lateKey)}
</div></section></div>
<div class="right_side_details"><section id="supplier" class="right_header region flexVerticalReviewForm"><div class="header"><h2>Supplier</h2></div><div class="content">
<div class="fieldWithErrors"><div class="form_element supplier_name_wrapper wrapper_vertical"><span class="group_label label_readonly">Name</span><span title="${escapeHtml(po.supplierTitle)}" class="supplier-name s-coupaSimpleTooltip">${escapeHtml(po.supplier)}</span></div></div>
</div></section></div>
<br class="clear">
${lineTableSection(lines)}
<div class="bottomRow"><div class="totalRow"><span class="total_container">Total <span class="quantity">${String(po.lineCount * 120)}.00 EUR</span></span></div></div>
<div class="page_buttons_right orderHeaderShowFloatingSection" id="order_header_show_buttons" style="${barStyle}">${printLink(po.id)}
<div class="page_button"><button type="button" class="button">Edit</button></div><div class="page_button"><button type="button" class="button">Close order</button></div></div>
<br class="clear">
${commentsSection(props, context)}
${historySection('history_header', 'History', context)}${historySection('integration_history_header', 'Integration History', context)}
</div></div>
<div class="hidden" id="procurement_submission_modal"><div class="submissionModalContent">Submitting for approval, please wait.</div><img class="loading-spinner" alt="" src="${context.assets.loading.path}"></div>`;

  const bundle = context.bundle ? `<script src="${context.assets.commentsBundle.path}"></script>` : '';
  return renderPage({
    title: `Purchase Order #PO${po.id}`,
    controller: 'order_headers',
    action: 'show',
    dataId: po.id,
    body,
    filler: context.filler,
    csrfToken: context.csrfToken,
    ...(context.head === undefined ? {} : { head: context.head }),
    tail: `${lists.tail()}${REMOTE_LINKS_SCRIPT}${clickDownloadScript(po.placements, baseUrl)}${bundle}`,
  });
}

/** The comments app's props for a PO, as its page embeds them (the xhrAfterLoad answer reads them too). */
export function poCommentsProps(po: SimPo, decoyRequisitionId: string, baseUrl: string): CommentsAppProps {
  return commentsProps(commentsOf(po, decoyRequisitionId), { baseUrl, countsExtra: 0, attachmentsByXhr: false, placeholderMs: null, broken: false });
}

/**
 * `section#comments`, inside `#order_body`: the comments script, then the mount. The bundle, loaded
 * at the end of the body, renders the app into the mount from the props island; the server style
 * sends the app already rendered. A broken app leaves the mount empty.
 */
function commentsSection(props: CommentsAppProps, context: PoPageContext): string {
  const script = `<script src="${context.assets.commentsSection.path}"></script>`;
  if (context.bundle) return `<section id="comments">${script}<div id="s-mountCommentsApp"></div>${propsIsland(props)}</section>`;
  return `<section id="comments">${script}<div id="s-mountCommentsApp">${props.broken ? '' : renderCommentsApp(props)}</div></section>`;
}

/** A collapsed history section: its spinner is hidden until someone expands it (the real page keeps these for good). */
function historySection(id: string, title: string, context: PoPageContext): string {
  return (
    `<div class="expandable-section s-expandable-section clear_both" id="${id}"><div class="innerbox header"><h2>${title}</h2>` +
    `<div aria-expanded="false" aria-label="Show History" class="icon_button expandable-arrow s-expandableArrow collapsed" role="button" tabindex="0"></div></div>` +
    `<div class="expandable-content s-history_content" style="display:none"><img class="spinner" src="${context.assets.spinner.path}" alt=""></div></div>`
  );
}
