import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { listProfiles, profileRoots, resolveProfile, type ProfileRoot } from '../../../src/browser/profiles.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

describe('profileRoots', () => {
  it('points at the User Data folders in LOCALAPPDATA on Windows, Edge first', () => {
    const roots = profileRoots('win32', { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'C:\\Users\\ana');
    assert.deepEqual(roots.slice(0, 2), [
      { browser: 'edge', path: 'C:\\Users\\ana\\AppData\\Local\\Microsoft\\Edge\\User Data' },
      { browser: 'chrome', path: 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\User Data' },
    ]);
  });

  it('points at Application Support on macOS and ~/.config (or XDG_CONFIG_HOME) on Linux', () => {
    assert.equal(profileRoots('darwin', {}, '/Users/ana')[0]?.path, '/Users/ana/Library/Application Support/Microsoft Edge');
    assert.equal(profileRoots('darwin', {}, '/Users/ana')[1]?.path, '/Users/ana/Library/Application Support/Google/Chrome');
    assert.equal(profileRoots('linux', {}, '/home/ana')[0]?.path, '/home/ana/.config/microsoft-edge');
    assert.equal(profileRoots('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')[1]?.path, '/cfg/google-chrome');
  });
});

describe('listProfiles and resolveProfile on a synthetic root', () => {
  let temp: string;
  let tempFolder: TempDir | undefined;
  let roots: ProfileRoot[];

  before(async () => {
    tempFolder = await tempDir('coupa-dl-test-profiles-');
    temp = tempFolder.path;
    const edge = path.join(temp, 'edge');
    for (const dir of ['Default', 'Profile 1', 'Profile 10', 'Profile 2', 'System Profile', 'Crashpad']) {
      await mkdir(path.join(edge, dir), { recursive: true });
    }
    const infoCache = { Default: { name: 'Personal' }, 'Profile 1': { name: 'Work (Contoso)' }, 'Profile 2': {}, 'Profile 9': { name: 'Deleted' } };
    await writeFile(path.join(edge, 'Local State'), JSON.stringify({ profile: { info_cache: infoCache } }));
    // Chromium's lock: a symlink to "<host>-<pid>" that does not exist as a file.
    await symlink('somehost-12345', path.join(edge, 'SingletonLock'));
    const chrome = path.join(temp, 'chrome');
    await mkdir(path.join(chrome, 'Default'), { recursive: true });
    roots = [
      { browser: 'edge', path: edge },
      { browser: 'chrome', path: chrome },
      { browser: 'chromium', path: path.join(temp, 'not-installed') },
    ];
  });

  after(async () => tempFolder?.remove());

  it('lists each profile folder with its display name, Default first and in number order', async () => {
    const profiles = await listProfiles(roots);
    assert.deepEqual(
      profiles.map((p) => [p.browser, p.dir, p.name]),
      [
        ['edge', 'Default', 'Personal'],
        ['edge', 'Profile 1', 'Work (Contoso)'],
        ['edge', 'Profile 2', 'Profile 2'],
        ['edge', 'Profile 10', 'Profile 10'],
        ['chrome', 'Default', 'Default'],
      ],
    );
  });

  it('tells a root with a SingletonLock (browser running) from one without', async () => {
    const profiles = await listProfiles(roots);
    assert.equal(profiles.find((p) => p.browser === 'edge')?.rootInUse, true);
    assert.equal(profiles.find((p) => p.browser === 'chrome')?.rootInUse, false);
  });

  it('resolves a display name in any case, or a folder name', async () => {
    assert.equal((await resolveProfile('work (contoso)', roots)).dir, 'Profile 1');
    assert.equal((await resolveProfile('profile 10', roots)).dir, 'Profile 10');
    const first = await resolveProfile('Default', roots);
    assert.equal(first.browser, 'edge');
  });

  it('resolves a path to a profile folder, with its root and display name', async () => {
    const found = await resolveProfile(path.join(roots[0]!.path, 'Profile 1'), roots);
    assert.equal(found.root, roots[0]!.path);
    assert.equal(found.dir, 'Profile 1');
    assert.equal(found.name, 'Work (Contoso)');
  });

  it('reports PROFILE_NOT_FOUND listing the profiles there are', async () => {
    await assert.rejects(resolveProfile('Marketing', roots), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'PROFILE_NOT_FOUND');
      assert.match(error.message, /"Marketing"/);
      assert.match(error.message, /Work \(Contoso\)/);
      assert.match(error.message, /chrome: "Default"/);
      return true;
    });
  });
});
