import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * SIGKILL to one browser we started and everything under it, and nothing else: the earlier
 * tool killed every Edge window on the machine. On POSIX Playwright starts the browser
 * detached, as the leader of its own process group, so `-pid` reaches its renderers, GPU and
 * utility processes; on Windows `taskkill /T` walks the tree from our PID.
 */
export async function killProcessTree(pid: number, platform = process.platform): Promise<void> {
  if (platform === 'win32') {
    await run('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true }).catch(() => {});
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // No such group (not started detached, or already gone): the process alone, if it is still there.
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
