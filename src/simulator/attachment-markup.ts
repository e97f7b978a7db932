import type { Placement } from './catalogue-model.ts';
import { attachmentPath } from './content-disposition.ts';
import { escapeHtml } from './html-escape.ts';

/**
 * Attachment lists as Coupa renders them (see docs/coupa-reference.md): header and line fields use
 * `div.attachments > ul.attachments-list` with a single `li` "None" when empty; comments use
 * `ul.attachments__list`. File links carry absolute URLs; old-theme files are click-only spans.
 */
export function fieldAttachments(placements: readonly Placement[], baseUrl: string): string {
  const items = placements.map((placement) => attachmentItem(placement, baseUrl));
  return `<ul class="attachments-list">${items.length > 0 ? items.join('') : '<li>None</li>'}</ul>`;
}

export function commentAttachments(placements: readonly Placement[], baseUrl: string): string {
  if (placements.length === 0) return '';
  return `<ul class="attachments__list">${placements.map((placement) => attachmentItem(placement, baseUrl)).join('')}</ul>`;
}

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
