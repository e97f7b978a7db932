import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appDataDir, runLogin } from '../../src/browser/login-session.ts';
import type { StorageState } from '../../src/browser/launch.ts';
import { waitForInteractiveLogin } from '../../src/coupa/sign-in.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isRoot, testBrowserPath } from '../support/browser.ts';
import { runCli, writeSession, writeSheet } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';

/**
 * Runs against an instance that signs in through the company's SSO (simulator in sso mode): the
 * redirect chain at the start, expiry mid-batch, no session at all, and the session `login` saves.
 */
describe('coupa-dl run on an SSO instance', () => {
  let work: { path: string; remove(): Promise<void> };
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });

  /** What the browser keeps after one sign-in, minus Coupa's own session: only the IdP's "remember me". */
  async function idpOnlyState(sim: Simulator, appDir: string): Promise<StorageState> {
    const file = await runLogin({
      executablePath: testBrowserPath, baseUrl: sim.url, appDir, headless: true, isRoot: isRoot(), signal: AbortSignal.timeout(60_000),
      waitForLogin: (page, signal) => waitForInteractiveLogin(page, sim.url, signal),
      onReady: (page) => page.click('#idp_sign_in'),
    });
    const state = JSON.parse(await readFile(file, 'utf8')) as StorageState;
    const idpHost = new URL(sim.idpUrl).hostname;
    const cookies = state.cookies.filter((cookie) => cookie.domain.replace(/^\./, '') === idpHost);
    assert.ok(cookies.length > 0, 'the identity provider remembered the browser');
    assert.ok(!cookies.some((cookie) => cookie.name === '_coupa_session'));
    return { cookies, origins: [] };
  }

  function expectedRows(sim: Simulator, count: number): ExpectedRow[] {
    return sim.truth.pos.slice(0, count).map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));
  }

  before(async () => {
    work = await tempDir('coupa-dl-e2e-sso-');
  });

  after(async () => {
    await work?.remove();
  });

  it('follows the SSO redirect chain at the start with only the identity provider\'s cookie, and completes the batch', async () => {
    const sim = await startSimulator({ pos: 6, seed: 3, heavyPages: false, auth: { mode: 'sso' } });
    try {
      const dir = join(work.path, 'chain');
      const session = await writeSession(join(work.path, 'idp-only.json'), await idpOnlyState(sim, join(dir, 'login-app')));
      const sheet = await writeSheet(join(work.path, 'chain.csv'), sim.truth.pos.map((po) => po.poNumber));
      const run = await runCli(['run', '--input', sheet, '--out', join(dir, 'out'), '--base-url', sim.url, '--storage-state', session, '--workers', '2'], { cwd: work.path, env: env() });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(await checkRun({ outDir: join(dir, 'out'), baseUrl: sim.url, extraColumns: [], rows: expectedRows(sim, 6) }), []);
    } finally {
      await sim.close();
    }
  });

  it('restores the session for everybody when it expires every few pages, and no PO fails', async () => {
    const sim = await startSimulator({ pos: 16, seed: 5, heavyPages: false, auth: { mode: 'sso', expireAfterPageViews: 5 } });
    try {
      const dir = join(work.path, 'expiry');
      const session = await writeSession(join(work.path, 'expiry-idp.json'), await idpOnlyState(sim, join(dir, 'login-app')));
      const sheet = await writeSheet(join(work.path, 'expiry.csv'), sim.truth.pos.map((po) => po.poNumber));
      const signInsBefore = sim.stats().signIns;
      // A download that waits on a page the sign-in took away must not hold the test for the default 5 minutes.
      const run = await runCli(['run', '--input', sheet, '--out', join(dir, 'out'), '--base-url', sim.url, '--storage-state', session, '--workers', '2', '--download-timeout-ms', '30000'], { cwd: work.path, env: env(), timeoutMs: 480_000 });
      assert.deepEqual(await checkRun({ outDir: join(dir, 'out'), baseUrl: sim.url, extraColumns: [], rows: expectedRows(sim, 16) }), [], run.stdout + run.stderr);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /paused: session lost \(SESSION_EXPIRED\)/);
      assert.match(run.stdout, /^.*resumed$/m);
      assert.ok(sim.stats().signIns - signInsBefore >= 3, 'the session was signed in again several times');
    } finally {
      await sim.close();
    }
  });

  it('stops before creating the output folder and points to `coupa-dl login` when not signed in and nobody can sign in', async () => {
    const sim = await startSimulator({ pos: 4, heavyPages: false, auth: { mode: 'sso' } });
    try {
      const out = join(work.path, 'signed-out', 'out');
      const sheet = await writeSheet(join(work.path, 'signed-out.csv'), sim.truth.pos.map((po) => po.poNumber));
      const run = await runCli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--workers', '2'], { cwd: work.path, env: env() });
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /Not signed in to http:\/\/127\.0\.0\.1:\d+/);
      assert.match(run.stderr, /coupa-dl login --base-url http:\/\/127\.0\.0\.1:\d+/);
      assert.equal(existsSync(out), false, 'the output folder was not created');
      assert.equal(sim.stats().fileRequests, 0);
    } finally {
      await sim.close();
    }
  });

  it('uses the session saved by `coupa-dl login` when no --profile or --storage-state is given', async () => {
    const sim = await startSimulator({ pos: 5, seed: 9, heavyPages: false, auth: { mode: 'sso' } });
    try {
      const config = join(work.path, 'login-user');
      // The user's sign-in, played by the test, into the app-data folder the CLI will look in.
      const appDir = appDataDir(process.platform, { XDG_CONFIG_HOME: config }, work.path);
      await runLogin({
        executablePath: testBrowserPath, baseUrl: sim.url, appDir, headless: true, isRoot: isRoot(), signal: AbortSignal.timeout(60_000),
        waitForLogin: (page, signal) => waitForInteractiveLogin(page, sim.url, signal),
        onReady: (page) => page.click('#idp_sign_in'),
      });
      const out = join(work.path, 'saved', 'out');
      const sheet = await writeSheet(join(work.path, 'saved.csv'), sim.truth.pos.map((po) => po.poNumber));
      const run = await runCli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--workers', '2'], { cwd: work.path, env: { XDG_CONFIG_HOME: config, HOME: work.path } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expectedRows(sim, 5) }), []);
    } finally {
      await sim.close();
    }
  });
});
