import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { StateStore } from '../../../src/state/state-store.ts';
import type { StateStoreOptions } from '../../../src/state/state-store.ts';
import { stateFilePath } from '../../../src/state/state-file-path.ts';
import { tempDir } from '../../support/temp-dir.ts';

const temp = await tempDir('coupa-dl-lock-');
after(() => temp.remove());
const root = temp.path;
let folders = 0;
const newFile = (): string => stateFilePath(join(root, `out-${++folders}`));
const run = { command: 'download', inputPath: 'pos.csv', baseUrl: 'https://acme.coupahost.com' };
const process111: StateStoreOptions = { pid: 111, host: 'laptop', isAlive: () => true };

function assertLockedBy(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CoupaDlError);
    assert.equal(error.code, 'OUTPUT_NOT_WRITABLE');
    assert.match(error.message, pattern);
    assert.ok(error.hint);
    return true;
  });
}

describe('run lock', () => {
  it('refuses a second run on the same output folder while the first one still runs', () => {
    const file = newFile();
    using first = StateStore.open(file, process111);
    first.beginRun(run);
    using second = StateStore.open(file, { pid: 222, host: 'laptop', isAlive: (pid) => pid === 111 });
    assertLockedBy(() => second.beginRun(run), /Another coupa-dl run \(PID 111 on laptop.*\) is using this output folder/);
  });

  it('tells a busy folder from a free one before a run writes anything', () => {
    const file = newFile();
    StateStore.assertFree(file);
    using first = StateStore.open(file, process111);
    first.beginRun(run);
    assertLockedBy(() => StateStore.assertFree(file, { pid: 222, host: 'laptop', isAlive: (pid) => pid === 111 }), /PID 111 on laptop/);
    StateStore.assertFree(file, { pid: 222, host: 'laptop', isAlive: () => false });
  });

  it('takes over a lock left by a process that is gone', () => {
    const file = newFile();
    const dead = StateStore.open(file, process111);
    dead.beginRun(run);
    using next = StateStore.open(file, { pid: 222, host: 'laptop', isAlive: () => false });
    assert.equal(typeof next.beginRun(run), 'number');
    dead.close();
  });

  it('counts a lock held from another machine as taken, since its PID cannot be checked here', () => {
    const file = newFile();
    using first = StateStore.open(file, { ...process111, host: 'desktop' });
    first.beginRun(run);
    using second = StateStore.open(file, { pid: 222, host: 'laptop', isAlive: () => false });
    assertLockedBy(() => second.beginRun(run), /PID 111 on desktop/);
  });

  it('frees the folder when a run ends, and when its store closes without ending the run', () => {
    const file = newFile();
    const stillAlive = { pid: 222, host: 'laptop', isAlive: () => true };
    using first = StateStore.open(file, process111);
    first.endRun(first.beginRun(run), { interrupted: false });
    using second = StateStore.open(file, stillAlive);
    second.beginRun(run);
    second.close();
    using third = StateStore.open(file, process111);
    assert.equal(typeof third.beginRun(run), 'number');
  });

  it('keeps everything a SIGKILLed run wrote and lets the next run take over its lock', () => {
    const file = newFile();
    const child = join(root, 'crashing-run.ts');
    const storeUrl = pathToFileURL(join(import.meta.dirname, '../../../src/state/state-store.ts')).href;
    writeFileSync(
      child,
      `import { StateStore } from ${JSON.stringify(storeUrl)};
       const store = StateStore.open(${JSON.stringify(file)});
       store.beginRun({ command: 'download', inputPath: 'pos.csv', baseUrl: 'https://acme.coupahost.com' });
       store.ensurePos([{ poNumber: 'PO100001', poId: '100001', folderLevels: null }]);
       store.markRunning('100001', { attempt: 1, workerId: 1 });
       store.recordFile('100001', { poNumber: 'PO100001', name: 'a.pdf', relativePath: 'S/PO100001__WORK/a.pdf',
         sizeBytes: 3, sha256: 'ab', sourceUrl: 'https://acme.coupahost.com/a.pdf', kind: 'file', origin: 'po' });
       process.kill(process.pid, 'SIGKILL');`,
    );
    const result = spawnSync(process.execPath, [child], { encoding: 'utf8' });
    assert.equal(result.signal, 'SIGKILL', result.stderr);

    using next = StateStore.open(file);
    next.beginRun(run);
    assert.deepEqual(next.listFiles().map((f) => f.relativePath), ['S/PO100001__WORK/a.pdf']);
    assert.equal(next.recoverInterrupted(), 1);
    assert.equal(next.getPo('100001')?.state, 'PENDING');
  });
});
