import { renderPage } from './page-shell.ts';

export type ErrorPageKind = 'notFound' | 'accessDenied';

/**
 * Coupa's error pages, answered with HTTP 200. Each variant uses a different marker from the
 * reference, so page code that knows only one of them fails some POs.
 */
const NOT_FOUND_VARIANTS = [
  `<div class="flash_error">Oops! We couldn't find what you wanted.</div><h1>Oops! We couldn't find what you wanted</h1>`,
  `<div id="error_explanation"><h1>Sorry, the page you were looking for doesn't exist.</h1><p>You may have mistyped the address or the page may have moved.</p></div>`,
  `<div class="flash-error">Desculpe, não encontramos o que você procurava.</div><h1>Oops!</h1>`,
] as const;

const ACCESS_DENIED_VARIANTS = [
  `<div class="flash_error">You are not authorized to view this page.</div><h1>Sorry</h1>`,
  `<div id="error_explanation"><h1>Access denied</h1><p>You do not have permission to see this record.</p></div>`,
] as const;

export function errorPage(kind: ErrorPageKind, variant: number, filler: string): string {
  const variants = kind === 'notFound' ? NOT_FOUND_VARIANTS : ACCESS_DENIED_VARIANTS;
  const body = variants[variant % variants.length] ?? variants[0];
  return renderPage({ title: 'Coupa', controller: 'errors', action: kind === 'notFound' ? 'not_found' : 'unauthorized', body, filler });
}
