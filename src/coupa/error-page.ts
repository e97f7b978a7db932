/**
 * Coupa's error pages, as the earlier tool recognised them. Real wording is unconfirmed and
 * customers localise it, so markers are matched loosely (case-insensitive, anywhere in the
 * main text). A plain `div.notice` is NOT an error: ordinary pages show notices.
 */

export const ERROR_TEXT_MARKERS: readonly string[] = [
  "Oops! We couldn't find what you wanted",
  'You are not authorized',
  'Access denied',
  "The page you were looking for doesn't exist",
  'Desculpe, não encontramos o que você procurava',
];

/** Containers whose non-empty text is an error wherever they appear. */
export const ERROR_CONTAINER_SELECTORS: readonly string[] = ['div.flash_error', 'div.flash-error', 'div#error_explanation'];

/** An `h1` saying this is an error heading ("Oops! …", "We're sorry, …"). */
export const ERROR_HEADING_PATTERN = String.raw`\b(oops|sorry)\b`;

export type ErrorPageStatus = 'PO_NOT_FOUND' | 'ACCESS_DENIED';

/** ACCESS_DENIED when the page says so ("not authorized", "Access denied"), else PO_NOT_FOUND. */
export function errorPageStatus(markerText: string): ErrorPageStatus {
  return /not\s+authori[sz]ed|access\s+denied|acesso\s+negado|não\s+autorizado/i.test(markerText) ? 'ACCESS_DENIED' : 'PO_NOT_FOUND';
}

/** The marker text as it goes into the report: one line, at most 200 characters. */
export function errorPageMessage(markerText: string): string {
  const line = markerText.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
