import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { poFolderName } from '../../src/domain/folder-name.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { readResultsCsv, readResultsXlsx } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun } from '../support/truth-check.ts';

async function pdfText(path: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await readFile(path))), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** `--save-po-pdf`: the PO as Coupa prints it, in its folder, never counted as an attachment. */
describe('coupa-dl run --save-po-pdf', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let session = '';
  let sheet = '';
  let pos: PoTruth[] = [];
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });
  const cli = (args: readonly string[]): Promise<CliRun> => runCli(args, { cwd: work.path, env: env() });
  const rowOf = async (out: string, po: PoTruth): Promise<Record<string, string>> => (await readResultsCsv(out)).rows.find((row) => row['PO_NUMBER'] === po.poNumber) ?? assert.fail(`no row for ${po.poNumber}`);
  const pdfOf = async (out: string, po: PoTruth): Promise<string> => join(out, (await rowOf(out, po))['DOWNLOAD_FOLDER'] ?? '', `${poFolderName(po.poNumber)}.pdf`);
  const printable = (): PoTruth[] => pos.filter((po) => ['COMPLETED', 'NO_ATTACHMENTS'].includes(po.expectedStatus));
  const truthCheck = (out: string) => checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po })) });

  before(async () => {
    sim = await startSimulator({ pos: 40, seed: 1, auth: { mode: 'sso' }, heavyPages: false });
    const find = (predicate: (po: PoTruth) => boolean): PoTruth => sim.truth.pos.find(predicate) ?? assert.fail('no such PO in the catalogue');
    pos = [
      find((po) => po.expectedStatus === 'COMPLETED' && po.supplier !== '' && !po.opensRequisition),
      find((po) => po.expectedStatus === 'COMPLETED' && po.opensRequisition),
      find((po) => po.expectedStatus === 'NO_ATTACHMENTS'),
      find((po) => po.expectedStatus === 'PO_NOT_FOUND'),
    ];
    work = await tempDir('coupa-dl-e2e-po-pdf-');
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    sheet = await writeSheet(join(work.path, 'pos.csv'), pos.map((po) => po.poNumber));
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('saves each PO as <PO folder>.pdf holding its number and supplier, listed in the Files sheet, outside the attachment columns', async () => {
    const out = join(work.path, 'out-fresh');
    const run = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2', '--save-po-pdf']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await truthCheck(out), []);
    const files = (await readResultsXlsx(out)).files;
    for (const po of printable()) {
      const path = await pdfOf(out, po);
      const text = await pdfText(path);
      assert.ok(text.includes(`PO${po.id}`) && text.includes(po.supplier), `${path}: ${text}`);
      const listed = files.find((row) => join(out, row['PATH'] ?? '') === path);
      assert.equal(listed?.['KIND'], 'po-pdf');
      assert.equal(listed?.['SHA256'], createHash('sha256').update(await readFile(path)).digest('hex'));
      assert.ok(!(await rowOf(out, po))['AttachmentName']?.includes(`${poFolderName(po.poNumber)}.pdf`));
    }
    assert.equal((await rowOf(out, pos[2] as PoTruth))['STATUS'], 'NO_ATTACHMENTS');
    assert.equal((await rowOf(out, pos[3] as PoTruth))['DOWNLOAD_FOLDER'], '', 'a PO Coupa does not know has nothing to print');
    assert.equal((await readResultsXlsx(out)).summary.get('PO PDFs saved'), String(printable().length));
  });

  describe('given to an output folder already done', () => {
    let out = '';
    let faulted: PoTruth;
    let run: CliRun;
    let fetched: { paths: string[]; fileRequests: number };
    before(async () => {
      out = join(work.path, 'out-done');
      const first = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2']);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      for (const po of printable()) assert.ok(!existsSync(await pdfOf(out, po)));
      faulted = pos[0] as PoTruth;
      sim.setFaults({ byPo: { [faulted.id]: { scope: 'pages', serverErrorTimes: 1_000 } } });
      const fileRequests = sim.stats().fileRequests;
      using requests = recordRequests();
      run = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2', '--save-po-pdf', '--max-attempts', '1']);
      fetched = { paths: [...requests.paths], fileRequests: sim.stats().fileRequests - fileRequests };
      sim.setFaults({});
    });

    it('fetches only the PO PDFs: no attachment, no PO read again', () => {
      assert.equal(fetched.fileRequests, 0);
      // The sign-in check opens /user/home; every other request is about a PO.
      const pages = fetched.paths.filter((path) => /^\/(order_headers|requisition_headers|attachment)/.test(path));
      for (const path of pages) assert.ok(path === '/order_headers/print_view' || path === `/order_headers/${faulted.id}`, `${path} was asked for`);
      assert.ok(pages.filter((path) => path === '/order_headers/print_view').length >= printable().length);
    });

    it('adds the PDFs to the POs that got them, and makes PARTIAL, with a message, the COMPLETED PO whose PDF could not be saved', async () => {
      assert.equal(run.code, 1, run.stdout + run.stderr);
      for (const po of printable().filter((candidate) => candidate !== faulted)) {
        assert.equal((await rowOf(out, po))['STATUS'], po.expectedStatus);
        assert.ok((await pdfText(await pdfOf(out, po))).includes(`PO${po.id}`));
      }
      const row = await rowOf(out, faulted);
      assert.equal(row['STATUS'], 'PARTIAL');
      assert.match(row['ERROR_MESSAGE'] ?? '', /The PO could not be saved as PDF: the print view \(.+\) answered HTTP 503; the PO page answered HTTP 503\./);
      assert.equal(row['ATTACHMENTS_DOWNLOADED'], String(faulted.expectedAttachmentsFound), 'its attachments are all still there');
    });

    it('fetches the PARTIAL PO again on retry and ends it COMPLETED with its PDF, leaving the others alone', async () => {
      using requests = recordRequests();
      const retry = await cli(['retry', '--out', out, '--storage-state', session, '--save-po-pdf']);
      assert.equal(retry.code, 0, retry.stdout + retry.stderr);
      for (const po of pos) if (po !== faulted) assert.equal(requests.requestsFor(po), 0, `${po.poNumber} was fetched again`);
      assert.equal((await rowOf(out, faulted))['STATUS'], 'COMPLETED');
      assert.ok(existsSync(await pdfOf(out, faulted)));
      assert.deepEqual(await truthCheck(out), []);
    });
  });

  it('through Coupa\'s API, prints each PO from its web page with a web sign-in, and without one says so before fetching anything', async () => {
    const credentials = { COUPA_CLIENT_ID: sim.apiClient.clientId, COUPA_CLIENT_SECRET: sim.apiClient.clientSecret };
    const out = join(work.path, 'out-api');
    const api = (extra: readonly string[], outDir: string) => runCli(['run', '--input', sheet, '--out', outDir, '--base-url', sim.url, '--source', 'api', '--workers', '2', '--save-po-pdf', ...extra], { cwd: work.path, env: { ...env(), ...credentials } });
    const run = await api(['--storage-state', session], out);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await truthCheck(out), []);
    for (const po of printable()) {
      const path = await pdfOf(out, po);
      const text = await pdfText(path);
      assert.ok(text.includes(`PO${po.id}`) && text.includes(po.supplier), `${path}: ${text}`);
    }
    assert.equal((await readResultsXlsx(out)).summary.get('PO PDFs saved'), String(printable().length));

    const unsigned = join(work.path, 'out-api-unsigned');
    const refused = await api([], unsigned);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /--save-po-pdf saves each PO as Coupa prints it on its web pages, and Coupa's REST API has no printed PO: with --source api, a web sign-in is needed as well\. Not signed in to /);
    assert.match(refused.stderr, /Or leave out --save-po-pdf \(mails are converted either way\)\./);
    assert.ok(!existsSync(unsigned), 'nothing was fetched and the output folder was not made');
  });

  it('refuses --headed at once, saying why and what to do', async () => {
    const run = await cli(['run', '--input', sheet, '--out', join(work.path, 'out-headed'), '--base-url', sim.url, '--storage-state', session, '--save-po-pdf', '--headed']);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /only without a window: it cannot be used with --headed/);
    assert.match(run.stderr, /What to do: Leave out --headed/);
    assert.ok(!existsSync(join(work.path, 'out-headed')));
  });
});
