import type { SimPo } from './catalogue-model.ts';
import { homePage } from './home-pages.ts';
import { flashContainer, renderPage } from './page-shell.ts';

export type ErrorPageKind = 'notFound' | 'accessDenied';

/** The languages of the localized flash errors. */
export type FlashLanguage = 'en' | 'de' | 'fr' | 'pt';

/** A page and the HTTP status it is answered with. */
export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

/**
 * Flash errors as a localized Coupa shows them, typographic apostrophes included. The reader must
 * know these words (or be told them as its own markers) to tell "not found" from "not authorized".
 */
export const FLASH_ERRORS: Record<ErrorPageKind, Record<FlashLanguage, string>> = {
  notFound: {
    en: 'Oops! We couldn’t find what you wanted.',
    de: 'Hoppla! Wir konnten nicht finden, wonach Sie gesucht haben.',
    fr: 'Oups ! Nous n’avons pas trouvé ce que vous cherchiez.',
    pt: 'Desculpe, não encontramos o que você procurava.',
  },
  accessDenied: {
    en: 'Sorry, you’re not authorized to view this page.',
    de: 'Sie sind nicht berechtigt, diese Seite anzuzeigen.',
    fr: 'Vous n’êtes pas autorisé à consulter cette page.',
    pt: 'Você não tem permissão para acessar esta página.',
  },
};

type Variant = { readonly classic: string } | { readonly status: 403 | 404; readonly language: FlashLanguage } | { readonly flashOn: FlashLanguage };

/**
 * Coupa's error pages. The first variants are the classic markers from the reference, answered with
 * HTTP 200; then a Coupa-styled page with an error status and the flash container, then ordinary
 * (home) pages whose flash container holds a localized error. Page code that knows only one of them
 * fails some POs.
 */
const VARIANTS: Record<ErrorPageKind, readonly Variant[]> = {
  notFound: [
    { classic: `<div class="flash_error">Oops! We couldn't find what you wanted.</div><h1>Oops! We couldn't find what you wanted</h1>` },
    { classic: `<div id="error_explanation"><h1>Sorry, the page you were looking for doesn't exist.</h1><p>You may have mistyped the address or the page may have moved.</p></div>` },
    { classic: `<div class="flash-error">Desculpe, não encontramos o que você procurava.</div><h1>Oops!</h1>` },
    { status: 404, language: 'en' },
    { flashOn: 'de' },
    { flashOn: 'fr' },
  ],
  accessDenied: [
    { classic: `<div class="flash_error">You are not authorized to view this page.</div><h1>Sorry</h1>` },
    { classic: `<div id="error_explanation"><h1>Access denied</h1><p>You do not have permission to see this record.</p></div>` },
    { flashOn: 'pt' },
    { flashOn: 'de' },
    { status: 403, language: 'en' },
  ],
};

export function errorPage(kind: ErrorPageKind, variantIndex: number, filler: string, pos: readonly SimPo[]): PageAnswer {
  const variants = VARIANTS[kind];
  const variant = variants[variantIndex % variants.length] ?? variants[0];
  const action = kind === 'notFound' ? 'not_found' : 'unauthorized';
  if (variant === undefined || 'classic' in variant) {
    return { status: 200, html: renderPage({ title: 'Coupa', controller: 'errors', action, body: variant?.classic ?? '', filler }) };
  }
  if ('flashOn' in variant) return flashErrorPage(kind, variant.flashOn, pos);
  const body = `${flashContainer({ kind: 'error', text: FLASH_ERRORS[kind][variant.language] })}<h1 id="pageHeader">Oops!</h1>`;
  return { status: variant.status, html: renderPage({ title: 'Coupa', controller: 'errors', action, body, filler }) };
}

/** An ordinary page (the user's home, in their language) whose flash container shows a localized error. */
export function flashErrorPage(kind: ErrorPageKind, language: FlashLanguage, pos: readonly SimPo[]): PageAnswer {
  return { status: 200, html: homePage(pos, { language, flash: FLASH_ERRORS[kind][language] }) };
}

const STATUS_TEXTS: Record<404 | 410 | 403, string> = {
  404: 'This page can’t be found.',
  410: 'This record is no longer available.',
  403: 'This page can’t be shown.',
};

/** A Coupa-styled error page for an HTTP error status, worded so that only the status tells what happened. */
export function httpStatusPage(status: 404 | 410 | 403): PageAnswer {
  const body = `<h1 id="pageHeader">Error ${String(status)}</h1><div id="error_explanation"><p>${STATUS_TEXTS[status]}</p><p><a href="/user/home">Back to the home page</a></p></div>`;
  return { status, html: renderPage({ title: 'Coupa', controller: 'errors', action: 'show', body, filler: '' }) };
}
