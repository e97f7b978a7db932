import { readdir, readFile } from 'node:fs/promises';

/**
 * One look at Linux's process table, read from /proc. The bench needs the whole tree under the
 * CLI (Node, its browsers and every renderer), and the browsers Playwright starts are detached
 * into their own process groups, so the tree is found by parent links, not by group.
 */

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime in clock ticks (USER_HZ, 100 on Linux). */
  readonly cpuTicks: number;
  /** Start time in ticks after boot: with the pid, names one process even if the pid is reused. */
  readonly startTicks: number;
}

export const CLOCK_TICKS_PER_SEC = 100;

/** Parses /proc/<pid>/stat; the name in parentheses may hold spaces, so fields count from the last `)`. */
export function parseStat(pid: number, text: string): ProcessInfo | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const field = (index: number): number => Number(rest[index] ?? 'NaN');
  const info = { pid, ppid: field(1), cpuTicks: field(11) + field(12), startTicks: field(19) };
  return Number.isFinite(info.ppid) && Number.isFinite(info.cpuTicks) ? info : undefined;
}

export async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    return parseStat(pid, await readFile(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return undefined; // gone between listing and reading
  }
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  const names = await readdir('/proc');
  const infos = await Promise.all(names.filter((name) => /^\d+$/.test(name)).map((name) => readProcess(Number(name))));
  return infos.filter((info) => info !== undefined);
}

/** `root` and everything below it (children, grandchildren, …). */
export function descendantsOf(root: number, processes: readonly ProcessInfo[], includeRoot = true): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcessInfo[] = [];
  const rootInfo = processes.find((info) => info.pid === root);
  if (includeRoot && rootInfo !== undefined) found.push(rootInfo);
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

export type ProcessKind = 'node' | 'browser' | 'renderer' | 'gpu' | 'utility' | 'other';

/** What a process is, from its command line: our Node process, or which part of Chromium. */
export function processKindOf(argv: readonly string[]): ProcessKind {
  const type = argv.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
  if (type === undefined) {
    const program = argv[0] ?? '';
    if (/(^|\/)node$/.test(program)) return 'node';
    return /chrom|msedge/.test(program) ? 'browser' : 'other';
  }
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  return type === 'utility' ? 'utility' : 'other';
}

export async function readProcessKind(pid: number): Promise<ProcessKind> {
  try {
    // Chromium rewrites its children's titles as one space-separated string, so split on both.
    return processKindOf((await readFile(`/proc/${String(pid)}/cmdline`, 'utf8')).split(/[\0 ]/));
  } catch {
    return 'other';
  }
}

/** Proportional set size in bytes: shared pages split among the processes sharing them, so sums are honest. */
export async function readPssBytes(pid: number): Promise<number> {
  try {
    const text = await readFile(`/proc/${String(pid)}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+) kB/m.exec(text);
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** Cumulative CPU ticks of `pid` itself and of its children it has waited for (utime+stime+cutime+cstime). */
export async function readOwnAndReapedTicks(pid: number): Promise<{ own: number; reaped: number }> {
  const text = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (index: number): number => Number(rest[index] ?? '0');
  return { own: field(11) + field(12), reaped: field(13) + field(14) };
}

/** Busy and total ticks of the whole machine (/proc/stat first line), for "was the CPU saturated". */
export async function readMachineTicks(): Promise<{ busy: number; total: number }> {
  const text = await readFile('/proc/stat', 'utf8');
  const values = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  // idle + iowait are not busy
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}
