import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { StateStore } from '../../../src/state/state-store.ts';
import { stateFilePath } from '../../../src/state/state-file-path.ts';
import { migrateSchema, SCHEMA_SOURCES, SCHEMA_STATUSES, SCHEMA_VERSION, schemaVersion } from '../../../src/state/state-schema.ts';
import { FETCH_SOURCES } from '../../../src/domain/fetch-source.ts';
import { PO_STATUSES } from '../../../src/domain/status.ts';
import { storageError } from '../../../src/state/transaction.ts';
import { tempDir } from '../../support/temp-dir.ts';

const temp = await tempDir('coupa-dl-schema-');
after(() => temp.remove());
const root = temp.path;
let folders = 0;
const newFile = (): string => stateFilePath(join(root, `out-${++folders}`));

/** A store with one PO, closed, so the test can poke at the file with plain SQL. */
function storeWithOnePo(): string {
  const file = newFile();
  using store = StateStore.open(file);
  store.ensurePos([{ poNumber: 'PO100001', poId: '100001', folderLevels: null }]);
  return file;
}

function rawSql<T>(file: string, work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe('state schema', () => {
  it('stamps a new file with the current schema version in WAL mode, and opens it again as is', () => {
    const file = storeWithOnePo();
    assert.equal(rawSql(file, schemaVersion), SCHEMA_VERSION);
    assert.equal(rawSql(file, (db) => db.prepare('PRAGMA journal_mode').get()?.['journal_mode']), 'wal');
    using again = StateStore.open(file);
    assert.equal(again.getPo('100001')?.state, 'PENDING');
  });

  it('refuses a file written by a newer coupa-dl with a clear error', () => {
    const file = storeWithOnePo();
    rawSql(file, (db) => db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`));
    assert.throws(() => StateStore.open(file), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'OUTPUT_NOT_WRITABLE');
      assert.match(error.message, new RegExp(`newer coupa-dl \\(schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\)`));
      assert.match(error.hint ?? '', /Update coupa-dl/);
      return true;
    });
  });

  it('rejects a state that is not a PoState in every column that holds one', () => {
    const file = storeWithOnePo();
    rawSql(file, (db) => {
      assert.throws(() => db.exec("UPDATE pos SET state = 'DONE'"), /CHECK constraint failed/);
      assert.throws(() => db.exec("UPDATE pos SET outcome_status = 'RUNNING'"), /CHECK constraint failed/);
      assert.throws(() => db.exec("UPDATE transitions SET to_state = 'completed'"), /CHECK constraint failed/);
      db.exec("UPDATE pos SET state = 'PR_NOT_ACCESSIBLE'");
    });
  });

  it('refuses, as a clear error, a state file that is not a database', () => {
    const file = newFile();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'PO_NUMBER;STATUS\nPO100001;COMPLETED\n');
    assert.throws(() => StateStore.open(file), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'OUTPUT_NOT_WRITABLE');
      assert.match(error.message, /Cannot read the state file .*state\.sqlite/);
      return true;
    });
  });

  it('refuses, as a clear error, an output folder it cannot create', () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, '');
    assert.throws(() => StateStore.open(stateFilePath(blocker)), (error: unknown) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'OUTPUT_NOT_WRITABLE');
      return true;
    });
  });

  it('turns SQLite running out of disk into DISK_FULL, which stops the run resumably', () => {
    // SQLITE_FULL (13) as node:sqlite reports it; a real full disk cannot be made in a unit test.
    const error = storageError(Object.assign(new Error('database or disk is full'), { errcode: 13 }), 'out/state.sqlite');
    assert.ok(error instanceof CoupaDlError);
    assert.equal(error.code, 'DISK_FULL');
    assert.equal(error.kind, 'run');
    const constraint = Object.assign(new Error('CHECK constraint failed'), { errcode: 275 });
    assert.equal(storageError(constraint, 'out/state.sqlite'), constraint);
  });
});

describe('state files written by an earlier version', () => {
  it('migrates a version 1 file (before NEEDS_REVIEW): every PO, file row and transition kept, the new status accepted', () => {
    const file = newFile();
    mkdirSync(dirname(file), { recursive: true });
    // Exactly what version 1 wrote, made by version 1's own migration.
    rawSql(file, (db) => {
      migrateSchema(db, file, 1);
      db.exec(`INSERT INTO runs (id, command, input_path, base_url, pid, host, started_at) VALUES (1, 'resume', 'pos.csv', 'https://acme.coupahost.com', 1, 'h', '2026-11-01T00:00:00Z');
        INSERT INTO pos (po_id, po_number, state, attempts, updated_at, outcome_status, supplier, attachments_found, attachments_downloaded, error_message, folder, coupa_url)
          VALUES ('100001', 'PO100001', 'PARTIAL', 2, '2026-11-01T00:00:01Z', 'PARTIAL', 'Acme', 2, 1, 'one failed', 'Acme/PO100001_PARTIAL', 'https://acme.coupahost.com/order_headers/100001'),
                 ('100002', 'PO100002', 'PENDING', 0, '2026-11-01T00:00:01Z', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO files (po_id, stage, po_number, name, relative_path, size_bytes, sha256, source_url, kind, origin, recorded_at)
          VALUES ('100001', 'final', 'PO100001', 'a.pdf', 'Acme/PO100001_PARTIAL/a.pdf', 3, 'ab', 'u', 'file', 'po', '2026-11-01T00:00:01Z');
        INSERT INTO transitions (po_id, run_id, at, from_state, to_state, attempt, message) VALUES ('100001', 1, '2026-11-01T00:00:01Z', 'RUNNING', 'PARTIAL', 2, 'one failed');`);
      assert.throws(() => db.exec(`UPDATE pos SET state = 'NEEDS_REVIEW' WHERE po_id = '100002'`), /CHECK constraint/);
    });

    {
      using store = StateStore.open(file);
      const po = store.getPo('100001');
      assert.equal(po?.state, 'PARTIAL');
      assert.equal(po?.outcome?.folder, 'Acme/PO100001_PARTIAL');
      assert.equal(po?.outcome?.savedPage, '');
      assert.deepEqual(store.listFiles().map((row) => row.relativePath), ['Acme/PO100001_PARTIAL/a.pdf']);
      store.markRunning('100002', { attempt: 1, workerId: 1 });
      store.finishPo('100002', { status: 'NEEDS_REVIEW', supplier: 'Acme', attachmentsFound: 1, attachmentsDownloaded: 1, files: [], errorMessage: 'The page needs a look', folder: '', coupaUrl: 'u', savedPage: '.coupa-dl/pages/PO100002' });
      assert.equal(store.getPo('100002')?.outcome?.savedPage, '.coupa-dl/pages/PO100002');
    }
    assert.equal(rawSql(file, schemaVersion), SCHEMA_VERSION);
    assert.equal(rawSql(file, (db) => db.prepare('SELECT count(*) AS n FROM transitions').get()?.['n']), 3);
    assert.deepEqual(rawSql(file, (db) => db.prepare('PRAGMA foreign_key_check').all()), []);
  });

  it('migrates a version 2 file (before mails to PDF): every PO, file and transition kept, its mails to convert found, conversions and PO PDFs recorded from then on', () => {
    const file = newFile();
    mkdirSync(dirname(file), { recursive: true });
    // Exactly what version 2 wrote, made by version 2's own migrations: a batch finished before this feature.
    rawSql(file, (db) => {
      migrateSchema(db, file, 2);
      db.exec(`INSERT INTO runs (id, command, input_path, base_url, pid, host, started_at, ended_at, interrupted) VALUES (1, 'resume', 'pos.csv', 'https://acme.coupahost.com', 1, 'h', '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', 0);
        INSERT INTO pos (po_id, po_number, state, attempts, updated_at, outcome_status, supplier, attachments_found, attachments_downloaded, error_message, folder, coupa_url, saved_page)
          VALUES ('100001', 'PO100001', 'COMPLETED', 1, '2026-11-01T00:00:01Z', 'COMPLETED', 'Acme', 2, 2, '', 'Acme/PO100001_COMPLETED', 'https://acme.coupahost.com/order_headers/100001', '');
        INSERT INTO files (po_id, stage, po_number, name, relative_path, size_bytes, sha256, source_url, kind, origin, recorded_at)
          VALUES ('100001', 'final', 'PO100001', 'a.pdf', 'Acme/PO100001_COMPLETED/a.pdf', 3, 'ab', 'u', 'file', 'po', '2026-11-01T00:00:01Z'),
                 ('100001', 'final', 'PO100001', 'RE Approval.msg', 'Acme/PO100001_COMPLETED/RE Approval.msg', 9, 'cd', 'u', 'file', 'po', '2026-11-01T00:00:01Z');
        INSERT INTO transitions (po_id, run_id, at, from_state, to_state, attempt, message) VALUES ('100001', 1, '2026-11-01T00:00:01Z', 'RUNNING', 'COMPLETED', 1, '2 of 2 attachments downloaded.');`);
      assert.throws(() => db.prepare('SELECT * FROM conversions').all(), /no such table/);
    });

    {
      using store = StateStore.open(file);
      const po = store.getPo('100001');
      assert.equal(po?.state, 'COMPLETED');
      assert.deepEqual(po?.outcome?.files.map((row) => row.name), ['a.pdf', 'RE Approval.msg']);
      assert.deepEqual(store.listConversions(), []);
      assert.deepEqual(store.listPoPdfs(), []);
      store.recordConversions({ poId: '100001', rootPath: 'Acme/PO100001_COMPLETED/RE Approval.msg', rootSha256: 'cd' }, [
        { sourcePath: 'Acme/PO100001_COMPLETED/RE Approval.msg', outputPath: 'Acme/PO100001_COMPLETED/RE Approval.msg.pdf', kind: 'pdf', sizeBytes: 5, sha256: 'ef', status: 'done', code: null, reason: null, depth: 1 },
      ]);
      assert.deepEqual(store.listConversions().map((row) => [row.rootPath, row.outputPath, row.status]), [['Acme/PO100001_COMPLETED/RE Approval.msg', 'Acme/PO100001_COMPLETED/RE Approval.msg.pdf', 'done']]);
    }
    assert.equal(rawSql(file, schemaVersion), SCHEMA_VERSION);
    assert.equal(rawSql(file, (db) => db.prepare('SELECT count(*) AS n FROM transitions').get()?.['n']), 1);
    assert.deepEqual(rawSql(file, (db) => db.prepare('PRAGMA foreign_key_check').all()), []);
    rawSql(file, (db) => assert.throws(() => db.exec("UPDATE conversions SET status = 'converted'"), /CHECK constraint failed/));
  });

  it('migrates a version 3 file (before the fetch source): POs kept with no source, the source of a PO finished later recorded and counted', () => {
    const file = newFile();
    mkdirSync(dirname(file), { recursive: true });
    rawSql(file, (db) => {
      migrateSchema(db, file, 3);
      db.exec(`INSERT INTO pos (po_id, po_number, state, attempts, updated_at, outcome_status, supplier, attachments_found, attachments_downloaded, error_message, folder, coupa_url, saved_page)
          VALUES ('100001', 'PO100001', 'COMPLETED', 1, '2026-12-01T00:00:01Z', 'COMPLETED', 'Acme', 1, 1, '', 'Acme/PO100001_COMPLETED', 'https://acme.coupahost.com/order_headers/100001', ''),
                 ('100002', 'PO100002', 'PENDING', 0, '2026-12-01T00:00:01Z', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '');`);
    });
    {
      using store = StateStore.open(file);
      assert.equal(store.getPo('100001')?.source, null);
      assert.equal(store.getPo('100001')?.outcome?.folder, 'Acme/PO100001_COMPLETED');
      store.markRunning('100002', { attempt: 1, workerId: 1 });
      store.finishPo('100002', { status: 'NO_ATTACHMENTS', supplier: 'Acme', attachmentsFound: 0, attachmentsDownloaded: 0, files: [], errorMessage: '', folder: '', coupaUrl: 'u', savedPage: '' }, { source: 'api' });
      assert.equal(store.getPo('100002')?.source, 'api');
      assert.deepEqual(store.countBySource(), { browser: 0, api: 1 });
    }
    rawSql(file, (db) => assert.throws(() => db.exec("UPDATE pos SET source = 'carrier pigeon'"), /CHECK constraint/));
    assert.equal(rawSql(file, schemaVersion), SCHEMA_VERSION);
  });

  it('knows every status and every fetch source in its last migration', () => {
    assert.deepEqual([...SCHEMA_STATUSES], [...PO_STATUSES]);
    assert.deepEqual([...SCHEMA_SOURCES], [...FETCH_SOURCES]);
  });
});
