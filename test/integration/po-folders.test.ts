import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processPo } from '../../src/coupa/process-po.ts';
import { listFiles } from '../support/output-tree.ts';
import { firstOfKind, optionsFor, runPo, sortedShas, taskFor, usePoSite } from '../support/po-harness.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

describe('processPo files each PO in the earlier tool\'s folder layout', () => {
  const site = usePoSite({ pos: 14, seed: 7, heavyPages: false });
  let out: TempDir | undefined;

  after(async () => {
    await out?.remove();
  });

  async function freshOutDir(): Promise<string> {
    await out?.remove();
    out = await tempDir('coupa-po-');
    return out.path;
  }

  it('replaces an earlier final folder and a crashed __WORK folder when a retry completes', async () => {
    const out = await freshOutDir();
    const po = firstOfKind(site.sim, 'normal');
    const supplierDir = join(out, po.supplier.replace(/\s/g, '_'));
    await mkdir(join(supplierDir, `${po.poNumber}_PARTIAL`), { recursive: true });
    await writeFile(join(supplierDir, `${po.poNumber}_PARTIAL`, 'old.pdf'), 'old');
    await mkdir(join(supplierDir, `${po.poNumber}__WORK`), { recursive: true });
    await writeFile(join(supplierDir, `${po.poNumber}__WORK`, '.part-1'), 'half');
    const { outcome } = await runPo(site.context, site.sim, po, out);
    assert.equal(outcome.status, 'COMPLETED');
    assert.deepEqual(await readdir(supplierDir), [`${po.poNumber}_COMPLETED`]);
    assert.deepEqual(await listFiles(out), outcome.files.map((file) => file.relativePath).sort());
  });

  it('keeps an earlier folder with files when a retry gets no file at all', async () => {
    const out = await freshOutDir();
    const po = firstOfKind(site.sim, 'normal');
    const first = await runPo(site.context, site.sim, po, out);
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'files', serverErrorTimes: 1000 } } });
    try {
      const second = await runPo(site.context, site.sim, po, out, { maxDownloadAttempts: 1 });
      assert.equal(second.outcome.status, 'FAILED');
      assert.equal(second.outcome.folder, '');
      assert.deepEqual(await listFiles(out), first.outcome.files.map((file) => file.relativePath).sort());
    } finally {
      site.sim.setFaults({});
    }
  });

  it('keeps the files of an earlier attempt that a PARTIAL retry did not get again', async () => {
    const out = await freshOutDir();
    const po = site.sim.truth.pos.find((p) => p.expectedStatus === 'COMPLETED' && p.attachments.filter((a) => a.kind === 'file' && a.origin === 'po').length >= 2);
    assert.ok(po, 'the catalogue has a PO with two files');
    const failing = po.attachments.find((a) => a.kind === 'file' && a.origin === 'po');
    assert.ok(failing);
    const supplierDir = join(out, po.supplier.replace(/\s/g, '_'));
    await mkdir(join(supplierDir, `${po.poNumber}_PARTIAL`), { recursive: true });
    await writeFile(join(supplierDir, `${po.poNumber}_PARTIAL`, 'earlier-only.pdf'), 'saved by the run before');
    site.sim.setFaults({ byAttachment: { [failing.attId]: { serverErrorTimes: 1000 } } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, out, { maxDownloadAttempts: 1 });
      assert.equal(outcome.status, 'PARTIAL');
      assert.deepEqual(await readdir(supplierDir), [`${po.poNumber}_PARTIAL`]);
      const kept = outcome.files.find((file) => file.name === 'earlier-only.pdf');
      assert.ok(kept, 'the earlier file is listed with the PO');
      assert.equal(kept.sizeBytes, 'saved by the run before'.length);
      assert.match(outcome.errorMessage, /Kept 1 file\(s\) saved by an earlier attempt: earlier-only\.pdf/);
      assert.deepEqual(await listFiles(out), outcome.files.map((file) => file.relativePath).sort());
    } finally {
      site.sim.setFaults({});
    }
  });

  it('uses the sheet\'s folder levels instead of the supplier, and PO_ before other prefixes', async () => {
    const out = await freshOutDir();
    const po = site.sim.truth.pos.find((candidate) => candidate.poNumber.startsWith('PM') && candidate.expectedStatus === 'COMPLETED');
    assert.ok(po !== undefined);
    const { options } = optionsFor(site.sim, out);
    const outcome = await processPo(site.context, taskFor(po, ['Region EU', '', 'Q1/2025']), options);
    assert.equal(outcome.folder, `Region_EU/Unknown/Q1_2025/PO_${po.poNumber}_COMPLETED`);
    assert.deepEqual(sortedShas(outcome.files.filter((file) => file.kind === 'file')), sortedShas(po.expectedFiles));
  });

  it('files a PO whose supplier is blank under Unknown', async () => {
    const out = await freshOutDir();
    const po = site.sim.truth.pos.find((candidate) => candidate.supplier === '' && candidate.expectedStatus === 'COMPLETED');
    assert.ok(po !== undefined, 'the catalogue should hold a PO without supplier name');
    const { outcome } = await runPo(site.context, site.sim, po, out);
    assert.ok(outcome.folder.startsWith('Unknown/'), outcome.folder);
  });
});
