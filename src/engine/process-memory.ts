import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A process tree: each PID with its parent and the memory that is its own. */
interface ProcessRow {
  pid: number;
  ppid: number;
  /** Filled in lazily on Linux (reading smaps_rollup for every process on the machine would be wasteful). */
  bytes: number | null;
}

/** The roots and every descendant of theirs that is alive now. */
export function descendantsOf(rows: readonly ProcessRow[], roots: readonly number[]): ProcessRow[] {
  const children = new Map<number, ProcessRow[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const found: ProcessRow[] = [];
  const seen = new Set<number>();
  const stack = roots.flatMap((pid) => byPid.get(pid) ?? []);
  while (stack.length > 0) {
    const row = stack.pop();
    if (row === undefined || seen.has(row.pid)) continue;
    seen.add(row.pid);
    found.push(row);
    stack.push(...(children.get(row.pid) ?? []));
  }
  return found;
}

/** PIDs of the roots and all their live descendants (e.g. a browser and its renderers). */
export async function processTreePids(roots: readonly number[], platform = process.platform): Promise<number[]> {
  if (roots.length === 0) return [];
  return descendantsOf(await processTable(platform), roots).map((row) => row.pid);
}

/**
 * Memory a process tree really uses. Linux: the sum of PSS (proportional set size), which splits
 * pages shared between processes among them; summed RSS would count Chromium's shared pages
 * once per process and report several times the truth.
 */
export async function processTreeMemoryBytes(roots: readonly number[], platform = process.platform): Promise<number> {
  const [bytes] = await processTreesMemoryBytes([roots], platform);
  return bytes ?? 0;
}

/**
 * The memory of several trees (one per group of roots) from one look at the process table: on
 * Linux that look reads a file per process on the machine (~10 ms of CPU), and each PSS read
 * makes the kernel walk that process's page tables (~2 ms each for a browser's processes).
 */
export async function processTreesMemoryBytes(groups: readonly (readonly number[])[], platform = process.platform): Promise<number[]> {
  if (groups.every((roots) => roots.length === 0)) return groups.map(() => 0);
  const table = await processTable(platform);
  const sizes = new Map<number, Promise<number>>();
  const sizeOf = (row: ProcessRow): Promise<number> => {
    let size = sizes.get(row.pid);
    if (size === undefined) {
      size = row.bytes === null ? linuxPssBytes(row.pid) : Promise.resolve(row.bytes);
      sizes.set(row.pid, size);
    }
    return size;
  };
  return Promise.all(groups.map(async (roots) => {
    const tree = roots.length === 0 ? [] : descendantsOf(table, roots);
    const bytes = await Promise.all(tree.map(sizeOf));
    return bytes.reduce((sum, value) => sum + value, 0);
  }));
}

async function processTable(platform: NodeJS.Platform): Promise<ProcessRow[]> {
  if (platform === 'linux') return linuxTable();
  if (platform === 'win32') return windowsTable();
  return psTable();
}

async function linuxTable(): Promise<ProcessRow[]> {
  const entries = await readdir('/proc').catch(() => []);
  const rows = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name)).map(async (name) => {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
      if (stat === null) return null;
      // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return { pid: Number(name), ppid, bytes: null };
    }),
  );
  return rows.filter((row) => row !== null);
}

async function linuxPssBytes(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => null);
  const pss = rollup === null ? null : /^Pss:\s+(\d+) kB/m.exec(rollup);
  if (pss?.[1] !== undefined) return Number(pss[1]) * 1024;
  // Kernels before 4.14 have no smaps_rollup: RSS over-counts, but is better than nothing.
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** macOS (and other Unixes): no cheap PSS there, so RSS, which over-counts shared pages. */
async function psTable(): Promise<ProcessRow[]> {
  const { stdout } = await run('ps', ['-axo', 'pid=,ppid=,rss=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').flatMap((line) => {
    const [pid, ppid, rssKb] = line.trim().split(/\s+/).map(Number);
    return pid === undefined || ppid === undefined || !Number.isFinite(pid) ? [] : [{ pid, ppid, bytes: (rssKb ?? 0) * 1024 }];
  });
}

/** Windows: the private working set (pages no other process shares), from one CIM query. */
async function windowsTable(): Promise<ProcessRow[]> {
  const query =
    'Get-CimInstance Win32_PerfFormattedData_PerfProc_Process | Select-Object IDProcess,CreatingProcessID,WorkingSetPrivate | ConvertTo-Json -Compress';
  const { stdout } = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', query], { windowsHide: true }).catch(() => ({ stdout: '[]' }));
  const parsed: unknown = JSON.parse(stdout || '[]');
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { IDProcess, CreatingProcessID, WorkingSetPrivate } = item as Record<string, unknown>;
    if (typeof IDProcess !== 'number' || IDProcess === 0) return [];
    return [{ pid: IDProcess, ppid: Number(CreatingProcessID ?? -1), bytes: Number(WorkingSetPrivate ?? 0) }];
  });
}
