import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/job/app.ts';
import { openSession } from '../../src/job/session/open-session.ts';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isRoot, testBrowserPath } from '../support/browser.ts';
import { writeSession } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const password = 'Integration-Secret-5d2e';

/** The outside world as a run sees it, with no terminal and a private home folder. */
function testApp(home: string, env: Record<string, string> = {}, interrupt = new AbortController().signal): App & { err(): string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return {
    stdout: new PassThrough(), stderr, env: { XDG_CONFIG_HOME: join(home, 'config'), ...env }, cwd: home, platform: process.platform, homedir: home,
    pid: process.pid, isRoot: isRoot(), interrupt, kill: new AbortController().signal, isInteractive: false, commandName: 'npx coupa-dl', err: () => text,
  };
}

const config = (sim: Simulator, extra: { storageState?: string } = {}) => ({ baseUrl: sim.url, browser: testBrowserPath, headed: false, ...extra });

describe('the session every worker starts from', () => {
  let work: { path: string; remove(): Promise<void> };

  before(async () => {
    work = await tempDir('coupa-dl-session-');
  });

  after(async () => {
    await work?.remove();
  });

  it('signs in again with COUPA_PASSWORD after an expiry, rewrites the shared file, and removes its folder at the end', async () => {
    const sim = await startSimulator({ pos: 2, heavyPages: false, auth: { mode: 'password', username: 'ana', password, expireAfterPageViews: 2 } });
    try {
      const app = testApp(work.path, { COUPA_USERNAME: 'ana', COUPA_PASSWORD: password });
      let folder = '';
      {
        await using session = await openSession({ app, config: config(sim) });
        folder = session.tempRoot;
        assert.match(session.source, /password sign-in as ana/);
        const first = await readFile(session.storageStatePath, 'utf8');
        // Signing in and the check at the start used both page views: the session is already spent.
        assert.equal(await session.restore(AbortSignal.timeout(60_000)), true);
        assert.notEqual(await readFile(session.storageStatePath, 'utf8'), first);
        assert.equal((await readFile(session.storageStatePath, 'utf8')).includes(password), false);
      }
      assert.equal(existsSync(folder), false);
      assert.ok(sim.stats().signIns >= 2);
    } finally {
      await sim.close();
    }
  });

  it('says to run `coupa-dl login` and then resume when an expired session cannot come back without a person', async () => {
    const sim = await startSimulator({ pos: 2, heavyPages: false, auth: { mode: 'sso', expireAfterPageViews: 1 } });
    try {
      const state = await writeSession(join(work.path, 'signed-in.json'), sim.createStorageState());
      await using session = await openSession({ app: testApp(work.path), config: config(sim, { storageState: state }) });
      await assert.rejects(session.restore(AbortSignal.timeout(60_000)), (error: unknown) => {
        assert.ok(error instanceof CoupaDlError && error.code === 'SIGNED_OUT');
        assert.match(error.message, /coupa-dl login --base-url http:\/\/127\.0\.0\.1:\d+.*run the same command again to resume/);
        return true;
      });
    } finally {
      await sim.close();
    }
  });

  it('stops with INTERRUPTED and leaves no folder behind when Ctrl-C comes during the sign-in check', async () => {
    const sim = await startSimulator({ pos: 2, heavyPages: false, auth: { mode: 'sso' } });
    try {
      const interrupt = new AbortController();
      const before = await readdirNames();
      const opening = openSession({ app: testApp(work.path, {}, interrupt.signal), config: config(sim) });
      // Mid-way through the identity provider's settle wait (10 s), after the browser has started.
      setTimeout(() => interrupt.abort(new Error('SIGINT')), 5_000);
      await assert.rejects(opening, (error: unknown) => error instanceof CoupaDlError && error.code === 'INTERRUPTED');
      assert.deepEqual((await readdirNames()).filter((name) => !before.includes(name)), []);
    } finally {
      await sim.close();
    }
  });
});

async function readdirNames(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(`coupa-dl-profile-${process.pid}-`));
}
