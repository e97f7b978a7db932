import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { filesOnDisk } from '../support/output-tree.ts';
import { readResultsCsv, readResultsXlsx } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/**
 * The PO job end to end: one `coupa-dl run` over the first 16 POs of a catalogue (every kind once,
 * then four drawn by weight), an invalid row and a duplicate row, checked against the simulator's truth.
 */
describe('coupa-dl run over every kind of PO', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let out = '';
  let run: CliRun;
  let expected: ExpectedRow[] = [];

  before(async () => {
    sim = await startSimulator({ pos: 16, seed: 11, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 20 });
    work = await tempDir('coupa-dl-e2e-kinds-');
    out = join(work.path, 'out');
    const pos = sim.truth.pos;
    const first = pos[0];
    assert.ok(first !== undefined && pos.length === 16);
    const sheet = await writeSheet(join(work.path, 'pos.csv'), [
      ...pos.map((po) => ({ PO_NUMBER: po.poNumber, NOTE: `kind ${po.kind}` })),
      { PO_NUMBER: 'PO12', NOTE: 'too short' },
      { PO_NUMBER: first.poNumber, NOTE: 'listed twice' },
    ], ['NOTE']);
    expected = [
      ...pos.map((po): ExpectedRow => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po, cells: { NOTE: `kind ${po.kind}` } })),
      { poNumber: 'PO12', status: 'INVALID_PO', cells: { NOTE: 'too short' } },
      { poNumber: first.poNumber, status: first.expectedStatus, truth: first, cells: { NOTE: 'listed twice' } },
    ];
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    run = await runCli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2'], {
      cwd: work.path,
      env: { XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path },
    });
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('exits 0 because every PO reached a final status', () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it('leaves every file with the bytes of the truth, in its supplier folder, and a report that matches', async () => {
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: ['NOTE'], rows: expected }), []);
  });

  it('names folders the way the earlier tool did', async () => {
    const rows = (await readResultsCsv(out)).rows;
    const folderOf = (po: string): string | undefined => rows.find((row) => row['PO_NUMBER'] === po)?.['DOWNLOAD_FOLDER'];
    // PO #3's supplier is `A&B / Co: "Ltd"`, PO #4 has the PM prefix, PO #10 no supplier.
    assert.equal(folderOf('PO100003'), 'A_B___Co___Ltd_/PO100003_COMPLETED');
    assert.match(folderOf('PM100004') ?? '', /\/PO_PM100004_COMPLETED$/);
    assert.equal(folderOf('PO100010'), 'Unknown/PO100010_COMPLETED');
  });

  it('says why the invalid row was not fetched and gives the duplicate row the result of its first row', async () => {
    const rows = (await readResultsCsv(out)).rows;
    const invalid = rows[16];
    assert.equal(invalid?.['STATUS'], 'INVALID_PO');
    assert.match(invalid?.['ERROR_MESSAGE'] ?? '', /PO12/);
    const { NOTE: _firstNote, ...firstCells } = rows[0] ?? {};
    const { NOTE: _duplicateNote, ...duplicateCells } = rows[17] ?? {};
    assert.deepEqual(duplicateCells, firstCells);
  });

  it('lists every saved file in the Files sheet and counts every status in the Summary sheet', async () => {
    const xlsx = await readResultsXlsx(out);
    const disk = await filesOnDisk(out);
    const expectedFiles = sim.truth.pos.reduce((sum, po) => sum + po.expectedFiles.length, 0);
    assert.ok(disk.length >= expectedFiles && expectedFiles > 0);
    assert.equal(xlsx.files.length, disk.length);
    assert.equal(xlsx.summary.get('INVALID_PO'), '1');
    assert.equal(xlsx.summary.get('COMPLETED'), String(expected.filter((row) => row.status === 'COMPLETED').length));
  });

  it('rebuilds the same results.csv from the saved state with `coupa-dl report`', async () => {
    const before = await readFile(join(out, 'results.csv'));
    await rm(join(out, 'results.csv'));
    await rm(join(out, 'results.xlsx'));
    const report = await runCli(['report', '--out', out], { cwd: work.path, env: { XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path } });
    assert.equal(report.code, 0, report.stdout + report.stderr);
    assert.equal((await readFile(join(out, 'results.csv'))).toString('utf8'), before.toString('utf8'));
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: ['NOTE'], rows: expected }), []);
  });
});
