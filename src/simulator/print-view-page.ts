import type { SimPo } from './catalogue-model.ts';
import { escapeHtml } from './html-escape.ts';

/** Where a PO's "Supplier Print View" lives, as the real PO page links it. */
export function printViewPath(poId: string): string {
  return `/order_headers/print_view?id=${poId}&version=1`;
}

/**
 * The printable PO (`/order_headers/print_view?id=<id>&version=1`): the document a supplier gets,
 * on a light page without menus, with print styles of its own. Its text has the PO number and
 * the supplier, which a saved PO PDF is checked for.
 */
export function printViewPage(po: SimPo): string {
  const lines: string[] = [];
  for (let line = 1; line <= po.lineCount; line += 1) {
    lines.push(`<tr><td>${String(line)}</td><td>Item ${String(line)} of order ${po.id}</td><td>${String(line * 2)}</td><td>EA</td></tr>`);
  }
  return `<!DOCTYPE html>
<html lang="en" data-controller="order_headers" data-action="print_view" data-id="${po.id}">
<head><meta charset="utf-8"><title>Purchase Order #PO${po.id}</title>
<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left}
@media print{body{margin:0}.no_print{display:none}}</style></head>
<body>
<div class="no_print"><a href="/order_headers/${po.id}">Back to the order</a></div>
<h1 id="print_header">Purchase Order #PO${po.id}</h1>
<table class="print_details"><tr><th>Supplier</th><td class="supplier_name">${escapeHtml(po.supplier)}</td></tr>
<tr><th>Supplier address</th><td>${escapeHtml(po.supplierTitle)}</td></tr>
<tr><th>Status</th><td>Issued</td></tr><tr><th>Version</th><td>1</td></tr></table>
<h2>Lines</h2>
<table class="print_lines"><thead><tr><th>#</th><th>Description</th><th>Qty</th><th>UOM</th></tr></thead><tbody>${lines.join('')}</tbody></table>
</body></html>`;
}

/** The PO page's print button, as on the real page (in the floating bar). */
export function printLink(poId: string): string {
  return `<div class="page_button"><a class="s-printButton rollover button " href="${escapeHtml(printViewPath(poId))}"><span>Supplier Print View</span></a></div>`;
}
