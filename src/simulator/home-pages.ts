import type { SimPo } from './catalogue-model.ts';
import type { FlashLanguage } from './error-page.ts';
import { escapeHtml } from './html-escape.ts';
import { flashContainer, renderPage } from './page-shell.ts';

const HOME_WORDS: Record<FlashLanguage, { title: string; heading: string; recent: string }> = {
  en: { title: 'Home | Coupa', heading: 'Welcome back', recent: 'Recent orders' },
  de: { title: 'Startseite | Coupa', heading: 'Willkommen zurück', recent: 'Letzte Bestellungen' },
  fr: { title: 'Accueil | Coupa', heading: 'Bon retour', recent: 'Commandes récentes' },
  pt: { title: 'Início | Coupa', heading: 'Bem-vindo de volta', recent: 'Pedidos recentes' },
};

export interface HomePageOptions {
  readonly language?: FlashLanguage;
  /** An error flash shown in `#flash_container` (the home page a failed lookup lands on). */
  readonly flash?: string;
}

/** `/` and `/user/home`: what a signed-in user lands on. */
export function homePage(pos: readonly SimPo[], options: HomePageOptions = {}): string {
  const language = options.language ?? 'en';
  const words = HOME_WORDS[language];
  const recent = pos.slice(0, 10).map((po) => `<li><a href="/order_headers/${po.id}">${escapeHtml(po.poNumber)}</a></li>`);
  return renderPage({
    title: words.title,
    controller: 'user',
    action: 'home',
    lang: language,
    body:
      `<h1 id="pageHeader">${words.heading}</h1>${flashContainer(options.flash === undefined ? null : { kind: 'error', text: options.flash })}` +
      `<section id="recent_orders"><h2>${words.recent}</h2><ul>${recent.join('')}</ul></section>`,
    filler: '',
  });
}

/** At most this many rows when no search is given, like Coupa's paged tables. */
const LIST_PAGE_SIZE = 100;

/** `/order_headers`: the PO list with the quick-search box; `?sf_order_header=<text>` filters rows. */
export function orderListPage(pos: readonly SimPo[], search: string): string {
  const needle = search.trim().toLowerCase();
  // Error-page POs do not exist for this user, so they are not listed.
  const visible = pos.filter((po) => po.page === 'ok');
  const rows = (needle === '' ? visible.slice(0, LIST_PAGE_SIZE) : visible.filter((po) => po.poNumber.toLowerCase().includes(needle) || po.id.includes(needle))).map(
    (po) =>
      `<tr id="order_header_row_${po.id}"><td><a href="/order_headers/${po.id}">${escapeHtml(po.poNumber)}</a></td>` +
      `<td>${escapeHtml(po.supplier)}</td><td>Issued</td></tr>`,
  );
  return renderPage({
    title: 'Purchase Orders | Coupa',
    controller: 'order_headers',
    action: 'index',
    body: `<h1 id="pageHeader">Purchase Orders</h1>
<form id="order_header_search" action="/order_headers" method="get"><input type="search" id="sf_order_header" name="sf_order_header" value="${escapeHtml(search)}" placeholder="Search"><button type="submit">Search</button></form>
<table id="order_headers_table"><thead><tr><th>PO Number</th><th>Supplier</th><th>Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    filler: '',
  });
}
