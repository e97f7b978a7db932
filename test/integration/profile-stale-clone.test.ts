import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { removeStaleClones } from '../../src/browser/profile-clone.ts';
import { isProcessAlive } from '../../src/state/run-lock.ts';
import { tempDir } from '../support/temp-dir.ts';

const cloneModule = pathToFileURL(path.resolve(import.meta.dirname, '../../src/browser/profile-clone.ts')).href;

it('removes the clone left behind by a run that was killed with SIGKILL', async () => {
  const temp = await tempDir('coupa-dl-test-killed-');
  try {
    const root = path.join(temp.path, 'User Data');
    const tempRoot = path.join(temp.path, 'clones');
    await mkdir(path.join(root, 'Default'), { recursive: true });
    await writeFile(path.join(root, 'Local State'), '{}');
    await writeFile(path.join(root, 'Default', 'Preferences'), '{}');
    // The child clones, says where, then waits to be killed (it never gets to clean up).
    const script = `
      const { cloneProfile } = await import(${JSON.stringify(cloneModule)});
      const clone = await cloneProfile({ root: ${JSON.stringify(root)}, dir: 'Default' }, { tempRoot: ${JSON.stringify(tempRoot)} });
      console.log(clone.userDataDir);
      setInterval(() => {}, 60_000);
    `;
    // process.execPath is the Node 24 running this test, so SIGKILL reaches the cloning process itself.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    assert.ok(existsSync(line), 'the child made its clone');
    child.kill('SIGKILL');
    await exited;
    assert.equal(existsSync(line), true, 'a killed run leaves its clone');

    const removed = await removeStaleClones(tempRoot, isProcessAlive);
    assert.deepEqual(removed, [line]);
    assert.equal(existsSync(line), false);
  } finally {
    await temp.remove();
  }
});

it('keeps the clones of processes that are still running', async () => {
  const tempRoot = await tempDir('coupa-dl-test-alive-');
  try {
    const mine = path.join(tempRoot.path, `coupa-dl-profile-${process.pid}-abcdef`);
    await mkdir(mine);
    assert.deepEqual(await removeStaleClones(tempRoot.path, isProcessAlive), []);
    assert.equal(existsSync(mine), true);
  } finally {
    await tempRoot.remove();
  }
});
