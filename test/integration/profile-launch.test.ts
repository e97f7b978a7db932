import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { browserVersion } from '../../src/browser/browser-version.ts';
import { launchPersistent, readStorageState } from '../../src/browser/launch.ts';
import { cloneProfile } from '../../src/browser/profile-clone.ts';
import { isRoot, testBrowserPath } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

const launch = { executablePath: testBrowserPath, headless: true, isRoot: isRoot() };

describe('launching a browser on a cloned profile', () => {
  let temp: string;
  let tempFolder: TempDir | undefined;
  let server: Server;
  let origin: string;

  before(async () => {
    tempFolder = await tempDir('coupa-dl-test-launch-');
    temp = tempFolder.path;
    server = createServer((req, res) => {
      if (req.url === '/set') res.setHeader('Set-Cookie', 'seen=yes; Path=/; Max-Age=3600');
      res.setHeader('Content-Type', 'text/html');
      res.end(`<p>cookie: ${req.headers.cookie ?? 'none'}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    origin = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    server.close();
    await tempFolder?.remove();
  });

  it('runs on a clone while the user\'s browser is open on the original, with its cookies, and reads them as a storage state', async () => {
    // A real profile made by Chromium itself, with a cookie in it (closing writes it to disk).
    const root = path.join(temp, 'User Data');
    const profile = { userDataDir: root, profileDirectory: 'Profile 1' };
    const making = await launchPersistent(profile, launch);
    try {
      const page = making.pages()[0] ?? (await making.newPage());
      await page.goto(`${origin}/set`);
    } finally {
      await making.close();
    }

    const users = await launchPersistent(profile, launch);
    try {
      await using clone = await cloneProfile({ root, dir: 'Profile 1' }, { tempRoot: path.join(temp, 'clones') });
      const context = await launchPersistent(clone, launch);
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`${origin}/read`);
        assert.equal(await page.textContent('p'), 'cookie: seen=yes');
        const state = await readStorageState(context);
        assert.deepEqual(state.cookies.map((c) => [c.name, c.value]), [['seen', 'yes']]);
      } finally {
        await context.close();
      }
    } finally {
      await users.close();
    }
  });

  it('says BROWSER_LAUNCH_FAILED in plain words when the profile is already in use', async () => {
    const profile = { userDataDir: path.join(temp, 'busy'), profileDirectory: 'Default' };
    const first = await launchPersistent(profile, launch);
    try {
      await assert.rejects(launchPersistent(profile, launch), (error: unknown) => {
        assert.ok(error instanceof CoupaDlError);
        assert.equal(error.code, 'BROWSER_LAUNCH_FAILED');
        assert.match(error.message, /already in use/);
        assert.match(error.hint ?? '', /Close the other browser/);
        return true;
      });
    } finally {
      await first.close();
    }
  });
});

describe('browserVersion', () => {
  it('reads the version from --version, and by starting the browser where --version prints nothing (Windows)', async () => {
    const printed = await browserVersion(testBrowserPath, { platform: 'linux' });
    assert.match(printed, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(await browserVersion(testBrowserPath, { platform: 'win32', isRoot: isRoot() }), printed);
  });
});
