import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { startSimulator, type ExpectedFile, type MailTruth, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { readResultsCsv, readResultsXlsx } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun } from '../support/truth-check.ts';

/** The PDF's text as a reader copies it: whitespace made single spaces, dashes made one, Kangxi radicals made ideographs (https://crbug.com/981259). */
async function pdfText(path: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await readFile(path))), { mergePages: true });
  return oneLine(text);
}

function oneLine(text: string): string {
  return text.replace(/[\u2f00-\u2fdf]/g, (radical) => radical.normalize('NFKC')).replace(/\s+/g, ' ').replace(/[\u2010-\u2015]/g, '-').trim();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A mail's PDF holds its subject, its sender and the line of its body with 請求書; its own files come out byte for byte; attached mails the same, in turn. */
async function checkConversion(mailPath: string, truth: MailTruth): Promise<void> {
  const text = await pdfText(`${mailPath}.pdf`);
  for (const expected of [truth.subject, truth.senderName, truth.senderEmail, truth.unicodeLine].map(oneLine)) assert.ok(text.includes(expected), `${mailPath}.pdf: «${expected}» in «${text}»`);
  const folder = `${mailPath} attachments`;
  const saved = new Map<string, string>();
  for (const name of await readdir(folder)) {
    const path = join(folder, name);
    if ((await stat(path)).isFile()) saved.set(name, sha256(await readFile(path)));
  }
  for (const file of truth.files) {
    if (file.inline && file.sizeBytes < 20 * 1024) assert.ok(!saved.has(file.name), `${file.name} is a small inline image: not saved`);
    else assert.equal(saved.get(file.name), file.sha256, `${file.name} taken out of ${mailPath} with its bytes`);
  }
  for (const attached of truth.mails) await checkConversion(join(folder, attached.name), attached.mail);
}

describe('mails become PDFs (coupa-dl run, report --convert)', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let session = '';
  let sheet = '';
  let pos: PoTruth[] = [];
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });
  const cli = (args: readonly string[]): Promise<CliRun> => runCli(args, { cwd: work.path, env: env() });
  const mailsOf = (po: PoTruth): ExpectedFile[] => po.expectedFiles.filter((file) => file.mail !== null);
  const folderOf = async (out: string, po: PoTruth): Promise<string> => {
    const row = (await readResultsCsv(out)).rows.find((candidate) => candidate['PO_NUMBER'] === po.poNumber);
    assert.ok(row !== undefined && row['DOWNLOAD_FOLDER'] !== '', `${po.poNumber} has a folder`);
    return join(out, row['DOWNLOAD_FOLDER'] ?? '');
  };

  before(async () => {
    sim = await startSimulator({ pos: 40, seed: 1, auth: { mode: 'sso' }, heavyPages: false });
    const withMails = sim.truth.pos.filter((po) => po.expectedStatus === 'COMPLETED' && mailsOf(po).length > 0);
    // Both kinds of mail, a .msg whose HTML is only inside its RTF among them, and a PO without mails.
    const chosen = new Set<PoTruth>();
    for (const wanted of [(f: ExpectedFile) => f.name.endsWith('.eml'), (f: ExpectedFile) => f.mail?.msgHtmlForm === 'rtf' && f.name.endsWith('.msg'), (f: ExpectedFile) => f.mail?.msgHtmlForm === 'html' && f.name.endsWith('.msg')]) {
      const po = withMails.find((candidate) => mailsOf(candidate).some(wanted));
      assert.ok(po, 'the catalogue has such a mail');
      chosen.add(po);
    }
    const plain = sim.truth.pos.find((po) => po.expectedStatus === 'COMPLETED' && mailsOf(po).length === 0);
    assert.ok(plain);
    pos = [...chosen, plain];
    work = await tempDir('coupa-dl-e2e-mail-');
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    sheet = await writeSheet(join(work.path, 'pos.csv'), pos.map((po) => po.poNumber));
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  describe('in a run', () => {
    let out = '';
    before(async () => {
      out = join(work.path, 'out-run');
      const run = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const mails = pos.flatMap(mailsOf);
      assert.match(run.stdout, /Mails converted to PDF: \d+\./);
      assert.ok(mails.length >= 3);
    });

    it('prints every downloaded mail to a PDF beside it holding subject, sender and 請求書, and takes its files out byte for byte, attached mails included', async () => {
      for (const po of pos) {
        const folder = await folderOf(out, po);
        for (const file of mailsOf(po)) {
          const truth = file.mail as MailTruth;
          assert.ok(truth.unicodeLine.includes('請求書'));
          await checkConversion(join(folder, file.name), truth);
        }
      }
    });

    it('keeps the report’s attachment columns to the downloads, and lists every made file in the Files sheet with its SHA-256, linked to its mail', async () => {
      const problems = await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: pos.map((po) => ({ poNumber: po.poNumber, status: 'COMPLETED', truth: po })) });
      assert.deepEqual(problems, []);
      const xlsx = await readResultsXlsx(out);
      const made = xlsx.files.filter((row) => row['MADE_FROM'] !== '');
      const mailRows = xlsx.files.filter((row) => /\.(msg|eml)$/.test(row['FILE_NAME'] ?? ''));
      assert.ok(made.length > 0);
      for (const row of made) {
        assert.ok(['mail-pdf', 'mail-attachment'].includes(row['KIND'] ?? ''), JSON.stringify(row));
        assert.ok(xlsx.files.some((from) => from['PATH'] === row['MADE_FROM'] && /\.(msg|eml)$/.test(from['FILE_NAME'] ?? '')), `${row['PATH']} is linked to the mail it came from`);
        assert.equal(sha256(await readFile(join(out, row['PATH'] ?? ''))), row['SHA256']);
      }
      for (const row of mailRows) assert.equal(row['CONVERSION'], 'converted', JSON.stringify(row));
      assert.equal(xlsx.summary.get('Mails converted to PDF'), String(mailRows.length));
      assert.equal(xlsx.summary.get('Mail conversions failed'), '0');
    });

    it('converts nothing twice and fetches no COMPLETED PO when the same command runs again', async () => {
      const before = readState(out);
      const pdfTimes = await Promise.all(pos.flatMap((po) => mailsOf(po).map(async (file) => (await stat(join(await folderOf(out, po), `${file.name}.pdf`))).mtimeMs)));
      using requests = recordRequests();
      const run = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const po of pos) assert.equal(requests.requestsFor(po), 0, `${po.poNumber} was fetched again`);
      assert.deepEqual(readState(out), before, 'the same conversions, recorded by the same run');
      const again = await Promise.all(pos.flatMap((po) => mailsOf(po).map(async (file) => (await stat(join(await folderOf(out, po), `${file.name}.pdf`))).mtimeMs)));
      assert.deepEqual(again, pdfTimes, 'no PDF was written again');
      assert.doesNotMatch(run.stdout, /Mails converted to PDF/);
    });
  });

  describe('in a folder a version before mails to PDF wrote', () => {
    let out = '';
    let damaged: { po: PoTruth; path: string };
    let run: CliRun;
    before(async () => {
      out = join(work.path, 'out-older');
      const first = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2', '--no-mail-pdf']);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      for (const po of pos) for (const file of mailsOf(po)) assert.ok(!existsSync(join(await folderOf(out, po), `${file.name}.pdf`)), '--no-mail-pdf converts nothing');
      // What version 2 left: the same tables without those of the conversions (3) and the fetch source (4).
      const db = new DatabaseSync(stateFilePath(out));
      db.exec('DROP TABLE conversions; DROP TABLE po_pdfs; ALTER TABLE pos DROP COLUMN source; PRAGMA user_version = 2;');
      db.close();
      // One mail damaged on disk: the rest still converts, and the PO stays COMPLETED.
      const po = pos.find((candidate) => mailsOf(candidate).some((file) => file.name.endsWith('.msg'))) as PoTruth;
      const path = join(await folderOf(out, po), mailsOf(po).find((file) => file.name.endsWith('.msg'))?.name ?? '');
      await writeFile(path, Buffer.concat([(await readFile(path)).subarray(0, 512), Buffer.alloc(4096, 0x5a)]));
      damaged = { po, path };
      using requests = recordRequests();
      run = await cli(['report', '--out', out, '--convert']);
      assert.equal(requests.paths.length, 0, 'report --convert asks nothing of Coupa');
    });

    it('converts the mails there, from the files on disk, and rebuilds the report', async () => {
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const mails = (truth: MailTruth): number => 1 + truth.mails.reduce((sum, attached) => sum + mails(attached.mail), 0);
      const damagedMail = mailsOf(damaged.po).find((file) => damaged.path.endsWith(file.name))?.mail as MailTruth;
      const expected = pos.flatMap(mailsOf).reduce((sum, file) => sum + mails(file.mail as MailTruth), 0) - mails(damagedMail);
      assert.match(run.stdout, new RegExp(`Converted ${expected} mails to PDF; 1 could not be converted: the Files sheet of results.xlsx says why`));
      for (const po of pos) {
        const folder = await folderOf(out, po);
        for (const file of mailsOf(po)) if (join(folder, file.name) !== damaged.path) await checkConversion(join(folder, file.name), file.mail as MailTruth);
      }
    });

    it('reports the damaged mail in the Files sheet and the log, and leaves its PO COMPLETED with no PDF', async () => {
      const xlsx = await readResultsXlsx(out);
      const row = xlsx.files.find((candidate) => join(out, candidate['PATH'] ?? '') === damaged.path);
      assert.equal(row?.['CONVERSION'], 'failed');
      assert.match(row?.['CONVERSION_MESSAGE'] ?? '', /\[MAIL_UNREADABLE\]$/);
      assert.equal(xlsx.summary.get('Mail conversions failed'), '1');
      assert.ok(!existsSync(`${damaged.path}.pdf`));
      const status = (await readResultsCsv(out)).rows.find((candidate) => candidate['PO_NUMBER'] === damaged.po.poNumber)?.['STATUS'];
      assert.equal(status, 'COMPLETED');
      const logs = await readdir(join(out, '.coupa-dl', 'logs'));
      const log = (await Promise.all(logs.map((name) => readFile(join(out, '.coupa-dl', 'logs', name), 'utf8')))).join('\n');
      assert.ok(log.split('\n').some((entry) => entry.includes('Mail not converted to PDF') && entry.includes('MAIL_UNREADABLE') && entry.includes(damaged.path.slice(out.length + 1))), 'the failure is in the log');
    });

    it('leaves the damaged mail alone on the next run, converting nothing twice', async () => {
      const before = readState(out);
      const again = await cli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2']);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.deepEqual(readState(out), before);
    });
  });
});

/** The conversions table as the state has it (without times): the same rows mean nothing was converted again. */
function readState(out: string): unknown[] {
  const db = new DatabaseSync(stateFilePath(out), { readOnly: true });
  try {
    return db.prepare('SELECT id, po_id, root_path, source_path, output_path, sha256, status, code, run_id FROM conversions ORDER BY id').all();
  } finally {
    db.close();
  }
}
