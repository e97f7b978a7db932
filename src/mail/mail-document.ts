import { defaultTreeAdapter, html, parse, serialize, type DefaultTreeAdapterTypes } from 'parse5';
import { escapeHtml, headerBlockHtml } from './header-block.ts';
import type { Mail } from './mail-model.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/**
 * The page a mail PDF is printed from: the mail's own HTML document (its styles and body as the
 * sender's program wrote them) with the header block first in its body. What could reach out or
 * run is taken out (scripts, frames, plug-ins, `<base>`, `<link>`, refresh and other `http-equiv`
 * metas, event attributes, `javascript:` links), `cid:` references become `data:` URLs of the
 * mail's inline parts, and a Content-Security-Policy lets nothing load but `data:`. The browser
 * context it is rendered in (pdf-renderer.ts) blocks the network and scripts as well.
 */
export function mailDocumentHtml(mail: Mail, timeZone: string): string {
  const source = mail.html ?? plainTextDocument(mail.text);
  // Scripting off: <noscript> content is parsed as markup, as the renderer (scripts off) shows it.
  const document = parse(source, { scriptingEnabled: false });
  const inlineParts = cidUrls(mail);
  clean(document, inlineParts);
  // The parser always makes <html> and <head>; a frameset document (its frames removed above) has no <body>.
  const root = findChild(document, 'html') ?? appended(document, element('html', {}));
  const head = findChild(root, 'head') ?? appended(root, element('head', {}));
  const body = findChild(root, 'body') ?? appended(root, element('body', {}));
  prepend(head, element('meta', { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }));
  prepend(head, element('meta', { charset: 'utf-8' }));
  prepend(body, element(SLOT, {}));
  return serialize(document, { scriptingEnabled: false }).replace(`<${SLOT}></${SLOT}>`, headerBlockHtml(mail, timeZone));
}

/** Only `data:` may load: images, styles and fonts the mail carries inline; nothing from anywhere else. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:; media-src data:";

/** Where the header block goes; a name no mail uses (any such element in a mail is removed). */
const SLOT = 'coupa-dl-header-slot';

const REMOVED = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'link', 'portal', 'fencedframe', SLOT]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'data']);

function plainTextDocument(text: string | null): string {
  const shown = text ?? '(This mail has no text.)';
  return `<!DOCTYPE html><html><head></head><body><pre style="white-space: pre-wrap; overflow-wrap: anywhere; font: 10.5pt/1.4 'Segoe UI', 'Noto Sans', 'Noto Sans CJK JP', Arial, sans-serif;">${escapeHtml(shown)}</pre></body></html>`;
}

/** `cid` (lower case, no angle brackets) → `data:` URL of that inline part. */
function cidUrls(mail: Mail): Map<string, string> {
  const urls = new Map<string, string>();
  for (const attachment of mail.attachments) {
    if (attachment.contentId === null) continue;
    // The type is the sender's text: only a plain `type/subtype` goes into the URL.
    const type = /^[\w.+-]+\/[\w.+-]+$/.test(attachment.contentType) ? attachment.contentType : 'application/octet-stream';
    urls.set(attachment.contentId.toLowerCase(), `data:${type};base64,${Buffer.from(attachment.bytes).toString('base64')}`);
  }
  return urls;
}

function clean(parent: ParentNode, inlineParts: ReadonlyMap<string, string>): void {
  for (const child of [...parent.childNodes]) {
    if (!isElement(child)) continue;
    if (REMOVED.has(child.tagName) || (child.tagName === 'meta' && child.attrs.some((attr) => attr.name === 'http-equiv'))) {
      defaultTreeAdapter.detachNode(child);
      continue;
    }
    child.attrs = child.attrs.flatMap((attr) => {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) return [];
      if (URL_ATTRIBUTES.has(name) && /^\s*(javascript|vbscript):/i.test(attr.value)) return [];
      if (name === 'src' || name === 'background') return [{ ...attr, value: withInlineParts(attr.value, inlineParts, /^\s*cid:(.+?)\s*$/i) }];
      if (name === 'style') return [{ ...attr, value: cssWithInlineParts(attr.value, inlineParts) }];
      return [attr];
    });
    if (child.tagName === 'style') {
      for (const text of child.childNodes) if (defaultTreeAdapter.isTextNode(text)) text.value = cssWithInlineParts(text.value, inlineParts);
    }
    clean(child, inlineParts);
    // A <template> keeps its children in `content` (a declarative shadow root would render them).
    if ('content' in child) clean(child.content, inlineParts);
  }
}

function withInlineParts(value: string, inlineParts: ReadonlyMap<string, string>, pattern: RegExp): string {
  const cid = pattern.exec(value)?.[1];
  if (cid === undefined) return value;
  return inlineParts.get(decodeCid(cid).toLowerCase()) ?? value;
}

function cssWithInlineParts(css: string, inlineParts: ReadonlyMap<string, string>): string {
  return css.replace(/url\(\s*(['"]?)cid:([^'")]+)\1\s*\)/gi, (whole, _quote: string, cid: string) => {
    const url = inlineParts.get(decodeCid(cid).toLowerCase());
    return url === undefined ? whole : `url("${url}")`;
  });
}

/** `cid:` URLs may percent-encode the content id (RFC 2392). */
function decodeCid(cid: string): string {
  try {
    return decodeURIComponent(cid);
  } catch {
    return cid;
  }
}

function isElement(node: Node): node is Element {
  return defaultTreeAdapter.isElementNode(node);
}

function findChild(parent: ParentNode, tagName: string): Element | undefined {
  return parent.childNodes.find((child): child is Element => isElement(child) && child.tagName === tagName);
}

function element(tagName: string, attributes: Record<string, string>): Element {
  return defaultTreeAdapter.createElement(tagName, html.NS.HTML, Object.entries(attributes).map(([name, value]) => ({ name, value })));
}

function appended(parent: ParentNode, child: Element): Element {
  defaultTreeAdapter.appendChild(parent, child);
  return child;
}

function prepend(parent: Element, child: Element): void {
  const first = parent.childNodes[0];
  if (first === undefined) defaultTreeAdapter.appendChild(parent, child);
  else defaultTreeAdapter.insertBefore(parent, child, first);
}
