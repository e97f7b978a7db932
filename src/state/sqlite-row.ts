import type { SQLOutputValue } from 'node:sqlite';

/** A row as node:sqlite returns it. Readers check each column's type so a schema slip fails loudly. */
export type SqliteRow = Record<string, SQLOutputValue>;

export function textColumn(row: SqliteRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`Expected column \`${column}\` to be text, got ${describe(value)}.`);
  return value;
}

export function nullableTextColumn(row: SqliteRow, column: string): string | null {
  return row[column] === null ? null : textColumn(row, column);
}

export function integerColumn(row: SqliteRow, column: string): number {
  const value = row[column];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`Expected column \`${column}\` to be an integer, got ${describe(value)}.`);
  }
  return value;
}

export function nullableIntegerColumn(row: SqliteRow, column: string): number | null {
  return row[column] === null ? null : integerColumn(row, column);
}

/** Columns that hold JSON written by this store (arrays of strings, records of strings). */
export function jsonColumn(row: SqliteRow, column: string): unknown {
  return JSON.parse(textColumn(row, column));
}

export function stringArray(value: unknown, column: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`Expected column \`${column}\` to hold a JSON array of strings.`);
  }
  return value;
}

export function stringRecord(value: unknown, column: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Expected column \`${column}\` to hold a JSON object.`);
  }
  const record: Record<string, string> = {};
  for (const [key, cell] of Object.entries(value)) {
    if (typeof cell !== 'string') throw new Error(`Expected column \`${column}\` to hold text cells, got ${describe(cell)} for \`${key}\`.`);
    record[key] = cell;
  }
  return record;
}

function describe(value: unknown): string {
  if (value === undefined) return 'no such column';
  if (value === null) return 'NULL';
  return `a ${typeof value}`;
}
