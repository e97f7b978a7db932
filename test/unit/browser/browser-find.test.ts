import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { findBrowser, type BrowserSearchEnv } from '../../../src/browser/find-browser.ts';
import { parseVersion } from '../../../src/browser/browser-version.ts';

function machine(platform: NodeJS.Platform, installed: string[], env: Record<string, string | undefined> = {}): BrowserSearchEnv {
  return { platform, env, exists: (p) => installed.includes(p) };
}

const winEnv = {
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local',
};

describe('findBrowser', () => {
  it('finds Edge under Program Files (x86) on Windows, before Chrome', () => {
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    assert.deepEqual(findBrowser(undefined, machine('win32', [chrome, edge], winEnv)), { kind: 'edge', executablePath: edge });
  });

  it('finds a per-user Chrome in LOCALAPPDATA on Windows', () => {
    const chrome = 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    assert.deepEqual(findBrowser(undefined, machine('win32', [chrome], winEnv)), { kind: 'chrome', executablePath: chrome });
  });

  it('finds Chrome in /Applications on macOS', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    assert.deepEqual(findBrowser(undefined, machine('darwin', [chrome])), { kind: 'chrome', executablePath: chrome });
  });

  it('falls back to Chromium on Linux, including the snap', () => {
    assert.deepEqual(findBrowser(undefined, machine('linux', ['/snap/bin/chromium'])), { kind: 'chromium', executablePath: '/snap/bin/chromium' });
    assert.deepEqual(findBrowser(undefined, machine('linux', ['/usr/bin/microsoft-edge-stable', '/usr/bin/chromium'])), {
      kind: 'edge',
      executablePath: '/usr/bin/microsoft-edge-stable',
    });
  });

  it('looks only for the browser the user chose', () => {
    const found = findBrowser('chrome', machine('linux', ['/usr/bin/microsoft-edge', '/usr/bin/google-chrome']));
    assert.deepEqual(found, { kind: 'chrome', executablePath: '/usr/bin/google-chrome' });
  });

  it('takes COUPA_BROWSER when no choice is passed, and the choice over COUPA_BROWSER', () => {
    const search = machine('linux', ['/opt/custom/chrome', '/usr/bin/chromium'], { COUPA_BROWSER: '/opt/custom/chrome' });
    assert.deepEqual(findBrowser(undefined, search), { kind: 'custom', executablePath: '/opt/custom/chrome' });
    assert.deepEqual(findBrowser('chromium', search), { kind: 'chromium', executablePath: '/usr/bin/chromium' });
  });

  it('reports NO_BROWSER for a path that does not exist', () => {
    assert.throws(() => findBrowser('/nowhere/chrome', machine('linux', [])), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'NO_BROWSER');
      assert.match(error.message, /\/nowhere\/chrome/);
      return true;
    });
  });

  it('lists every place it looked in and says how to fix it when no browser is installed', () => {
    assert.throws(() => findBrowser(undefined, machine('win32', [], winEnv)), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'NO_BROWSER');
      for (const place of [
        'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
        'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Users\\ana\\AppData\\Local\\Chromium\\Application\\chrome.exe',
      ]) {
        assert.ok(error.message.includes(place), `message should list ${place}`);
      }
      assert.match(error.hint ?? '', /--browser <path>/);
      assert.match(error.hint ?? '', /Install Microsoft Edge or Google Chrome/);
      return true;
    });
  });
});

describe('parseVersion', () => {
  it('reads the version from what browsers print for --version', () => {
    assert.equal(parseVersion('Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)\n'), '156.0.8078.79');
    assert.equal(parseVersion('Microsoft Edge 131.0.2903.112 '), '131.0.2903.112');
    assert.equal(parseVersion(''), undefined);
  });
});
