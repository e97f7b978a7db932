import type { Placement } from './catalogue-model.ts';
import { attachmentPath } from './content-disposition.ts';
import { escapeHtml } from './html-escape.ts';

/** What a header or line list holds besides its attachments (faults that make a page uncertain). */
export interface ListExtras {
  /** An `li.attachment` of a kind no reader knows (a SharePoint link without a file URL). */
  readonly unknownItem?: boolean;
  /** A visible spinner that never goes away. */
  readonly spinnerForever?: boolean;
}

/** A visible loading sign, as lists show while their items are on the way. */
export const LOADING_SPINNER = '<span class="spinner" aria-busy="true" title="Loading"></span>';

/** Skeleton items a list shows before its real items arrive (placeholder style). */
export const PLACEHOLDER_ITEMS =
  '<li class="attachment s-placeholder" aria-busy="true"><span class="skeleton" style="display:inline-block;width:180px;height:12px;background:#e4e4e4"></span></li>'.repeat(2);

/**
 * Header, line and requisition attachment lists as Coupa renders them (docs/coupa-reference.md):
 * `ul.attachments-list`, with a single `li` "None" when empty. File links carry absolute URLs;
 * old-theme files are click-only spans.
 */
export function fieldList(placements: readonly Placement[], baseUrl: string, extras: ListExtras = {}): string {
  const items = placements.map((placement) => attachmentItem(placement, baseUrl));
  if (extras.unknownItem === true) items.push(UNKNOWN_ITEM);
  const list = `<ul class="attachments-list">${items.length > 0 ? items.join('') : '<li class="show none">None</li>'}</ul>`;
  return extras.spinnerForever === true ? `${list}${LOADING_SPINNER}` : list;
}

/** The attachments field of a header or a line: label, then `div.attachments` holding `content`. */
export function attachmentsField(labelId: string, content: string, layout: 'vertical' | 'horizontal', lateKey?: string): string {
  const late = lateKey === undefined ? '' : ` data-late-target="${lateKey}"`;
  return (
    `<div class="form_element wrapper_${layout}" role="group"><span class="group_label label_readonly" id="${labelId}">Attachments</span>` +
    `<div class="attachments attachified"${late}>${content}</div></div>`
  );
}

const UNKNOWN_ITEM =
  '<li class="attachment attachmentSharepoint" aria-label="Attachments SharePoint"><span class="attachment__name">Contract folder (SharePoint)</span>' +
  '<button type="button" class="buttonAsLink s-openSharepoint">Open</button></li>';

function attachmentItem(placement: Placement, baseUrl: string): string {
  const { attachment } = placement;
  const intent = `<span class="attachment_intent">${attachment.intent === 'supplier' ? 'Supplier' : 'Internal'}</span>`;
  const data = `data-intent="${attachment.intent}" data-attachment-id="${attachment.attId}"`;
  switch (attachment.kind) {
    case 'file': {
      const name = escapeHtml(attachment.name);
      const widget =
        placement.widget === 'click'
          ? `<span class="attachment-file" aria-label="${name} file attachment" title="${name}" role="button" tabindex="0">${name}</span>`
          : `<a href="${escapeHtml(baseUrl + attachmentPath(attachment.attId, attachment.name))}" title="${name}" target="_blank" rel="noopener">${name}</a>`;
      return `<li class="attachment attachmentFile" aria-label="Attachments File" ${data}>${widget} ${intent}</li>`;
    }
    case 'url': {
      const url = escapeHtml(attachment.url);
      return `<li class="attachment attachmentUrl" aria-label="Attachments Url" ${data}><a href="${url}" title="${url}" target="_blank" rel="noopener noreferrer">${url}</a> ${intent}</li>`;
    }
    case 'text':
      return `<li class="attachment attachmentText" aria-label="Attachments Text" ${data}><span class="attachment_text">${escapeHtml(attachment.text)}</span> ${intent}</li>`;
    default: {
      const unknown: never = attachment;
      throw new Error(`Unknown attachment ${JSON.stringify(unknown)}.`);
    }
  }
}

/**
 * Old themes keep the file URL in script, not in the DOM: a click on the span starts the download
 * through a temporary link. Delegated from `document`, so it also works on lists inserted late.
 */
export function clickDownloadScript(placements: readonly Placement[], baseUrl: string): string {
  const urls: Record<string, string> = {};
  for (const { attachment, widget } of placements) {
    if (attachment.kind === 'file' && widget === 'click') urls[attachment.attId] = baseUrl + attachmentPath(attachment.attId, attachment.name);
  }
  if (Object.keys(urls).length === 0) return '';
  return `<script>(function(){var urls=${JSON.stringify(urls).replace(/</g, '\\u003c')};
document.addEventListener('click',function(e){var t=e.target;var s=t&&t.closest?t.closest('span.attachment-file'):null;if(!s)return;
var li=s.closest('li.attachment');var id=li?li.getAttribute('data-attachment-id'):null;var u=id?urls[id]:null;if(!u)return;
var a=document.createElement('a');a.href=u;a.download='';document.body.appendChild(a);a.click();a.remove();});})();</script>`;
}
