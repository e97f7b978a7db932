import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';
import { SCHEMA_VERSION, schemaVersion } from '../../src/state/state-schema.ts';
import { storageError } from '../../src/state/transaction.ts';

const root = mkdtempSync(join(tmpdir(), 'coupa-dl-schema-'));
after(() => rmSync(root, { recursive: true, force: true }));
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
