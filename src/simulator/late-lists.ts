import { LOADING_SPINNER, PLACEHOLDER_ITEMS } from './attachment-markup.ts';

/**
 * How one page's header and line lists reach the DOM:
 * - `inline`: in the HTML;
 * - `lateKind`: a spinner until the page script's fetch of `path` (sent at DOMContentLoaded, held by
 *   the server for the PO's `lateMs`) returns, then the lists from inert templates (the `late` kind);
 * - `lateScript`: a spinner until a script inserts the lists `delayMs` after DOMContentLoaded;
 * - `xhrAfterLoad`: a spinner until an XHR to `path`, started after `load` and held by the server,
 *   answers the lists (JSON); the lists are not in the HTML at all;
 * - `placeholder`: skeleton items, replaced by the real ones `delayMs` after `load`.
 */
export type PageDelivery =
  | { readonly kind: 'inline' }
  | { readonly kind: 'lateKind'; readonly path: string }
  | { readonly kind: 'lateScript'; readonly delayMs: number }
  | { readonly kind: 'xhrAfterLoad'; readonly path: string }
  | { readonly kind: 'placeholder'; readonly delayMs: number };

/** What goes inside a list's `div.attachments`, and the key a late script finds it by. */
export interface ListSlot {
  readonly content: string;
  readonly lateKey?: string;
}

/** Collects a page's lists and makes what delivers them late: inert templates and one script. */
export class LateLists {
  readonly #delivery: PageDelivery;
  readonly #templates: string[] = [];

  constructor(delivery: PageDelivery) {
    this.#delivery = delivery;
  }

  /** `key` names the list for the late script (letters, digits and `_` only). */
  slot(key: string, list: string): ListSlot {
    switch (this.#delivery.kind) {
      case 'inline':
        return { content: list };
      case 'lateKind':
      case 'lateScript':
        this.#templates.push(`<template data-late-source="${key}">${list}</template>`);
        return { content: LOADING_SPINNER, lateKey: key };
      case 'xhrAfterLoad':
        return { content: LOADING_SPINNER, lateKey: key };
      case 'placeholder':
        this.#templates.push(`<template data-late-source="${key}">${list}</template>`);
        return { content: `<ul class="attachments-list">${PLACEHOLDER_ITEMS}</ul>`, lateKey: key };
      default: {
        const unknown: never = this.#delivery;
        throw new Error(`Unknown list delivery ${JSON.stringify(unknown)}.`);
      }
    }
  }

  /** Templates and the script that brings the lists in; '' for inline pages. */
  tail(): string {
    const templates = this.#templates.join('');
    const delivery = this.#delivery;
    switch (delivery.kind) {
      case 'inline':
        return '';
      case 'lateKind':
        // The lists arrive the way Coupa's lazy parts may: the page asks the server once parsed, and the server answers after `lateMs`.
        return `${templates}<script>document.addEventListener('DOMContentLoaded',function(){fetch('${delivery.path}',{credentials:'same-origin'}).then(function(r){if(!r.ok||r.redirected)return;${SWAP}});});</script>`;
      case 'lateScript':
        return `${templates}<script>document.addEventListener('DOMContentLoaded',function(){setTimeout(function(){${SWAP}},${String(delivery.delayMs)});});</script>`;
      case 'placeholder':
        return `${templates}<script>(function(){function go(){setTimeout(function(){${SWAP}},${String(delivery.delayMs)});}${AFTER_LOAD}})();</script>`;
      case 'xhrAfterLoad':
        return `<script>(function(){function go(){var x=new XMLHttpRequest();x.open('GET','${delivery.path}');x.setRequestHeader('Accept','application/json');x.setRequestHeader('X-Requested-With','XMLHttpRequest');
x.onload=function(){if(x.status!==200)return;var data=JSON.parse(x.responseText);Object.keys(data.lists).forEach(function(k){var t=document.querySelector('[data-late-target="'+k+'"]');if(t){t.innerHTML=data.lists[k];t.removeAttribute('data-late-target');}});
if(window.CoupaCommentsApp)window.CoupaCommentsApp.attachmentsArrived(data.comments);else window.__coupaCommentAttachments=data.comments;};x.send();}${AFTER_LOAD}})();</script>`;
      default: {
        const unknown: never = delivery;
        throw new Error(`Unknown list delivery ${JSON.stringify(unknown)}.`);
      }
    }
  }
}

/** Moves each template's list into its target; a target gone (the lines table reloaded) just drops the template. */
const SWAP = `document.querySelectorAll('template[data-late-source]').forEach(function(t){var target=document.querySelector('[data-late-target="'+t.getAttribute('data-late-source')+'"]');if(target){target.innerHTML=t.innerHTML;target.removeAttribute('data-late-target');}t.remove();});`;

/** Runs `go` once the window has loaded (at once if it already has). */
const AFTER_LOAD = `if(document.readyState==='complete')go();else window.addEventListener('load',go,{once:true});`;

/** The path the `late` kind's page script fetches; answered after the PO's `lateMs`. */
export function latePath(poId: string): string {
  return `/order_headers/${poId}/late_attachments`;
}

/** Matches `latePath`; group 1 is the PO id. */
export const LATE_PATH_ROUTE = /^\/order_headers\/(\d+)\/late_attachments$/;

/** The path the xhrAfterLoad style's script asks for a page's lists. */
export function listsPath(type: 'order_headers' | 'requisition_headers', id: string): string {
  return `/${type}/${id}/attachment_lists`;
}

/** Matches `listsPath`; group 1 the type, group 2 the id. */
export const LISTS_PATH_ROUTE = /^\/(order_headers|requisition_headers)\/(\d+)\/attachment_lists$/;
