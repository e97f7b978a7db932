import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { StateStore } from '../../../src/state/state-store.ts';
import { stateFilePath } from '../../../src/state/state-file-path.ts';
import type { InputRow } from '../../../src/domain/input-row.ts';
import type { PoOutcome, SavedFile } from '../../../src/domain/po-outcome.ts';
import { tempDir } from '../../support/temp-dir.ts';

const temp = await tempDir('coupa-dl-state-');
after(() => temp.remove());
const root = temp.path;
let folders = 0;
const newOutDir = (): string => join(root, `out-${++folders}`);

const clock = (): (() => Date) => {
  let ms = Date.parse('2025-03-01T10:00:00.000Z');
  return () => new Date((ms += 1000));
};
const openStore = (file: string): StateStore => StateStore.open(file, { now: clock(), isAlive: () => false });
const run = { command: 'download', inputPath: 'pos.csv', baseUrl: 'https://acme.coupahost.com' };
const task = (poId: string) => ({ poNumber: `PO${poId}`, poId, folderLevels: null });

function savedFile(poId: string, folder: string, name: string): SavedFile {
  return {
    poNumber: `PO${poId}`,
    name,
    relativePath: `${folder}/${name}`,
    sizeBytes: 1234,
    sha256: 'ab'.repeat(32),
    sourceUrl: `https://acme.coupahost.com/attachment/attachment_file/file/1/${name}`,
    kind: 'file',
    origin: 'po',
  };
}

function outcome(files: readonly SavedFile[], overrides: Partial<PoOutcome> = {}): PoOutcome {
  return {
    status: 'COMPLETED',
    supplier: 'Acme Ltd',
    attachmentsFound: files.length,
    attachmentsDownloaded: files.length,
    files,
    errorMessage: '',
    folder: 'Acme_Ltd/PO100001_COMPLETED',
    coupaUrl: 'https://acme.coupahost.com/order_headers/100001',
    savedPage: '',
    ...overrides,
  };
}

describe('StateStore', () => {
  it('keeps the state file in .coupa-dl inside the output folder and creates the folder', () => {
    const file = stateFilePath(newOutDir());
    assert.match(file, /[/\\]\.coupa-dl[/\\]state\.sqlite$/);
    using store = openStore(file);
    assert.deepEqual(store.listPos(), []);
  });

  it('makes every transition readable from a second handle before the first one is closed', () => {
    const file = stateFilePath(newOutDir());
    const writer = openStore(file);
    const runId = writer.beginRun(run);
    writer.ensurePos([task('100001')]);
    writer.markRunning('100001', { attempt: 1, workerId: 3 });
    writer.markPending('100001', 'Interrupted by the user.');
    writer.markRunning('100001', { attempt: 2, workerId: 1 });
    writer.finishPo('100001', outcome([], { status: 'PO_NOT_FOUND', errorMessage: 'Coupa shows its error page.', folder: '' }));

    using reader = openStore(file);
    const po = reader.getPo('100001');
    assert.equal(po?.state, 'PO_NOT_FOUND');
    assert.equal(po?.attempts, 2);
    assert.equal(po?.lastError, 'Coupa shows its error page.');
    const transitions = reader.listTransitions('100001');
    assert.deepEqual(
      transitions.map(({ from, to, attempt }) => [from, to, attempt]),
      [[null, 'PENDING', 0], ['PENDING', 'RUNNING', 1], ['RUNNING', 'PENDING', 1], ['PENDING', 'RUNNING', 2], ['RUNNING', 'PO_NOT_FOUND', 2]],
    );
    assert.deepEqual(transitions[1], {
      poId: '100001',
      runId,
      at: transitions[1]?.at,
      from: 'PENDING',
      to: 'RUNNING',
      attempt: 1,
      message: 'Attempt 1 started on worker 3.',
    });
    assert.ok(transitions.every((t, i) => i === 0 || t.at > (transitions[i - 1]?.at ?? '')));
    writer.close();
  });

  it('keeps each work file as soon as it is recorded, then replaces them with the final paths when the PO ends', () => {
    using store = openStore(stateFilePath(newOutDir()));
    store.ensurePos([task('100001'), task('100002')]);
    store.markRunning('100001', { attempt: 1, workerId: 1 });
    store.recordFile('100001', savedFile('100001', 'Acme_Ltd/PO100001__WORK', 'a.pdf'));
    store.recordFile('100001', savedFile('100001', 'Acme_Ltd/PO100001__WORK', 'b.pdf'));
    assert.deepEqual(store.listFiles().map((f) => [f.relativePath, f.stage]), [
      ['Acme_Ltd/PO100001__WORK/a.pdf', 'work'],
      ['Acme_Ltd/PO100001__WORK/b.pdf', 'work'],
    ]);
    assert.equal(store.getPo('100001')?.outcome, null);

    const final = [savedFile('100001', 'Acme_Ltd/PO100001_COMPLETED', 'a.pdf'), savedFile('100001', 'Acme_Ltd/PO100001_COMPLETED', 'b.pdf')];
    store.finishPo('100001', outcome(final));
    assert.deepEqual(store.listFiles().map((f) => [f.relativePath, f.stage]), [
      ['Acme_Ltd/PO100001_COMPLETED/a.pdf', 'final'],
      ['Acme_Ltd/PO100001_COMPLETED/b.pdf', 'final'],
    ]);
    assert.deepEqual(store.getPo('100001')?.outcome, outcome(final));
    assert.deepEqual(store.listPos().map((po) => [po.poId, po.state, po.outcome?.files.length ?? null]), [
      ['100001', 'COMPLETED', 2],
      ['100002', 'PENDING', null],
    ]);
    assert.equal(store.listTransitions('100001').at(-1)?.message, '2 of 2 attachments downloaded.');
  });

  it('keeps a PO state and its number from the current sheet when ensurePos meets it again', () => {
    using store = openStore(stateFilePath(newOutDir()));
    store.ensurePos([task('100001')]);
    store.finishPo('100001', outcome([], { status: 'NO_ATTACHMENTS' }));
    store.ensurePos([{ poNumber: '100001', poId: '100001', folderLevels: null }, task('100002')]);
    assert.deepEqual(store.listPos().map((po) => [po.poNumber, po.state]), [['100001', 'NO_ATTACHMENTS'], ['PO100002', 'PENDING']]);
    assert.equal(store.listTransitions('100001').length, 2);
  });

  it('puts POs left RUNNING by a dead run back to PENDING and counts them', () => {
    const file = stateFilePath(newOutDir());
    const crashed = openStore(file);
    crashed.beginRun(run);
    crashed.ensurePos([task('100001'), task('100002'), task('100003')]);
    crashed.markRunning('100001', { attempt: 1, workerId: 1 });
    crashed.markRunning('100002', { attempt: 1, workerId: 2 });
    crashed.finishPo('100002', outcome([]));
    // No endRun and no close: the process died here.

    using next = openStore(file);
    next.beginRun(run);
    assert.equal(next.recoverInterrupted(), 1);
    assert.deepEqual(next.listPos().map((po) => po.state), ['PENDING', 'COMPLETED', 'PENDING']);
    assert.match(next.getPo('100001')?.lastError ?? '', /last run stopped/);
    assert.equal(next.recoverInterrupted(), 0);
    crashed.close();
  });

  it('refuses to recover or reset without a run, since only the lock holder may change other POs', () => {
    using store = openStore(stateFilePath(newOutDir()));
    assert.throws(() => store.recoverInterrupted(), /needs a run/);
    assert.throws(() => store.reset(), /needs a run/);
  });

  it('forgets POs, files, transitions and the input on reset', () => {
    using store = openStore(stateFilePath(newOutDir()));
    store.beginRun(run);
    store.saveInput([inputRow(2, 'PO100001')], ['PO_NUMBER']);
    store.ensurePos([task('100001')]);
    store.recordFile('100001', savedFile('100001', 'x__WORK', 'a.pdf'));
    store.reset();
    assert.deepEqual([store.listPos(), store.listFiles(), store.listTransitions('100001'), store.loadInput()], [[], [], [], null]);
  });

  it('gives back the input rows in order with every cell, and replaces them on the next save without touching states', () => {
    using store = openStore(stateFilePath(newOutDir()));
    assert.equal(store.loadInput(), null);
    const rows = [
      inputRow(3, 'PO100003', { folderLevels: ['Plant A', ''], cells: { PO_NUMBER: 'PO100003', Note: 'é; "quoted"', '<|>': '' } }),
      inputRow(2, 'PO100001'),
      { ...inputRow(4, 'PO12'), poId: null, problem: 'Expected at least 6 digits, got `PO12`.' },
    ];
    const columns = ['PO_NUMBER', 'Note', '<|>', 'Level 1', 'Level 2'];
    store.saveInput(rows, columns);
    store.ensurePos([task('100003')]);
    assert.deepEqual(store.loadInput(), { columns, rows });

    store.saveInput([inputRow(2, 'PO100009')], ['PO_NUMBER']);
    assert.deepEqual(store.loadInput(), { columns: ['PO_NUMBER'], rows: [inputRow(2, 'PO100009')] });
    assert.equal(store.getPo('100003')?.state, 'PENDING');
  });

  it('keeps a PO PDF apart from the attachments, and forgets it with the mails converted when a new attempt replaces the folder', () => {
    using store = openStore(stateFilePath(newOutDir()));
    store.beginRun(run);
    store.ensurePos([task('100001')]);
    const folder = 'Acme_Ltd/PO100001_COMPLETED';
    const mail = savedFile('100001', folder, 'RE Approval.msg');
    const poPdf = { name: 'PO100001.pdf', relativePath: `${folder}/PO100001.pdf`, sizeBytes: 10, sha256: 'cd'.repeat(32), sourceUrl: 'https://acme.coupahost.com/order_headers/print_view?id=100001&version=1' };
    store.finishPo('100001', outcome([mail], { poPdf }));
    store.recordConversions({ poId: '100001', rootPath: mail.relativePath, rootSha256: mail.sha256 }, [
      { sourcePath: mail.relativePath, outputPath: `${mail.relativePath}.pdf`, kind: 'pdf', sizeBytes: 7, sha256: 'ef'.repeat(32), status: 'done', code: null, reason: null, depth: 1 },
    ]);
    assert.deepEqual(store.getPo('100001')?.outcome?.files.map((file) => file.name), ['RE Approval.msg']);
    assert.deepEqual(store.listPoPdfs(), [{ poId: '100001', ...poPdf }]);
    assert.equal(store.listConversions().length, 1);

    // A retry that kept the old folder keeps what was made in it.
    store.markRunning('100001', { attempt: 2, workerId: 1 });
    store.finishPo('100001', outcome([mail]));
    assert.deepEqual([store.listPoPdfs().length, store.listConversions().length], [1, 1]);

    // One that wrote a new folder does not.
    store.markRunning('100001', { attempt: 3, workerId: 1 });
    store.finishPo('100001', outcome([mail]), { replacesFolder: true });
    assert.deepEqual([store.listPoPdfs().length, store.listConversions().length], [0, 0]);
  });

  it('replaces what it knew of a mail when the mail is converted again, and forgets conversions on reset', () => {
    using store = openStore(stateFilePath(newOutDir()));
    store.beginRun(run);
    store.ensurePos([task('100001')]);
    const root = { poId: '100001', rootPath: 'A/PO100001_COMPLETED/m.eml', rootSha256: 'aa' };
    store.recordConversions(root, [{ sourcePath: root.rootPath, outputPath: null, kind: null, sizeBytes: null, sha256: null, status: 'failed', code: 'MAIL_RENDER_FAILED', reason: 'the browser crashed', depth: 1 }]);
    store.recordConversions(root, [
      { sourcePath: root.rootPath, outputPath: `${root.rootPath}.pdf`, kind: 'pdf', sizeBytes: 7, sha256: 'bb', status: 'done', code: null, reason: null, depth: 1 },
      { sourcePath: root.rootPath, outputPath: 'A/PO100001_COMPLETED/m.eml attachments/offer.pdf', kind: 'attachment', sizeBytes: 8, sha256: 'cc', status: 'done', code: null, reason: null, depth: 1 },
    ]);
    assert.deepEqual(store.listConversions().map((row) => [row.kind, row.status]), [['pdf', 'done'], ['attachment', 'done']]);
    store.reset();
    assert.deepEqual(store.listConversions(), []);
  });

  it('rejects changes to a PO it was never told about', () => {
    using store = openStore(stateFilePath(newOutDir()));
    assert.throws(() => store.markRunning('999999', { attempt: 1, workerId: 1 }), /not in the state store/);
    assert.throws(() => store.recordFile('999999', savedFile('999999', 'x', 'a.pdf')), /not in the state store/);
  });
});

function inputRow(rowNumber: number, poNumber: string, overrides: Partial<InputRow> = {}): InputRow {
  return {
    rowNumber,
    poNumber,
    poId: poNumber.replace(/^PO/, ''),
    problem: null,
    inputStatus: '',
    supplier: '',
    folderLevels: null,
    cells: { PO_NUMBER: poNumber },
    ...overrides,
  };
}

describe('a state file that is damaged or not a state file', () => {
  it('is refused with what to do by the busy check and by opening (found by the fuzz test: the busy check ended "Unexpected error")', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { CoupaDlError } = await import('../../../src/domain/errors.ts');
    const contents = ['this is not a database', Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(900, 0x41)])];
    for (const content of contents) {
      const file = stateFilePath(newOutDir());
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content);
      const damaged = (error: unknown): boolean => error instanceof CoupaDlError && error.code === 'OUTPUT_NOT_WRITABLE' && /damaged or is not a coupa-dl state file/.test(error.message) && /Move .* away/.test(error.hint ?? '');
      assert.throws(() => StateStore.assertFree(file), damaged);
      assert.throws(() => openStore(file), damaged);
    }
  });
});
