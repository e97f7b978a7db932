/**
 * Two warnings Node prints that say nothing to our users, dropped before they print; every other
 * warning still prints:
 * - Node 22: "SQLite is an experimental feature" when node:sqlite loads (Node 24 and 26 are quiet).
 *   It is emitted as the module loads, so this must be in place before the code that imports it.
 * - DEP0005 "Buffer() is deprecated": from dependencies (archiver-utils, under exceljs). Node keeps
 *   it quiet for code under node_modules, which bundled code no longer is (the standalone programs,
 *   the Windows zip).
 */
export function quietWarnings(proc: NodeJS.Process): void {
  const emit = proc.emit.bind(proc) as (event: string | symbol, ...args: unknown[]) => boolean;
  const quieted = (event: string | symbol, warning: unknown): boolean =>
    event === 'warning' &&
    warning instanceof Error &&
    ((warning.name === 'ExperimentalWarning' && /\bSQLite\b/.test(warning.message)) ||
      (warning.name === 'DeprecationWarning' && (warning as Error & { code?: unknown }).code === 'DEP0005'));
  const filtered = (event: string | symbol, ...args: unknown[]): boolean => (quieted(event, args[0]) ? false : emit(event, ...args));
  proc.emit = filtered as NodeJS.Process['emit'];
}
