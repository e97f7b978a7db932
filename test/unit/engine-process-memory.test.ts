import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descendantsOf, processTreeMemoryBytes, processTreePids } from '../../src/engine/process-memory.ts';

test('finds every descendant of the roots and nothing else', () => {
  const rows = [
    { pid: 1, ppid: 0, bytes: 1 },
    { pid: 10, ppid: 1, bytes: 1 },
    { pid: 11, ppid: 10, bytes: 1 },
    { pid: 12, ppid: 11, bytes: 1 },
    { pid: 20, ppid: 1, bytes: 1 },
  ];
  assert.deepEqual(descendantsOf(rows, [10]).map((row) => row.pid).sort(), [10, 11, 12]);
  assert.deepEqual(descendantsOf(rows, [99]), []);
});

test('measures the memory of a live process tree', { skip: process.platform !== 'linux' }, async () => {
  assert.ok((await processTreeMemoryBytes([process.pid])) > 0);
  assert.ok((await processTreePids([process.pid])).includes(process.pid));
  assert.equal(await processTreeMemoryBytes([]), 0);
});
