import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { checkSignedIn, signInWithPassword } from '../../src/coupa/sign-in.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

const signal = (): AbortSignal => AbortSignal.timeout(60_000);
const username = 'ana.buyer';
const password = 'Tr0ub4dor&3-secret';

describe('signing in with Coupa\'s password form (simulator in password mode)', () => {
  let sim: Simulator;
  let browser: Browser;

  before(async () => {
    sim = await startSimulator({ pos: 12, heavyPages: false, auth: { mode: 'password', username, password } });
    browser = await launchTestBrowser();
  });

  after(async () => {
    await browser.close();
    await sim.close();
  });

  it('is signed out on the password form, and signed in after the right password', async () => {
    await using context = await browser.newContext();
    const before = await checkSignedIn(context, sim.url, signal());
    assert.equal(before.signedIn, false);
    assert.ok(!before.signedIn && new URL(before.landedOn).pathname === '/sessions/new');

    await signInWithPassword(context, sim.url, { username, password }, signal());
    assert.deepEqual(await checkSignedIn(context, sim.url, signal()), { signedIn: true });
    const page = await context.newPage();
    await page.goto(`${sim.url}/order_headers/100001`);
    assert.equal(new URL(page.url()).pathname, '/order_headers/100001');
  });

  it('reports a wrong password as SIGNED_OUT with Coupa\'s message and without the password', async () => {
    await using context = await browser.newContext();
    const wrong = 'Wr0ng-secret-!';
    await assert.rejects(signInWithPassword(context, sim.url, { username, password: wrong }, signal()), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'SIGNED_OUT');
      assert.match(error.message, /Invalid login or password/);
      assert.ok(!error.message.includes(wrong) && !(error.hint ?? '').includes(wrong), 'no password in the error');
      return true;
    });
    assert.equal((await checkSignedIn(context, sim.url, signal())).signedIn, false);
  });

  it('stops at once when the run is cancelled', async () => {
    await using context = await browser.newContext();
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(signInWithPassword(context, sim.url, { username, password }, controller.signal), /cancelled by the user/);
    assert.equal(context.pages().length, 0);
  });
});
