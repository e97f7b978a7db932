import type { SimPo } from './catalogue-model.ts';
import { attachmentPath } from './content-disposition.ts';
import { escapeHtml } from './html-escape.ts';
import { renderPage } from './page-shell.ts';

/**
 * A PO page in a theme no reader knows (fault `newTheme`): it names the PO in its title and heading,
 * but shows its documents as cards with download buttons, with no `div.attachments` field, no
 * `li.attachment` items and no file links. A careful reader says it needs a look, never "no attachments".
 */
export function newThemePage(po: SimPo, baseUrl: string, filler: string): string {
  const cards = po.placements.map(({ attachment }) => {
    const title = attachment.kind === 'file' ? attachment.name : attachment.kind === 'url' ? attachment.url : attachment.text;
    const action =
      attachment.kind === 'file' ? `<button type="button" class="doc-card__download" data-doc-url="${escapeHtml(baseUrl + attachmentPath(attachment.attId, attachment.name))}">Download</button>` : '';
    return `<div class="doc-card" data-doc-id="${attachment.attId}"><span class="doc-card__title">${escapeHtml(title)}</span>${action}</div>`;
  });
  const body = `<header class="po-hero"><h1 class="po-hero__title">Purchase Order #PO${po.id}</h1><span class="po-hero__supplier">${escapeHtml(po.supplier)}</span></header>
<main class="po-layout"><section class="po-documents" aria-label="Documents"><h2>Documents</h2><div class="doc-grid">${cards.length > 0 ? cards.join('') : '<p class="doc-grid__empty">No documents</p>'}</div></section></main>`;
  return renderPage({ title: `Purchase Order #PO${po.id}`, controller: 'order_headers', action: 'show', dataId: po.id, body, filler });
}
