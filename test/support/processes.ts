import { readdirSync, readFileSync } from 'node:fs';

/**
 * The process table as /proc shows it (Linux), for tests that check no browser of ours survives.
 * A process is known by its PID *and* its start time: once a PID is gone the kernel may give it
 * to an unrelated process (another test's browser), which must not count as ours.
 */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group id: browsers started detached lead their own group. */
  readonly pgid: number;
  /** Clock ticks after boot; with the PID it names one process for its whole life. */
  readonly startTime: number;
  /** `Z`: a zombie, already dead and waiting to be reaped, does not count as running. */
  readonly state: string;
  readonly cmdline: string;
}

export interface ProcessId {
  readonly pid: number;
  readonly startTime: number;
}

/** One process from /proc, or null when it is gone (or was never there). */
export function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself hold spaces and parentheses: split after the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return {
      pid,
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTime: Number(fields[19]),
      cmdline,
    };
  } catch {
    return null;
  }
}

export function listProcesses(): ProcessInfo[] {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  return pids.map(readProcess).filter((info): info is ProcessInfo => info !== null);
}

/** Every process below the roots (children, grandchildren, …), the roots themselves left out. */
export function descendantsOf(roots: readonly number[], table: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcessInfo[] = [];
  const queue = [...roots];
  const seen = new Set(roots);
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Running (not a zombie), and still the same process: a PID reused since does not count. */
export function isAlive(id: number | ProcessId): boolean {
  const pid = typeof id === 'number' ? id : id.pid;
  const info = readProcess(pid);
  if (info === null || info.state === 'Z') return false;
  return typeof id === 'number' || info.startTime === id.startTime;
}

/** Running processes whose command line contains `text` (e.g. a run's temp or profile folder). */
export function processesMentioning(text: string, table: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return table.filter((info) => info.state !== 'Z' && info.cmdline.includes(text));
}

/**
 * SIGKILL to a browser as a crash would hit it: its whole process group when it leads one (how
 * Playwright starts browsers on POSIX), else the process alone.
 */
export function killLikeACrash(pid: number): void {
  const info = readProcess(pid);
  process.kill(info !== null && info.pgid === pid ? -pid : pid, 'SIGKILL');
}

/**
 * Follows every process below a root (a CLI run) while it lives, so that after it exits we can
 * ask whether any of them outlived it: a killed parent's children are re-parented to init and
 * can no longer be found by walking down from the root.
 */
export class ProcessWatch {
  readonly #root: number;
  readonly #seen = new Map<string, ProcessInfo>();
  readonly #profiles = new Set<string>();
  readonly #timer: NodeJS.Timeout;

  constructor(rootPid: number, intervalMs = 250) {
    this.#root = rootPid;
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  /** Records a browser the run announced (its tree and its profile folder), the moment it is announced. */
  noteWorker(pids: readonly number[]): void {
    for (const pid of pids) {
      const info = readProcess(pid);
      if (info !== null) this.#record(info);
    }
    this.#recordAll(descendantsOf(pids));
  }

  sample(): void {
    this.#recordAll(descendantsOf([this.#root]));
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  seen(): ProcessInfo[] {
    return [...this.#seen.values()];
  }

  /** The browser profile folders (`--user-data-dir`) of every process seen. */
  profiles(): string[] {
    return [...this.#profiles];
  }

  /**
   * Processes of this run still running: any process seen, or any whose command line names one
   * of its profile folders or `markers`. SIGKILLed processes take a moment to go: asks again for
   * up to `settleMs` before answering.
   */
  async survivors(markers: readonly string[] = [], settleMs = 5_000): Promise<ProcessInfo[]> {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const table = listProcesses();
      const alive = this.seen().filter((info) => isAlive(info));
      const named = [...this.#profiles, ...markers].flatMap((text) => processesMentioning(text, table));
      const found = [...new Map([...alive, ...named].map((info) => [info.pid, info])).values()];
      if (found.length === 0 || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  #recordAll(infos: readonly ProcessInfo[]): void {
    for (const info of infos) this.#record(info);
  }

  #record(info: ProcessInfo): void {
    this.#seen.set(`${info.pid}:${info.startTime}`, info);
    const profile = /--user-data-dir=(\S+)/.exec(info.cmdline)?.[1];
    if (profile !== undefined) this.#profiles.add(profile);
  }
}
