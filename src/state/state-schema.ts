import type { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../domain/errors.ts';

/** The schema this build writes; kept in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 4;

/** `IN (...)` list for a CHECK constraint; the values are our own identifiers, never user text. */
function sqlList(values: readonly string[]): string {
  for (const value of values) if (!/^[A-Za-z_]+$/.test(value)) throw new Error(`Not a state name: ${value}`);
  return values.map((value) => `'${value}'`).join(', ');
}

/** The states and statuses as version 1 shipped them: a shipped migration never changes. */
const V1_STATUSES = ['COMPLETED', 'PARTIAL', 'FAILED', 'NO_ATTACHMENTS', 'PO_NOT_FOUND', 'ACCESS_DENIED', 'PR_NOT_ACCESSIBLE', 'TIMEOUT', 'INVALID_PO'];
const states = sqlList(['PENDING', 'RUNNING', ...V1_STATUSES]);
const v1Statuses = sqlList(V1_STATUSES);
const V2_STATUSES = [...V1_STATUSES, 'NEEDS_REVIEW'];
const v2States = sqlList(['PENDING', 'RUNNING', ...V2_STATUSES]);
const v2Statuses = sqlList(V2_STATUSES);

// Version 4: which way each PO was fetched (domain/fetch-source.ts), frozen here as shipped.
const V4_SOURCES = ['browser', 'api'];
const v4Sources = sqlList(V4_SOURCES);

/** The fetch sources the last migration allows (a unit test compares it with FETCH_SOURCES). */
export const SCHEMA_SOURCES: readonly string[] = V4_SOURCES;

/** The statuses the last migration allows: a new status needs a new migration (a unit test compares it with PO_STATUSES). */
export const SCHEMA_STATUSES: readonly string[] = V2_STATUSES;

/**
 * Each entry upgrades the schema by one version (index 0: empty file to version 1).
 * Never edit a shipped entry: add one. SQLite cannot alter a CHECK constraint, so a new PoState
 * needs a migration that rebuilds the tables holding states.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    input_path TEXT NOT NULL,
    base_url TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    interrupted INTEGER CHECK (interrupted IN (0, 1))
  );
  CREATE TABLE run_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL
  );
  CREATE TABLE input_sheet (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    columns TEXT NOT NULL
  );
  CREATE TABLE input_rows (
    position INTEGER PRIMARY KEY,
    row_number INTEGER NOT NULL,
    po_number TEXT NOT NULL,
    po_id TEXT,
    problem TEXT,
    input_status TEXT NOT NULL,
    supplier TEXT NOT NULL,
    folder_levels TEXT,
    cells TEXT NOT NULL
  );
  CREATE TABLE pos (
    po_id TEXT PRIMARY KEY,
    po_number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN (${states})),
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    outcome_status TEXT CHECK (outcome_status IN (${v1Statuses})),
    supplier TEXT,
    attachments_found INTEGER,
    attachments_downloaded INTEGER,
    error_message TEXT,
    folder TEXT,
    coupa_url TEXT
  );
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    po_id TEXT NOT NULL REFERENCES pos (po_id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('work', 'final')),
    po_number TEXT NOT NULL,
    name TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source_url TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('file', 'url', 'text')),
    origin TEXT NOT NULL CHECK (origin IN ('po', 'requisition')),
    recorded_at TEXT NOT NULL,
    UNIQUE (po_id, relative_path)
  );
  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY,
    po_id TEXT NOT NULL REFERENCES pos (po_id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES runs (id),
    at TEXT NOT NULL,
    from_state TEXT CHECK (from_state IN (${states})),
    to_state TEXT NOT NULL CHECK (to_state IN (${states})),
    attempt INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX transitions_by_po ON transitions (po_id, id);
  CREATE INDEX files_by_po ON files (po_id, id);
  `,
  // 2: the NEEDS_REVIEW status (SQLite cannot alter a CHECK constraint: the tables holding states
  // are rebuilt), and where a PO's saved page copy is.
  `
  CREATE TABLE pos_v2 (
    po_id TEXT PRIMARY KEY,
    po_number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN (${v2States})),
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    outcome_status TEXT CHECK (outcome_status IN (${v2Statuses})),
    supplier TEXT,
    attachments_found INTEGER,
    attachments_downloaded INTEGER,
    error_message TEXT,
    folder TEXT,
    coupa_url TEXT,
    saved_page TEXT NOT NULL DEFAULT ''
  );
  INSERT INTO pos_v2 (po_id, po_number, state, attempts, updated_at, last_error, outcome_status, supplier, attachments_found, attachments_downloaded, error_message, folder, coupa_url)
    SELECT po_id, po_number, state, attempts, updated_at, last_error, outcome_status, supplier, attachments_found, attachments_downloaded, error_message, folder, coupa_url FROM pos;
  DROP TABLE pos;
  ALTER TABLE pos_v2 RENAME TO pos;
  CREATE TABLE transitions_v2 (
    id INTEGER PRIMARY KEY,
    po_id TEXT NOT NULL REFERENCES pos (po_id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES runs (id),
    at TEXT NOT NULL,
    from_state TEXT CHECK (from_state IN (${v2States})),
    to_state TEXT NOT NULL CHECK (to_state IN (${v2States})),
    attempt INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  INSERT INTO transitions_v2 SELECT id, po_id, run_id, at, from_state, to_state, attempt, message FROM transitions;
  DROP TABLE transitions;
  ALTER TABLE transitions_v2 RENAME TO transitions;
  CREATE INDEX transitions_by_po ON transitions (po_id, id);
  `,
  // 3: what became of every downloaded mail (conversion-table.ts: the PDF, the files taken out of
  // it, failures and skips, one row each) and the PO itself as a PDF (po-pdf-table.ts). The lists
  // in the CHECKs are written out here, frozen: they are this version's, whatever the code says later.
  `
  CREATE TABLE conversions (
    id INTEGER PRIMARY KEY,
    po_id TEXT NOT NULL REFERENCES pos (po_id) ON DELETE CASCADE,
    root_path TEXT NOT NULL,
    root_sha256 TEXT NOT NULL,
    source_path TEXT NOT NULL,
    output_path TEXT,
    kind TEXT CHECK (kind IN ('pdf', 'attachment')),
    size_bytes INTEGER,
    sha256 TEXT,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'skipped')),
    code TEXT,
    reason TEXT,
    depth INTEGER NOT NULL CHECK (depth >= 1),
    run_id INTEGER,
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX conversions_by_root ON conversions (po_id, root_path);
  CREATE TABLE po_pdfs (
    po_id TEXT PRIMARY KEY REFERENCES pos (po_id) ON DELETE CASCADE,
    relative_path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source_url TEXT NOT NULL,
    run_id INTEGER,
    recorded_at TEXT NOT NULL
  );
  `,
  // 4: which way a PO was last fetched, browser or API (NULL: before version 4, or never finished).
  `
  ALTER TABLE pos ADD COLUMN source TEXT CHECK (source IN (${v4Sources}));
  `,
];

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  const version = row?.['user_version'];
  return typeof version === 'number' ? version : 0;
}

/**
 * Brings the file up to `targetVersion`, one version per transaction; refuses files from a newer
 * coupa-dl. The version is read inside the write transaction, so two processes opening a new
 * file at once do not both create the tables.
 */
export function migrateSchema(db: DatabaseSync, file: string, targetVersion = SCHEMA_VERSION): void {
  // Rebuilding a table that others reference must not cascade deletes: foreign keys are checked
  // after each migration instead (the pragma cannot change inside a transaction).
  const foreignKeys = db.prepare('PRAGMA foreign_keys').get()?.['foreign_keys'] === 1;
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    migrate(db, file, targetVersion);
  } finally {
    if (foreignKeys) db.exec('PRAGMA foreign_keys = ON');
  }
}

function migrate(db: DatabaseSync, file: string, targetVersion: number): void {
  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const found = schemaVersion(db);
      if (found > targetVersion) throw newerSchemaError(file, found, targetVersion);
      if (found === targetVersion) {
        db.exec('COMMIT');
        return;
      }
      const migration = MIGRATIONS[found];
      if (migration === undefined) throw new Error(`No migration from schema version ${found}.`);
      db.exec(migration);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) throw new Error(`Migration to schema version ${found + 1} left ${broken.length} broken references in ${file} (a bug).`);
      // PRAGMA takes no bound parameters; the version is our own integer.
      db.exec(`PRAGMA user_version = ${found + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

function newerSchemaError(file: string, found: number, known: number): CoupaDlError {
  return new CoupaDlError(
    'OUTPUT_NOT_WRITABLE',
    `The state file ${file} was written by a newer coupa-dl (schema version ${found}; this one knows up to ${known}).`,
    { hint: 'Update coupa-dl, or choose another output folder.' },
  );
}
