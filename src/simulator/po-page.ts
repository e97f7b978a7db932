import { clickDownloadScript, commentAttachments, fieldAttachments } from './attachment-markup.ts';
import type { Placement, SimPo } from './catalogue-model.ts';
import { escapeHtml } from './html-escape.ts';
import { renderPage } from './page-shell.ts';
import { printLink } from './print-view-page.ts';

export interface PoPageContext {
  readonly baseUrl: string;
  readonly filler: string;
  readonly decoyRequisitionId: string;
  /** Markup for the head, e.g. a script that never loads (hanging-subresource fault). */
  readonly head?: string;
}

const ITEMS = ['Laptop docking station', 'Office chairs (ergonomic)', 'Consulting services, March', 'Safety gloves, size L', 'Printer toner, black', 'Annual software licence'];

/** The PO page (`/order_headers/<id>`) for a PO whose page is not an error page. */
export function poPage(po: SimPo, context: PoPageContext): string {
  const { baseUrl } = context;
  // Late POs show a spinner where the list goes; script swaps in the list from an inert template.
  const templates: string[] = [];
  const field = (key: string, placements: readonly Placement[]): string => {
    const list = fieldAttachments(placements, baseUrl);
    if (po.lateMs === null) return `<div class="attachments">${list}</div>`;
    templates.push(`<template data-late-source="${key}">${list}</template>`);
    return `<div class="attachments" data-late-target="${key}"><span class="spinner" aria-busy="true" title="Loading"></span></div>`;
  };
  const at = (where: Placement['where'], slot: number) => po.placements.filter((p) => p.where === where && p.slot === slot);

  const lines: string[] = [];
  for (let line = 1; line <= po.lineCount; line += 1) {
    lines.push(
      `<tr class="order_line" id="order_line_${String(line)}"><td class="line_num">${String(line)}</td>` +
        `<td class="line_description">${escapeHtml(ITEMS[(Number(po.id) + line) % ITEMS.length] ?? '')}</td>` +
        `<td class="line_quantity">${String(line * 2)}</td><td class="line_attachments">${field(`line_${String(line)}`, at('line', line))}</td></tr>`,
    );
  }
  const commentSlots = [...new Set(po.placements.filter((p) => p.where === 'comment').map((p) => p.slot))].sort((a, b) => a - b);
  const comments = commentSlots.map(
    (slot) =>
      `<li class="comment" id="comment_${String(slot)}"><div class="comment_author">Supplier Contact</div>` +
        `<div class="comment_body">Please find the documents attached (${String(slot)}).</div>${commentAttachments(at('comment', slot), baseUrl)}</li>`,
  );
  // The trap: a comment that links some other requisition.
  comments.push(
    `<li class="comment" id="comment_trap"><div class="comment_author">Buyer</div><div class="comment_body">Replaces an earlier request, see ` +
      `<a href="/requisition_headers/${context.decoyRequisitionId}">requisition ${context.decoyRequisitionId}</a>.</div></li>`,
  );

  const requisition =
    po.requisitionId === null
      ? ''
      : `<div class="field"><span class="group_label">Requisition</span> <a id="order_header_requisition_header" href="/requisition_headers/${po.requisitionId}" aria-label="Requisition number ${po.requisitionId}">${po.requisitionId}</a></div>`;
  const body = `${po.notice ? '<div class="notice">Your changes were saved</div>' : ''}
<div id="order_body" class="order_header_show">
<h1 id="pageHeader">Purchase Order #PO${po.id} <span class="status">Issued</span></h1>
<section id="supplier" class="section"><h2>Supplier</h2><div class="supplier_name_wrapper"><span class="supplier-name" title="${escapeHtml(po.supplierTitle)}">${escapeHtml(po.supplier)}</span></div></section>
<section id="general" class="section">${requisition}
<div class="field"><span class="group_label">Attachments</span> ${field('header', at('header', 0))}</div></section>
<section id="lines" class="section"><h2>Lines</h2><table class="order_lines"><thead><tr><th>#</th><th>Item</th><th>Qty</th><th>Attachments</th></tr></thead><tbody>${lines.join('')}</tbody></table></section>
<section id="comments" class="section"><h2>Comments</h2><ul class="comments_list">${comments.join('')}</ul></section>
</div>`;

  // The lists arrive the way Coupa's lazy parts do: the page asks the server for them once parsed,
  // and the server answers after `lateMs` (so that wait is the server's time, not the tool's).
  const lateScript =
    po.lateMs === null
      ? ''
      : `<script>document.addEventListener('DOMContentLoaded',function(){fetch('${latePath(po.id)}',{credentials:'same-origin'}).then(function(r){if(!r.ok||r.redirected)return;
document.querySelectorAll('template[data-late-source]').forEach(function(t){
var target=document.querySelector('[data-late-target="'+t.getAttribute('data-late-source')+'"]');if(target){target.innerHTML=t.innerHTML;target.removeAttribute('data-late-target');}t.remove();});});});</script>`;
  // Old themes stretch the floating bar over the page, so plain clicks on attachments land on the bar.
  const barStyle = po.theme === 'old' ? 'position:fixed;inset:0;z-index:1000;background:rgba(255,255,255,0.01)' : 'position:fixed;right:0;bottom:0;z-index:1000;padding:8px;background:#eee';
  const bar = `<div class="page_buttons_right orderHeaderShowFloatingSection" style="${barStyle}"><button type="button" class="button">Edit</button>${printLink(po.id)}<button type="button" class="button">Close order</button></div>`;
  return renderPage({
    title: `Purchase Order #PO${po.id}`,
    controller: 'order_headers',
    action: 'show',
    dataId: po.id,
    body,
    filler: context.filler,
    ...(context.head === undefined ? {} : { head: context.head }),
    tail: `${templates.join('')}${bar}${lateScript}${clickDownloadScript(po.placements, baseUrl)}`,
  });
}

/** What a late PO's page script fetches before it shows its lists; answered after the PO's `lateMs`. */
export function latePath(poId: string): string {
  return `/order_headers/${poId}/late_attachments`;
}

/** Matches `latePath`; group 1 is the PO id. */
export const LATE_PATH_ROUTE = /^\/order_headers\/(\d+)\/late_attachments$/;
