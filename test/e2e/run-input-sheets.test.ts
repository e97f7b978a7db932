import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runCli, writeSession, type CliRun } from '../support/cli.ts';
import { treeEntries } from '../support/output-tree.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun } from '../support/truth-check.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';

/** The sheets users really have, through the CLI: Excel workbooks, old Windows CSVs, half-done sheets, wrong sheets. */
describe('coupa-dl run reads the sheets users have', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let session = '';
  let pos: readonly PoTruth[] = [];
  const po = (index: number): PoTruth => {
    const found = pos[index];
    if (found === undefined) throw new Error(`The catalogue has no PO #${index + 1}.`);
    return found;
  };

  before(async () => {
    sim = await startSimulator({ pos: 12, seed: 5, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 20 });
    pos = sim.truth.pos;
    work = await tempDir('coupa-dl-e2e-sheets-');
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  const run = (input: string, out: string): Promise<CliRun> =>
    runCli(['run', '--input', input, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2'], {
      cwd: work.path,
      env: { XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path },
    });

  it('reads the PO_Data sheet of a workbook, numeric PO cells included, and ignores the other sheets', async () => {
    const input = join(work.path, 'orders.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRows([['PO_NUMBER'], [Number(po(5).id)]]);
    workbook.addWorksheet('PO_Data').addRows([['PO_NUMBER', 'COST_CENTER'], [Number(po(0).id), 'CC-1'], [Number(po(1).id), 'CC-2']]);
    await workbook.xlsx.writeFile(input);
    const out = join(work.path, 'out-xlsx');
    using requests = recordRequests();

    const result = await run(input, out);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: ['COST_CENTER'], rows: [
      { poNumber: po(0).id, status: po(0).expectedStatus, truth: po(0), cells: { COST_CENTER: 'CC-1' } },
      { poNumber: po(1).id, status: po(1).expectedStatus, truth: po(1), cells: { COST_CENTER: 'CC-2' } },
    ] }), []);
    assert.equal(requests.requestsFor(po(5)), 0, 'the PO on the Notes sheet was fetched');
  });

  it('reads a `;`-separated Windows-1252 CSV and files POs under its `<|>` folder levels instead of the supplier', async () => {
    const input = join(work.path, 'orders-windows.csv');
    const lines = [
      'PO_NUMBER;SUPPLIER;<|>;Région;Année',
      `${po(0).poNumber};Société Générale – Paris;;Île-de-France;2026`,
      `${po(3).poNumber};;;Provence;`,
    ];
    await writeFile(input, windows1252(`${lines.join('\r\n')}\r\n`));
    const out = join(work.path, 'out-levels');

    const result = await run(input, out);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: ['<|>', 'Région', 'Année'], rows: [
      { poNumber: po(0).poNumber, status: 'COMPLETED', truth: po(0), parents: ['Île-de-France', '2026'], cells: { Région: 'Île-de-France', Année: '2026' } },
      { poNumber: po(3).poNumber, status: 'COMPLETED', truth: po(3), parents: ['Provence', 'Unknown'], cells: { Région: 'Provence', Année: '' } },
    ] }), []);
  });

  it('does not fetch rows the sheet already marks COMPLETED and keeps them in the report as they were', async () => {
    const input = join(work.path, 'half-done.csv');
    const done = { SUPPLIER: 'Acme', ATTACHMENTS_FOUND: '2', ATTACHMENTS_DOWNLOADED: '2', DOWNLOAD_FOLDER: 'Acme/PO_OLD_COMPLETED', COUPA_URL: 'https://acme.coupahost.com/order_headers/1' };
    await writeFile(input, [
      'PO_NUMBER,STATUS,SUPPLIER,ATTACHMENTS_FOUND,ATTACHMENTS_DOWNLOADED,DOWNLOAD_FOLDER,COUPA_URL',
      `${po(2).poNumber},COMPLETED,${Object.values(done).join(',')}`,
      `${po(10).poNumber},,,,,,`,
      `${po(11).poNumber},completed,,,,,`,
    ].join('\n'));
    const out = join(work.path, 'out-half-done');
    using requests = recordRequests();

    const result = await run(input, out);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(requests.requestsFor(po(2)), 0, `${po(2).poNumber} is COMPLETED in the sheet but was fetched`);
    assert.equal(requests.requestsFor(po(11)), 0, `${po(11).poNumber} is "completed" in the sheet but was fetched`);
    assert.ok(requests.requestsFor(po(10)) > 0);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: [
      { poNumber: po(2).poNumber, status: 'COMPLETED', cells: done },
      { poNumber: po(10).poNumber, status: po(10).expectedStatus, truth: po(10) },
      { poNumber: po(11).poNumber, status: 'COMPLETED' },
    ] }), []);
  });

  it('refuses a sheet without a PO_NUMBER column, naming the headers it found, and leaves the output folder alone', async () => {
    const input = join(work.path, 'no-po-column.csv');
    await writeFile(input, `Order;Vendor\n${po(0).poNumber};Acme\n`);
    const fresh = join(work.path, 'out-never-made');
    const earlier = join(work.path, 'out-half-done');
    const before = await snapshot(earlier);

    for (const out of [fresh, earlier]) {
      const result = await run(input, out);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /PO_NUMBER/);
      assert.match(result.stderr, /`Order`, `Vendor`/);
    }
    assert.equal(existsSync(fresh), false, 'the output folder was created');
    assert.deepEqual(await snapshot(earlier), before);
  });

  it('says plainly that the input file does not exist', async () => {
    const missing = join(work.path, 'no-such-sheet.xlsx');
    const result = await run(missing, join(work.path, 'out-missing'));
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /no-such-sheet\.xlsx/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'a stack trace is no message for a user');
    assert.equal(existsSync(join(work.path, 'out-missing')), false);
  });
});

/** Text as the Windows code page 1252 ("ANSI") that old Excel saves CSVs in. */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92 };
  return Buffer.from(Array.from(text, (char) => special[char] ?? char.charCodeAt(0)));
}

/** Every entry of a folder with its size and modification time, to see that nothing changed. */
async function snapshot(folder: string): Promise<string[]> {
  const entries = [...(await treeEntries(folder, 'file')), ...(await treeEntries(folder, 'folder'))];
  return Promise.all(entries.sort().map(async (entry) => {
    const info = await stat(join(folder, entry));
    return `${entry} ${info.size} ${info.mtimeMs}`;
  }));
}
