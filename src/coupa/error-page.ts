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

/** The error flash of current themes (the real page's own script names it); counts only when shown. */
export const FLASH_ERROR_SELECTOR = '#flash_container .esErrorFlashMessages';

/** Containers whose non-empty text is an error wherever they appear. */
export const ERROR_CONTAINER_SELECTORS: readonly string[] = ['div.flash_error', 'div.flash-error', 'div#error_explanation'];

/** An `h1` saying this is an error heading ("Oops! …", "We're sorry, …"). */
export const ERROR_HEADING_PATTERN = String.raw`\b(oops|sorry)\b`;

export type ErrorPageStatus = 'PO_NOT_FOUND' | 'ACCESS_DENIED';

/** Words that make an error page ACCESS_DENIED rather than PO_NOT_FOUND (English and the languages Coupa ships most). */
const ACCESS_DENIED_WORDS = /not\s+authori[sz]ed|access\s+denied|permission|permiss[ãa]o|acesso\s+negado|não\s+autorizado|nicht\s+berechtigt|zugriff\s+verweigert|keine\s+berechtigung|non\s+autoris|pas\s+autoris|accès\s+(refusé|interdit)|acceso\s+denegado|no\s+autorizado|no\s+tiene\s+permiso|accesso\s+negato|non\s+autorizzato|geen\s+toegang|niet\s+gemachtigd/i;

/** ACCESS_DENIED when the page says so ("not authorized", "Access denied", or a user's own marker), else PO_NOT_FOUND. */
export function errorPageStatus(markerText: string, accessDeniedMarkers: readonly string[] = []): ErrorPageStatus {
  const text = plainQuotes(markerText).toLowerCase();
  if (ACCESS_DENIED_WORDS.test(text)) return 'ACCESS_DENIED';
  return accessDeniedMarkers.some((marker) => marker.trim() !== '' && text.includes(plainQuotes(marker).toLowerCase())) ? 'ACCESS_DENIED' : 'PO_NOT_FOUND';
}

/** Typographic apostrophes and quotes as plain ones: customers' pages use both. */
export function plainQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u02BC]/g, "'").replace(/[\u201C\u201D]/g, '"');
}

/** The marker text as it goes into the report: one line, at most 200 characters. */
export function errorPageMessage(markerText: string): string {
  const line = markerText.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
