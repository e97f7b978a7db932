import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { appDataDir, loadSession, loginProfileDir, savedSessionPath, saveSession } from '../../../src/browser/login-session.ts';
import type { StorageState } from '../../../src/browser/launch.ts';
import { tempDir } from '../../support/temp-dir.ts';

const state: StorageState = {
  cookies: [{ name: '_coupa_session', value: 's3cr3t', domain: 'acme.coupahost.com', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' }],
  origins: [],
};

describe('where the tool keeps its login', () => {
  it('uses LOCALAPPDATA on Windows, Application Support on macOS, XDG_CONFIG_HOME or ~/.config on Linux', () => {
    assert.equal(appDataDir('win32', { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'C:\\Users\\ana'), 'C:\\Users\\ana\\AppData\\Local\\CoupaDownloads');
    assert.equal(appDataDir('darwin', {}, '/Users/ana'), '/Users/ana/Library/Application Support/CoupaDownloads');
    assert.equal(appDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana'), '/cfg/coupa-downloads');
    assert.equal(appDataDir('linux', {}, '/home/ana'), '/home/ana/.config/coupa-downloads');
  });

  it('keeps one session file per Coupa host and the login profile beside them', () => {
    const prod = savedSessionPath('/app', 'https://acme.coupahost.com/user/home');
    const test = savedSessionPath('/app', 'https://acme-test.coupahost.com');
    const local = savedSessionPath('/app', 'http://127.0.0.1:4321');
    assert.equal(prod, path.join('/app', 'sessions', 'acme.coupahost.com.json'));
    assert.notEqual(prod, test);
    assert.equal(path.basename(local), '127.0.0.1_4321.json');
    assert.equal(loginProfileDir('/app'), path.join('/app', 'login-profile'));
  });
});

describe('saveSession and loadSession', () => {
  it('writes the session readable by its owner only, leaves no temp file, and reads it back', async () => {
    const dir = await tempDir('coupa-dl-test-session-');
    try {
      const file = path.join(dir.path, 'sessions', 'acme.coupahost.com.json');
      await saveSession(file, state);
      await saveSession(file, state);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(path.dirname(file)), ['acme.coupahost.com.json']);
      assert.deepEqual(await loadSession(file), state);
    } finally {
      await dir.remove();
    }
  });

  it('reads a missing session as none, and a damaged one as SIGNED_OUT without quoting it', async () => {
    const dir = await tempDir('coupa-dl-test-session-');
    try {
      assert.equal(await loadSession(path.join(dir.path, 'none.json')), undefined);
      const file = path.join(dir.path, 'broken.json');
      await writeFile(file, '{"cookies": "s3cr3t"');
      await assert.rejects(loadSession(file), (error: unknown) => {
        assert.ok(error instanceof CoupaDlError);
        assert.equal(error.code, 'SIGNED_OUT');
        assert.doesNotMatch(error.message, /s3cr3t/);
        return true;
      });
    } finally {
      await dir.remove();
    }
  });

  it('refuses, with the reason, a session whose cookies or origins a browser would refuse (found by the fuzz test: they ended "Unexpected error")', async () => {
    const dir = await tempDir('coupa-dl-test-session-');
    const cases: [string, RegExp][] = [
      ['{"cookies": [{"name": 5, "value": null}], "origins": []}', /cookie 1 has no text name and value/],
      ['{"cookies": [{"name": "a", "value": "b"}], "origins": []}', /cookie 1 \("a"\) has neither a domain and path nor a url/],
      ['{"cookies": [], "origins": [{"origin": 7, "localStorage": "x"}]}', /origin 1 has no text origin/],
      ['', /it is not JSON/],
      ['{"cookies": {}, "origins": []}', /no "cookies" and "origins" lists/],
    ];
    try {
      for (const [index, [text, reason]] of cases.entries()) {
        const file = path.join(dir.path, `case-${index}.json`);
        await writeFile(file, text);
        await assert.rejects(loadSession(file), (error: unknown) => error instanceof CoupaDlError && error.code === 'SIGNED_OUT' && reason.test(error.message) && error.hint !== undefined);
      }
      const good = path.join(dir.path, 'good.json');
      await writeFile(good, JSON.stringify(state));
      assert.deepEqual(await loadSession(good), state);
    } finally {
      await dir.remove();
    }
  });
});

