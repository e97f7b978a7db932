import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { startCli, waitForOutput } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

it('coupa-dl simulator --replay serves a capture folder until Ctrl-C', async () => {
  const folder = await tempDir('coupa-dl-replay-');
  try {
    const dir = path.join(folder.path, 'PO424242');
    await mkdir(dir);
    await writeFile(path.join(dir, 'meta.json'), JSON.stringify({ poNumber: 'PO424242', poId: '424242', url: 'https://acme.coupahost.com/order_headers/424242', capturedAt: '2025-03-01T10:00:00Z', title: 'Purchase Order #PO424242' }));
    await writeFile(path.join(dir, 'page.html'), '<html><head><title>Purchase Order #PO424242</title></head><body><h1 id="pageHeader">Purchase Order #PO424242</h1></body></html>');
    const run = startCli(['simulator', '--replay', folder.path, '--port', '0']);
    await waitForOutput(run.output, /PO424242: http:\/\/127\.0\.0\.1:\d+\/order_headers\/424242/, 60_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/order_headers\/424242)/.exec(run.output())?.[1] ?? '';
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Purchase Order #PO424242/);
    run.child.kill('SIGINT');
    const done = await run.done;
    assert.equal(done.code, 0, run.output());
  } finally {
    await folder.remove();
  }
});
