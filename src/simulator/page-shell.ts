import { BUSY_SCRIPT } from './heavy-filler.ts';
import { escapeHtml } from './html-escape.ts';

export interface PageParts {
  readonly title: string;
  readonly controller: string;
  readonly action: string;
  readonly dataId?: string;
  readonly body: string;
  /** Extra markup at the end of the body (scripts, floating bar). */
  readonly tail?: string;
  /** Markup at the end of the head (e.g. a script tag that never loads). */
  readonly head?: string;
  /** The heavy-page filler, or '' for light pages. */
  readonly filler: string;
}

/**
 * The frame every Coupa page has: the `<html data-controller …>` element and the navigation menu,
 * whose `a[role=menuitem][href="/requisition_headers"]` is a look-alike of the requisition link.
 */
export function renderPage(parts: PageParts): string {
  const dataId = parts.dataId === undefined ? '' : ` data-id="${escapeHtml(parts.dataId)}"`;
  return `<!DOCTYPE html>
<html lang="en" data-controller="${parts.controller}" data-action="${parts.action}"${dataId}>
<head><meta charset="utf-8"><title>${escapeHtml(parts.title)}</title>
<style>body{font-family:sans-serif;margin:0}#main_nav ul{display:flex;gap:12px;list-style:none}#content{padding:16px 24px}
.spinner{display:inline-block;width:12px;height:12px;border:2px solid #999;border-radius:50%}</style>${parts.head ?? ''}</head>
<body>
<header id="main_header"><nav id="main_nav" aria-label="Main menu"><ul role="menu">
<li><a role="menuitem" href="/user/home">Home</a></li>
<li><a role="menuitem" href="/requisition_headers">Requests</a></li>
<li><a role="menuitem" href="/order_headers">Orders</a></li>
<li><a role="menuitem" href="/invoices">Invoices</a></li>
<li><a role="menuitem" href="/suppliers">Suppliers</a></li>
</ul></nav></header>
<main id="content">${parts.body}</main>
<div id="background_activity" hidden></div>
${parts.filler}
${parts.filler === '' ? '' : BUSY_SCRIPT}
${parts.tail ?? ''}
</body></html>`;
}
