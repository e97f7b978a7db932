import { attachmentsField } from './attachment-markup.ts';
import type { SimPo } from './catalogue-model.ts';
import { escapeHtml } from './html-escape.ts';
import type { ListSlot } from './late-lists.ts';

/** The lines table's XHR route (Coupa's data tables reload through it). */
export const LINE_TABLE_PATH = '/order_headers/search_order_line_table';

/** The "Per page" choices the table offers. */
export const PER_PAGE_CHOICES = [15, 45, 90] as const;

/** The query parameter that saves the "Per page" choice on the user's account. */
export const PER_PAGE_PARAM = 'user[user_attributes_hash][data_table_per_page]';

const ITEMS = ['Laptop docking station', 'Office chairs (ergonomic)', 'Consulting services, March', 'Safety gloves, size L', 'Printer toner, black', 'Annual software licence'];

/** A line's id as the table's rows carry it (`order_line_row_<id>`). */
export function lineIdOf(po: SimPo, line: number): string {
  return String(Number(po.id) * 1000 + line);
}

export function pageCount(lineCount: number, perPage: number): number {
  return Math.max(1, Math.ceil(lineCount / perPage));
}

export interface LineTableView {
  readonly po: SimPo;
  /** 1-based, already within the table's pages. */
  readonly page: number;
  readonly perPage: number;
  /** What goes in a line's attachments field, given its list key and list markup. */
  readonly slot: (key: string, line: number) => ListSlot;
}

/** `tbody#order_line_tbody` with the rows of one page of lines. */
export function lineRows(view: LineTableView): string {
  const { po, page, perPage } = view;
  const first = (page - 1) * perPage + 1;
  const last = Math.min(po.lineCount, page * perPage);
  const rows: string[] = [];
  for (let line = first; line <= last; line += 1) {
    const id = lineIdOf(po, line);
    const slot = view.slot(`line_${id}`, line);
    rows.push(
      `<tr class="${line % 2 === 1 ? 'stripe_even' : 'stripe_odd'} coupa_datatable_row coupa_datatable_row_wrapper" id="order_line_row_${id}" valign="top"><td><div data-id="${id}" class="line-wrapper">` +
        `<div class="primaryCols clearAfter"><div class="line_nums"><div class="wordWrap line_num" aria-label="Line Number ${String(line)}">${String(line)}</div></div>` +
        `<div class="primaryColsContent"><div class="form_element col_lg orderLineItem s-orderLineItem wrapper_horizontal"><span class="group_label label_readonly">Item</span> ${escapeHtml(ITEMS[(Number(po.id) + line) % ITEMS.length] ?? '')}</div>` +
        `<div class="form_element col_sm orderLineQuantity wrapper_horizontal"><span class="group_label label_readonly">Qty</span> ${String(line * 2)}</div></div></div>` +
        `<div id="order_line_${id}_more" data-id="${id}" class="has_form"><div class="inside_form flexHorizontalForm">` +
        `${attachmentsField(`attachments_ul_${id}`, slot.content, 'horizontal', slot.lateKey)}</div></div></div></td></tr>`,
    );
  }
  return `<tbody id="order_line_tbody" class="row-partial">${rows.join('')}</tbody>`;
}

/**
 * `span#order_line_page_links`: the "Per page" links (15 / 45 / 90, the saved choice pressed) and,
 * when the lines span pages, will_paginate-style page links: previous, numbered pages around the
 * current one with the first and last, gaps as `span.gap`, next. Every link is `data-remote`.
 */
export function pageLinks(po: SimPo, page: number, perPage: number): string {
  const base = `${LINE_TABLE_PATH}?data_table_name=order_line&id=${po.id}&key=OrderHeadersController%3Aorder_line`;
  // As Rails writes it: `&amp;` between the parameters (the path holds no other character to escape).
  const href = (extra: string) => `${base}&${extra}`.replace(/&/g, '&amp;');
  const perPageLinks = PER_PAGE_CHOICES.map((choice) => {
    const chosen = choice === perPage;
    return `<a class="s-rowsPerPage${chosen ? ' selected' : ' '}" role="button" aria-label="${String(choice)} per page" aria-pressed="${String(chosen)}" data-remote="true" href="${href(`${encodeURIComponent(PER_PAGE_PARAM)}=${String(choice)}`)}">${String(choice)}</a>`;
  }).join(' | ');
  const pages = pageCount(po.lineCount, perPage);
  let numbered = '';
  if (pages > 1) {
    const link = (target: number, text: string, extra = '') => `<a${extra} data-remote="true" href="${href(`page=${String(target)}`)}">${text}</a>`;
    const parts: string[] = [page > 1 ? link(page - 1, '‹ Previous', ' class="previous_page" rel="prev"') : '<span class="previous_page disabled" aria-disabled="true">‹ Previous</span>'];
    let gap = false;
    for (let target = 1; target <= pages; target += 1) {
      if (target !== 1 && target !== pages && Math.abs(target - page) > 2) {
        if (!gap) parts.push('<span class="gap">…</span>');
        gap = true;
        continue;
      }
      gap = false;
      parts.push(target === page ? `<em class="current" aria-current="page">${String(target)}</em>` : link(target, String(target), target === page + 1 ? ' rel="next"' : target === page - 1 ? ' rel="prev"' : ''));
    }
    parts.push(page < pages ? link(page + 1, 'Next ›', ' class="next_page" rel="next"') : '<span class="next_page disabled" aria-disabled="true">Next ›</span>');
    numbered = `<span class="page_links" role="navigation" aria-label="Pagination">${parts.join(' ')}</span>`;
  }
  return (
    `<span id="order_line_page_links"><span class="per_page_links" style="float: left;"><span id="per_page_links_label">Per page </span>` +
    `<span role="group" aria-labelledby="per_page_links_label">${perPageLinks}</span></span>${numbered}` +
    `<a class="order_line_wait refresh_data_table" style="display:none" data-remote="true" href="${href('reload=1')}">r</a></span>`
  );
}

/** The lines section: the data table, its (hidden) reload spinner and its foot with the page links. */
export function lineTableSection(view: LineTableView): string {
  return (
    `<div id="po_lines"><div id="lines"><div class="header noBorder noMargin"><h2>Lines</h2></div>` +
    `<section id="order_line_table_section"><div class="spiffyTable dataTable" id="order_line_table">` +
    `<div class="toolbar"><span class="spinner_container"><span class="spinner table_spinner" id="order_line_spinner" style="display:none" aria-busy="true"></span></span></div>` +
    `<div class="datatable_wrapper"><div class="wrap"><table id="order_line_table_tag" class="coupa_datatable">${lineRows(view)}</table>` +
    `<div class="s-dtAriaLive ariaHelperContent" aria-live="polite"></div></div></div>` +
    `<div class="foot"><div class="inside"><div class="pagination" style="display: inline;">${pageLinks(view.po, view.page, view.perPage)}</div></div></div>` +
    `</div></section></div></div>`
  );
}

/**
 * The XHR answer (`dataType: script`): JavaScript that replaces the table body and the page links,
 * and hides the table's spinner.
 */
export function lineTableScript(view: LineTableView): string {
  const literal = (html: string) => JSON.stringify(html);
  return `(function(){var b=document.getElementById("order_line_tbody");if(b)b.outerHTML=${literal(lineRows(view))};
var l=document.getElementById("order_line_page_links");if(l)l.outerHTML=${literal(pageLinks(view.po, view.page, view.perPage))};
var s=document.getElementById("order_line_spinner");if(s)s.style.display="none";})();
`;
}

/**
 * The page's handler for `a[data-remote]` clicks, as Rails UJS and Coupa's data tables do it: POST
 * the link's URL by XHR with the CSRF token, expect JavaScript, run it. A table's reload shows its
 * spinner until the answer has run.
 */
export const REMOTE_LINKS_SCRIPT = `<script>document.addEventListener('click',function(e){var t=e.target;var a=t&&t.closest?t.closest('a[data-remote="true"]'):null;if(!a)return;e.preventDefault();
var table=a.closest('.dataTable');var spin=table?table.querySelector('.table_spinner'):null;if(spin)spin.style.display='inline-block';
var token=document.querySelector('meta[name="csrf-token"]');var x=new XMLHttpRequest();x.open('POST',a.href);
x.setRequestHeader('Accept','text/javascript, application/javascript, application/ecmascript, application/x-ecmascript, */*; q=0.01');
x.setRequestHeader('X-Requested-With','XMLHttpRequest');if(token)x.setRequestHeader('X-CSRF-Token',token.getAttribute('content')||'');
x.onload=function(){if(x.status===200&&/javascript/.test(x.getResponseHeader('content-type')||'')){var s=document.createElement('script');s.text=x.responseText;document.head.appendChild(s);s.remove();}else if(spin){spin.style.display='none';}};
x.onerror=function(){if(spin)spin.style.display='none';};x.send();});</script>`;
