/**
 * Coupa's floating action bar (`div.page_buttons_right.orderHeaderShowFloatingSection`) can sit on
 * top of the attachments; on old themes it covers the whole page and takes every click meant for
 * a click-to-download widget. Every document of a worker's context hides it from its first moment
 * with a style rule (an init script, page-reporter.ts), so bars added later by the page's own
 * scripts are hidden too and no click has to wait for a round trip into a busy page first.
 * Nobody looks at a worker's pages: the bar's buttons are never needed.
 */

export const FLOATING_BAR_SELECTOR = 'div.page_buttons_right.orderHeaderShowFloatingSection';

/** Runs in every document. A constructed style sheet needs no element: it works before the parser starts. */
function hideFloatingBar(selector: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`${selector} { display: none !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export const HIDE_FLOATING_BAR_SCRIPT = `(${hideFloatingBar.toString()})(${JSON.stringify(FLOATING_BAR_SELECTOR)});`;
