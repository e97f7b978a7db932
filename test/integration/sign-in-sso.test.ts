import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { loadSession, runLogin } from '../../src/browser/login-session.ts';
import { checkSignedIn, signedInState, signInWithPassword, waitForInteractiveLogin } from '../../src/coupa/sign-in.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isRoot, launchTestBrowser, testBrowserPath } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';

const signal = (): AbortSignal => AbortSignal.timeout(60_000);

describe('signing in through the company SSO (simulator in sso mode)', () => {
  let sim: Simulator;
  let browser: Browser;

  before(async () => {
    sim = await startSimulator({ pos: 12, heavyPages: false, auth: { mode: 'sso' } });
    browser = await launchTestBrowser();
  });

  after(async () => {
    await browser.close();
    await sim.close();
  });

  it('is signed out on the identity provider first, and signed in after the SSO chain', async () => {
    await using context = await browser.newContext();
    const before = await checkSignedIn(context, sim.url, signal(), { settleMs: 500 });
    assert.equal(before.signedIn, false);
    assert.ok(!before.signedIn && before.landedOn.startsWith(`${sim.idpUrl}/idp/login`), 'lands on the IdP');

    const page = await context.newPage();
    await page.goto(`${sim.url}/order_headers/100001`);
    await Promise.all([waitForInteractiveLogin(page, sim.url, signal()), page.click('#idp_sign_in')]);
    assert.equal(new URL(page.url()).pathname, '/order_headers/100001');

    assert.deepEqual(await checkSignedIn(context, sim.url, signal()), { signedIn: true });
  });

  it('counts as signed in when the Coupa session ended but the identity provider still knows the user', async () => {
    const expiring = await startSimulator({ pos: 12, heavyPages: false, auth: { mode: 'sso', expireAfterPageViews: 1 } });
    try {
      await using context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${expiring.url}/user/home`);
      await Promise.all([waitForInteractiveLogin(page, expiring.url, signal()), page.click('#idp_sign_in')]);
      // The one page view allowed is spent: the next one runs the SSO chain again, without a click.
      assert.deepEqual(await checkSignedIn(context, expiring.url, signal()), { signedIn: true });
    } finally {
      await expiring.close();
    }
  });

  it('hands over the session of a signed-in context, with the site storage of the Coupa page, and null when signed out', async () => {
    await using signedOut = await browser.newContext();
    assert.equal(await signedInState(signedOut, sim.url, signal(), { settleMs: 500 }), null);

    await using context = await browser.newContext({ storageState: sim.createStorageState() });
    const page = await context.newPage();
    await page.goto(`${sim.url}/user/home`);
    await page.evaluate(() => localStorage.setItem('coupa-dl-test', 'kept'));
    await page.close();
    const state = await signedInState(context, sim.url, signal());
    assert.ok(state !== null);
    assert.deepEqual(state.cookies.map((cookie) => cookie.name), sim.createStorageState().cookies.map((cookie) => cookie.name));
    assert.deepEqual(state.origins.find((origin) => origin.origin === sim.url)?.localStorage, [{ name: 'coupa-dl-test', value: 'kept' }]);
  });

  it('ends the wait with SIGNED_OUT when the user closes the window', async () => {
    await using context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sim.url}/user/home`);
    const waiting = assert.rejects(waitForInteractiveLogin(page, sim.url, signal()), (error: unknown) => error instanceof CoupaDlError && error.code === 'SIGNED_OUT');
    await page.close();
    await waiting;
  });

  it('says to use the interactive login when the instance has no password form', async () => {
    await using context = await browser.newContext();
    await assert.rejects(signInWithPassword(context, sim.url, { username: 'demo', password: 'demo' }, signal()), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'SIGNED_OUT');
      assert.match(error.hint ?? '', /coupa-dl login/);
      return true;
    });
  });

  it('runLogin saves a private session file that a new context can open a PO page with', async () => {
    const appDir = await tempDir('coupa-dl-test-login-');
    try {
      const file = await runLogin({
        executablePath: testBrowserPath,
        baseUrl: sim.url,
        appDir: appDir.path,
        headless: true,
        isRoot: isRoot(),
        signal: signal(),
        waitForLogin: (page, s) => waitForInteractiveLogin(page, sim.url, s),
        onReady: (page) => page.click('#idp_sign_in'),
      });
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const storageState = await loadSession(file);
      assert.ok(storageState !== undefined);
      assert.ok(storageState.cookies.some((c) => c.name === '_coupa_session'));

      await using context = await browser.newContext({ storageState });
      const page = await context.newPage();
      await page.goto(`${sim.url}/order_headers/100001`);
      assert.equal(new URL(page.url()).pathname, '/order_headers/100001');
      assert.equal(await page.locator('h1#pageHeader').count(), 1);
    } finally {
      await appDir.remove();
    }
  });
});
