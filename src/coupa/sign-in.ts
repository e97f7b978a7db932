import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { closeTab } from './close-tab.ts';
import { isSignInUrl, SIGN_IN_FORM_SELECTOR } from './sign-in-page.ts';
import { abortable } from './abortable.ts';

export type SignInCheck = { signedIn: true } | { signedIn: false; landedOn: string };

/** A context's cookies and site storage, as Playwright saves and restores them. */
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface Credentials {
  username: string;
  password: string;
}

const FLASH_ERROR_SELECTOR = 'div.flash_error, div.flash-error, #error_explanation';

/** On the Coupa origin, off its sign-in pages, and no password form: a signed-in Coupa page. */
async function onCoupaPage(page: Page, baseUrl: string): Promise<boolean> {
  if (isSignInUrl(page.url(), baseUrl)) return false;
  return (await page.locator(SIGN_IN_FORM_SELECTOR).count()) === 0;
}

/** Runs `work` on a fresh page that is closed afterwards, and at once when the signal aborts. */
async function withPage<T>(context: BrowserContext, signal: AbortSignal, work: (page: Page) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const page = await context.newPage();
  try {
    return await abortable(work(page), signal);
  } finally {
    await closeTab(page);
  }
}

export interface CheckSignedInOptions {
  /**
   * How long to let an SSO chain that ended off Coupa come back by itself (identity providers
   * that still know the user post straight back). After that, it is waiting for a person.
   */
  settleMs?: number;
}

/** Opens the Coupa home page and reports whether it shows Coupa or a sign-in page. */
export async function checkSignedIn(context: BrowserContext, baseUrl: string, signal: AbortSignal, options: CheckSignedInOptions = {}): Promise<SignInCheck> {
  return withPage(context, signal, (page) => checkOnPage(page, baseUrl, options));
}

/**
 * The context's session (its storage state) when it is signed in to Coupa, else null. Read while
 * the Coupa page is still open: Playwright reads a site's storage from an open page of that site,
 * and would otherwise open a page of its own for it (~0.1 s before a run's first PO).
 */
export async function signedInState(context: BrowserContext, baseUrl: string, signal: AbortSignal, options: CheckSignedInOptions = {}): Promise<StorageState | null> {
  return withPage(context, signal, async (page) => ((await checkOnPage(page, baseUrl, options)).signedIn ? await context.storageState() : null));
}

async function checkOnPage(page: Page, baseUrl: string, options: CheckSignedInOptions): Promise<SignInCheck> {
  const response = await page.goto(new URL('/user/home', baseUrl).href, { waitUntil: 'domcontentloaded', timeout: 0 });
  if (response?.status() === 401) return { signedIn: false, landedOn: page.url() };
  if (await onCoupaPage(page, baseUrl)) return { signedIn: true };
  // Coupa's own password form waits for a person; anything else may still be an SSO chain in flight.
  if ((await page.locator(SIGN_IN_FORM_SELECTOR).count()) === 0) {
    const back = await page
      .waitForURL((url) => !isSignInUrl(url.href, baseUrl), { timeout: options.settleMs ?? 10_000, waitUntil: 'domcontentloaded' })
      .then(() => true, () => false);
    if (back && (await onCoupaPage(page, baseUrl))) return { signedIn: true };
  }
  return { signedIn: false, landedOn: page.url() };
}

/**
 * Signs in on Coupa's own password form. For instances that sign in through the company's SSO
 * there is no form: that is reported as SIGNED_OUT with a pointer to `coupa-dl login`.
 */
export async function signInWithPassword(context: BrowserContext, baseUrl: string, credentials: Credentials, signal: AbortSignal): Promise<void> {
  await withPage(context, signal, async (page) => {
    await page.goto(new URL('/user/home', baseUrl).href, { waitUntil: 'domcontentloaded', timeout: 0 });
    if (await onCoupaPage(page, baseUrl)) return;
    if ((await page.locator('#user_login').count()) === 0) {
      throw new CoupaDlError('SIGNED_OUT', `${new URL(baseUrl).host} did not show Coupa's password form (it sent the browser to ${new URL(page.url()).host}).`, {
        hint: 'This instance probably signs in through your company\'s SSO: run `coupa-dl login` and sign in in the browser window.',
      });
    }
    await page.fill('#user_login', credentials.username, { timeout: 0 });
    await page.fill('#user_password', credentials.password, { timeout: 0 });
    const submitted = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 0 });
    await page.click('#login_button', { timeout: 0 });
    await submitted;
    await page.waitForLoadState('domcontentloaded', { timeout: 0 });
    if (await onCoupaPage(page, baseUrl)) return;
    const flash = (await page.locator(FLASH_ERROR_SELECTOR).allInnerTexts()).join(' ').replaceAll(credentials.password, '***').trim();
    throw new CoupaDlError('SIGNED_OUT', `Coupa did not accept the sign-in for user "${credentials.username}"${flash === '' ? '.' : `: ${flash}`}`, {
      hint: 'Check the user name and password (or sign in interactively with `coupa-dl login`).',
    });
  });
}

/**
 * Waits, as long as the signal allows, until the user has signed in in a visible browser by
 * whatever means their company uses: done when the page is back on a Coupa page (for SSO,
 * after `/sessions/saml_post`). Closing the window ends the wait with SIGNED_OUT.
 */
export async function waitForInteractiveLogin(page: Page, baseUrl: string, signal: AbortSignal): Promise<void> {
  const waitForCoupa = async (): Promise<void> => {
    for (;;) {
      await page.waitForURL((url) => !isSignInUrl(url.href, baseUrl), { timeout: 0, waitUntil: 'domcontentloaded' });
      if (await onCoupaPage(page, baseUrl)) return;
      // A Coupa page that still shows the password form: wait for the next page.
      await page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 0 });
    }
  };
  try {
    await abortable(waitForCoupa(), signal);
  } catch (error) {
    if (signal.aborted || !page.isClosed()) throw error;
    throw new CoupaDlError('SIGNED_OUT', 'The browser window was closed before signing in to Coupa finished.', {
      cause: error,
      hint: 'Run `coupa-dl login` again and sign in in the window that opens.',
    });
  }
}
