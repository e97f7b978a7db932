import type { Browser, BrowserContext } from 'playwright-core';
import { parse as parseSetCookie, type Cookie as SetCookie } from 'set-cookie-parser';
import { isBrowserGone } from './browser-error.ts';

/**
 * A request made from Node that Coupa sees as the browser's: the cookies the browser context would
 * send to that address, the browser's user agent, and cookies the answer sets kept in the context.
 */

// The browser's own user agent, so Coupa (and anything in front of it) sees the same client as for pages.
const userAgents = new WeakMap<Browser, Promise<string | null>>();

function userAgentOf(browser: Browser | null): Promise<string | null> {
  if (browser === null) return Promise.resolve(null);
  let agent = userAgents.get(browser);
  if (agent === undefined) {
    agent = (async () => {
      const cdp = await browser.newBrowserCDPSession();
      try {
        const { userAgent } = await cdp.send('Browser.getVersion');
        return userAgent;
      } finally {
        await cdp.detach().catch(() => {});
      }
    })().catch(() => null);
    userAgents.set(browser, agent);
  }
  return agent;
}

/** The headers the browser would send to `url`: its cookies for that address and its user agent. */
export async function browserRequestHeaders(context: BrowserContext, url: string): Promise<Record<string, string>> {
  const [cookies, userAgent] = await Promise.all([context.cookies(url), userAgentOf(context.browser())]);
  const headers: Record<string, string> = { accept: '*/*' };
  if (cookies.length > 0) headers['cookie'] = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  if (userAgent !== null) headers['user-agent'] = userAgent;
  return headers;
}

/** Cookies a response sets (a rolled session, say) go into the browser context, as a browser would keep them. */
export async function keepResponseCookies(context: BrowserContext, url: string, headers: Headers): Promise<void> {
  const lines = headers.getSetCookie();
  if (lines.length === 0) return;
  const from = new URL(url);
  for (const cookie of parseSetCookie(lines, { decodeValues: false })) {
    try {
      await context.addCookies([contextCookie(cookie, from)]);
    } catch (error) {
      // A cookie the browser refuses is one it would not have kept from a page either.
      if (isBrowserGone(error)) throw error;
    }
  }
}

type ContextCookie = Parameters<BrowserContext['addCookies']>[0][number];

function contextCookie(cookie: SetCookie, from: URL): ContextCookie {
  const expires = cookie.maxAge !== undefined ? Date.now() / 1000 + cookie.maxAge : cookie.expires !== undefined ? cookie.expires.getTime() / 1000 : -1;
  const sameSite = { strict: 'Strict', lax: 'Lax', none: 'None' }[cookie.sameSite?.toLowerCase() ?? ''] as ContextCookie['sameSite'];
  return {
    name: cookie.name,
    value: cookie.value,
    // A leading dot shares the cookie with subdomains (a Domain attribute); without one it stays with this host.
    domain: cookie.domain === undefined || cookie.domain === '' ? from.hostname : `.${cookie.domain.replace(/^\./, '')}`,
    path: cookie.path?.startsWith('/') === true ? cookie.path : defaultPath(from),
    expires,
    httpOnly: cookie.httpOnly === true,
    secure: cookie.secure === true,
    ...(sameSite === undefined ? {} : { sameSite }),
  };
}

/** RFC 6265 5.1.4: the request path up to its last `/`. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
