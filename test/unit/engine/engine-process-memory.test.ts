import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descendantsOf, processTreeMemoryBytes, processTreePids, processTreesMemoryBytes } from '../../../src/engine/process-memory.ts';

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

test('measures several trees from one look at the process table, each tree on its own', { skip: process.platform !== 'linux' }, async () => {
  const [mine, none, again] = await processTreesMemoryBytes([[process.pid], [], [process.pid]]);
  assert.ok(mine !== undefined && mine > 0);
  assert.equal(none, 0);
  // The same process in two groups counts in each (the pool never passes overlapping groups).
  assert.equal(again, mine);
  assert.deepEqual(await processTreesMemoryBytes([[], []]), [0, 0]);
});
