import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cloneProfile, removeStaleClones, CLONE_PREFIX } from '../../../src/browser/profile-clone.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

/** Every regular file under a folder with its SHA-256, to prove the original is never changed. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, full)] = createHash('sha256').update(await readFile(full)).digest('hex');
  }
  return result;
}

async function allNames(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((p) => p.split(path.sep).join('/'));
}

describe('cloneProfile', () => {
  let temp: string;
  let tempFolder: TempDir | undefined;
  let root: string;
  let tempRoot: string;

  before(async () => {
    tempFolder = await tempDir('coupa-dl-test-clone-');
    temp = tempFolder.path;
    root = path.join(temp, 'User Data');
    tempRoot = path.join(temp, 'clones');
    const profile = path.join(root, 'Profile 1');
    await mkdir(path.join(profile, 'Network'), { recursive: true });
    await mkdir(path.join(profile, 'Local Storage', 'leveldb'), { recursive: true });
    await writeFile(path.join(root, 'Local State'), JSON.stringify({ os_crypt: { encrypted_key: 'k' } }));
    await writeFile(path.join(profile, 'Preferences'), '{"profile":{"name":"Work"}}');
    await writeFile(path.join(profile, 'Network', 'Cookies'), 'cookie database');
    await writeFile(path.join(profile, 'Local Storage', 'leveldb', '000003.log'), 'storage');
    for (const cache of ['Cache/Cache_Data', 'Code Cache/js', 'GPUCache', 'Service Worker/CacheStorage', 'Sessions', 'optimization_guide_model_store']) {
      await mkdir(path.join(profile, cache), { recursive: true });
      await writeFile(path.join(profile, cache, 'data_0'), 'cached bytes');
    }
    await writeFile(path.join(profile, 'Current Session'), 'tabs');
    await symlink('somehost-4242', path.join(root, 'SingletonLock'));
    await symlink('somehost-4242', path.join(profile, 'SingletonLock'));
    await writeFile(path.join(profile, 'lockfile'), '');
    // Root ignores file permissions, so unreadable entries are simulated: a FIFO (reading it
    // would block forever) and a symlink to a file that is gone.
    execFileSync('mkfifo', [path.join(profile, 'pipe')]);
    await symlink(path.join(temp, 'gone'), path.join(profile, 'Dangling'));
  });

  after(async () => tempFolder?.remove());

  it('copies Local State and the profile without caches, session files or locks, leaving the original as it was', async () => {
    const before = await fingerprint(root);
    await using clone = await cloneProfile({ root, dir: 'Profile 1' }, { tempRoot });
    assert.deepEqual(await fingerprint(root), before);
    assert.equal(clone.profileDirectory, 'Profile 1');
    const names = await allNames(clone.userDataDir);
    for (const kept of ['Local State', 'Profile 1/Preferences', 'Profile 1/Network/Cookies', 'Profile 1/Local Storage/leveldb/000003.log']) {
      assert.ok(names.includes(kept), `clone should contain ${kept}`);
    }
    assert.equal(await readFile(path.join(clone.userDataDir, 'Profile 1', 'Network', 'Cookies'), 'utf8'), 'cookie database');
    const unwanted = names.filter((n) => /Singleton|lockfile|Cache|Service Worker|Sessions|Current Session|optimization_guide/.test(n));
    assert.deepEqual(unwanted, []);
  });

  it('reports what could not be read in skipped instead of failing', async () => {
    await using clone = await cloneProfile({ root, dir: 'Profile 1' }, { tempRoot });
    const skipped = [...clone.skipped].sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(skipped.map((s) => s.path), ['Profile 1/Dangling', 'Profile 1/pipe']);
    assert.match(skipped[0]?.reason ?? '', /ENOENT/);
    assert.match(skipped[1]?.reason ?? '', /not a regular file/);
  });

  it('makes a private folder named after the owner process and removes it on dispose', async () => {
    let dir: string;
    {
      await using clone = await cloneProfile({ root, dir: 'Profile 1' }, { tempRoot, pid: 777 });
      dir = clone.userDataDir;
      assert.ok(path.basename(dir).startsWith(`${CLONE_PREFIX}777-`));
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
    }
    assert.equal(existsSync(dir), false);
  });
});

describe('removeStaleClones', () => {
  it('removes clones whose process is gone and keeps those of live processes and other folders', async () => {
    const tempRoot = await tempDir('coupa-dl-test-stale-');
    try {
      for (const name of [`${CLONE_PREFIX}111-aaaaaa`, `${CLONE_PREFIX}222-bbbbbb`, 'someone-else-111']) {
        await mkdir(path.join(tempRoot.path, name, 'Default'), { recursive: true });
      }
      const removed = await removeStaleClones(tempRoot.path, (pid) => pid === 222);
      assert.deepEqual(removed, [path.join(tempRoot.path, `${CLONE_PREFIX}111-aaaaaa`)]);
      assert.deepEqual((await readdir(tempRoot.path)).sort(), [`${CLONE_PREFIX}222-bbbbbb`, 'someone-else-111']);
    } finally {
      await tempRoot.remove();
    }
  });
});
