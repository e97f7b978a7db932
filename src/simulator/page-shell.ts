import { BUSY_SCRIPT } from './heavy-filler.ts';
import { escapeHtml } from './html-escape.ts';

export interface PageParts {
  readonly title: string;
  readonly controller: string;
  readonly action: string;
  readonly dataId?: string;
  /** The page's own content, inside `#pageContentWrapper`. */
  readonly body: string;
  /** Extra markup at the end of the body, after the filler (scripts, bundles). */
  readonly tail?: string;
  /** Markup at the end of the head (e.g. a script tag that never loads). */
  readonly head?: string;
  /** The heavy-page filler, or '' for light pages. */
  readonly filler: string;
  /** Rails' CSRF token, which the page's XHRs send back. */
  readonly csrfToken?: string;
  readonly lang?: string;
}

const STYLE = `<style>body{font-family:sans-serif;margin:0}.navbar-nav{display:flex;gap:12px;list-style:none}#pageContentWrapper{padding:16px 24px}
.spinner{display:inline-block;width:12px;height:12px;border:2px solid #999;border-radius:50%}.hidden{display:none}</style>`;

/**
 * The frame every Coupa page has, shaped on a saved real page: the global header, the main menu
 * (whose `a[role=menuitem][href="/requisition_headers"]` is a look-alike of the requisition link),
 * the page container, the footer, then the filler and the scripts the page loads last.
 */
export function renderPage(parts: PageParts): string {
  const dataId = parts.dataId === undefined ? '' : ` data-id="${escapeHtml(parts.dataId)}"`;
  const csrf = parts.csrfToken === undefined ? '' : `<meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="${escapeHtml(parts.csrfToken)}">`;
  return `<!DOCTYPE html>
<html lang="${parts.lang ?? 'en'}" data-controller="${parts.controller}" data-action="${parts.action}"${dataId}>
<head><meta charset="utf-8"><title>${escapeHtml(parts.title)}</title>${csrf}
${STYLE}${parts.head ?? ''}</head>
<body data-env="production">
<div class="wrapper ${parts.controller}_${parts.action}_page s-pageContent">
<header id="main_header"><div id="globalHeader" role="navigation" aria-label="Primary Menu"><a href="/user/home" id="logo_link" aria-label="Coupa">Coupa</a>
<button class="popover__trigger s-popoverTrigger" type="button" aria-haspopup="true" aria-expanded="false" aria-label="Notifications"></button></div></header>
<nav aria-label="Main Menu" class="primary s-primaryNavBar" role="navigation"><ul aria-label="Main Menu" class="navbar-nav" role="menubar">
<li class="nav-item" role="none"><a id="home" role="menuitem" href="/user/home">Home</a></li>
<li class="nav-item" role="none"><a role="menuitem" href="/requisition_headers">Requests</a></li>
<li class="nav-item" role="none"><a role="menuitem" href="/order_headers">Orders</a></li>
<li class="nav-item" role="none"><a role="menuitem" href="/receipts/history">Receipts</a></li>
<li class="nav-item" role="none"><a role="menuitem" href="/invoices">Invoices</a></li>
</ul></nav>
<div class="outer_wrapper"><div id="page-container" role="main"><div id="pageContentWrapper">
${parts.body}
</div></div></div>
</div>
<footer class="primary_brdr"><span>Powered by Coupa</span></footer>
<div id="background_activity" hidden></div>
${parts.filler}
${parts.filler === '' ? '' : BUSY_SCRIPT}
${parts.tail ?? ''}
<div class="reactModal__portal s-reactModalPortal"></div>
</body></html>`;
}

export type FlashKind = 'notice' | 'error';

/** `div#flash_container`: hidden when empty; error flashes sit in `.esErrorFlashMessages`. */
export function flashContainer(message: { kind: FlashKind; text: string } | null): string {
  if (message === null) return '<div class="sticky" id="flash_container" style="display:none;"></div>';
  const inner =
    message.kind === 'notice'
      ? `<div class="notice">${escapeHtml(message.text)}</div>`
      : `<div class="esErrorFlashMessages" role="alert"><div class="flash_message error"><span class="message">${escapeHtml(message.text)}</span></div></div>`;
  return `<div class="sticky" id="flash_container">${inner}</div>`;
}
