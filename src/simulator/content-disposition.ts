/**
 * `Content-Disposition: attachment` as Coupa sends it: a plain-ASCII `filename` for old clients
 * and the exact name in RFC 5987 form (`filename*=UTF-8''…`), https://www.rfc-editor.org/rfc/rfc6266.
 */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** The name with non-ASCII characters as `_`, and the quoted-string specials escaped. */
export function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, (char) => `\\${char}`);
}

/** Percent-encoding for `filename*`: encodeURIComponent leaves `'()*!` alone, RFC 5987 does not allow them raw. */
export function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path of a file attachment, as the `href` on PO pages carries it (the name URL-encoded). */
export function attachmentPath(attId: string, name: string): string {
  return `/attachment/attachment_file/file/${attId}/${encodeURIComponent(name)}`;
}
