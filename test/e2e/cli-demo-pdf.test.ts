import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliRun } from '../support/cli.ts';
import { readResultsXlsx } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';

/** `coupa-dl demo` shows what users get: its mails converted, and with --save-po-pdf each PO as a PDF. */
describe('coupa-dl demo and the PDFs', () => {
  let work: { path: string; remove(): Promise<void> };
  let run: CliRun;
  let out = '';
  before(async () => {
    work = await tempDir('coupa-dl-e2e-demo-pdf-');
    out = join(work.path, 'demo');
    run = await runCli(['demo', '--pos', '6', '--latency-ms', '0', '--workers', '2', '--out', out, '--save-po-pdf'], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') } });
  });
  after(() => work?.remove());

  it('converts the demo’s mails and saves its POs as PDFs, and says so', async () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Mails converted to PDF: [1-9]\d*\./);
    const xlsx = await readResultsXlsx(out);
    const kinds = new Set(xlsx.files.map((row) => row['KIND']));
    for (const kind of ['mail-pdf', 'mail-attachment', 'po-pdf']) assert.ok(kinds.has(kind), `${kind} in the Files sheet`);
    const mails = xlsx.files.filter((row) => /\.(msg|eml)$/.test(row['FILE_NAME'] ?? '') && row['KIND'] === 'file');
    for (const mail of mails) assert.ok((await readdir(join(out, mail['PATH'] ?? '', '..'))).includes(`${mail['FILE_NAME']}.pdf`));
  });
});
