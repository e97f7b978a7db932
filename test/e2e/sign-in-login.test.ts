import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appDataDir, loadSession, savedSessionPath } from '../../src/browser/login-session.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * `coupa-dl login` as a user runs it. Signing in through the company's IdP in a visible window is
 * played by the test in test/e2e/sign-in-sso.test.ts (runLogin with a click); here: what the command says.
 */
describe('coupa-dl login', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path, ...extra });

  before(async () => {
    // An instance that lets every browser in: the window has nothing to wait for.
    sim = await startSimulator({ pos: 2, heavyPages: false, auth: { mode: 'none' } });
    work = await tempDir('coupa-dl-e2e-login-');
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('says plainly that it needs a desktop session when there is no display', async () => {
    const run = await runCli(['login', '--base-url', sim.url], { cwd: work.path, env: { ...env(), DISPLAY: '', WAYLAND_DISPLAY: '' } });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /needs a desktop session to show a browser window/);
    assert.match(run.stderr, /What to do: Run `coupa-dl login` on a desktop/);
  });

  it('asks for the Coupa address when none is given by flag, variable or config file', async () => {
    const run = await runCli(['login'], { cwd: work.path, env: env() });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /Missing --base-url.*COUPA_BASE_URL/);
  });

  it('saves the session readable only by the user, says where, and names the next command', async () => {
    const run = await runCli(['login', '--headless'], { cwd: work.path, env: env({ COUPA_BASE_URL: sim.url }) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const file = savedSessionPath(appDataDir(process.platform, { XDG_CONFIG_HOME: join(work.path, 'config') }, work.path), sim.url);
    assert.ok(run.stdout.includes(`Session saved to ${file}`), run.stdout);
    assert.ok(run.stdout.includes(`Next: npx coupa-dl run --input`), run.stdout);
    assert.ok(run.stdout.includes(`--base-url ${sim.url}`), run.stdout);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok((await loadSession(file)) !== undefined);
  });
});
