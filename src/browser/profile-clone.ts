import { copyFile, mkdir, mkdtemp, readdir, rm, stat, chmod } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';
import { isExcludedFromClone } from './clone-exclusions.ts';

/** Clones are named `coupa-dl-profile-<owner pid>-<random>` so a later run can spot orphans. */
export const CLONE_PREFIX = 'coupa-dl-profile-';

export interface SkippedEntry {
  /** Relative to the profile root, e.g. `Default/Network/Cookies`. */
  path: string;
  reason: string;
}

export interface ProfileClone extends AsyncDisposable {
  readonly userDataDir: string;
  /** What to pass as `--profile-directory`. */
  readonly profileDirectory: string;
  /** What could not be read (the browser holds it open, or it is not a regular file). */
  readonly skipped: readonly SkippedEntry[];
  remove(): Promise<void>;
}

export interface CloneOptions {
  tempRoot: string;
  /** Owner recorded in the folder name; defaults to this process. */
  pid?: number;
  /** Files copied at once: enough to hide latency, few enough for a laptop disk. */
  concurrency?: number;
}

interface CopyJob { from: string; to: string; rel: string }

/** A running browser locks or hides some files; those are skipped and reported, not fatal. */
const UNREADABLE = new Set(['EBUSY', 'EPERM', 'EACCES', 'ENOENT', 'ELOOP', 'EISDIR', 'ENOTDIR']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function unreadable(error: unknown, rel: string): SkippedEntry {
  const code = errorCode(error);
  if (code === undefined || !UNREADABLE.has(code)) throw error;
  return { path: rel, reason: `could not be read (${code})` };
}

async function entryKind(entry: Dirent, full: string): Promise<'file' | 'dir' | 'other'> {
  // Follow symlinks so a dangling one surfaces as ENOENT instead of a broken link in the clone.
  const s = entry.isSymbolicLink() ? await stat(full) : entry;
  if (s.isFile()) return 'file';
  return s.isDirectory() ? 'dir' : 'other';
}

/** Mirrors the folder structure and lists the files to copy; reading a FIFO would hang, so only regular files. */
async function plan(from: string, to: string, rel: string, jobs: CopyJob[], skipped: SkippedEntry[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch (error) {
    skipped.push(unreadable(error, rel));
    return;
  }
  await mkdir(to, { recursive: true });
  for (const entry of entries) {
    if (isExcludedFromClone(entry.name)) continue;
    const src = path.join(from, entry.name);
    const entryRel = path.posix.join(rel, entry.name);
    try {
      const kind = await entryKind(entry, src);
      if (kind === 'file') jobs.push({ from: src, to: path.join(to, entry.name), rel: entryRel });
      else if (kind === 'dir') await plan(src, path.join(to, entry.name), entryRel, jobs, skipped);
      else skipped.push({ path: entryRel, reason: 'not a regular file' });
    } catch (error) {
      skipped.push(unreadable(error, entryRel));
    }
  }
}

async function copyAll(jobs: readonly CopyJob[], concurrency: number, skipped: SkippedEntry[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
      try {
        await copyFile(job.from, job.to);
      } catch (error) {
        skipped.push(unreadable(error, job.rel));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

function makeClone(userDataDir: string, profileDirectory: string, skipped: SkippedEntry[]): ProfileClone {
  // Windows may hold files for a moment after the browser exits, hence the retries.
  const remove = (): Promise<void> => rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  return { userDataDir, profileDirectory, skipped, remove, [Symbol.asyncDispose]: remove };
}

/**
 * A private copy of one profile (plus the root's `Local State`, which holds the cookie key on
 * Windows) that a browser can run on while the user's own browser keeps the original open.
 * The original is only read. Caches, session files and lock files are left out.
 */
export async function cloneProfile(profile: { root: string; dir: string }, options: CloneOptions): Promise<ProfileClone> {
  await mkdir(options.tempRoot, { recursive: true });
  const userDataDir = await mkdtemp(path.join(options.tempRoot, `${CLONE_PREFIX}${options.pid ?? process.pid}-`));
  await chmod(userDataDir, 0o700);
  const clone = makeClone(userDataDir, profile.dir, []);
  const skipped = clone.skipped as SkippedEntry[];
  try {
    const jobs: CopyJob[] = [{ from: path.join(profile.root, 'Local State'), to: path.join(userDataDir, 'Local State'), rel: 'Local State' }];
    await plan(path.join(profile.root, profile.dir), path.join(userDataDir, profile.dir), profile.dir, jobs, skipped);
    await copyAll(jobs, options.concurrency ?? 8, skipped);
    return clone;
  } catch (error) {
    await clone.remove();
    if (errorCode(error) === 'ENOSPC') {
      throw new CoupaDlError('DISK_FULL', `The disk is full: could not copy the browser profile into ${options.tempRoot}.`, {
        cause: error,
        hint: 'Free some disk space, or point the temporary folder at a disk with more room.',
      });
    }
    throw error;
  }
}

/** Removes clones whose owner is gone (a run killed before it could clean up); returns their paths. */
export async function removeStaleClones(tempRoot: string, isAlive: (pid: number) => boolean): Promise<string[]> {
  const names = await readdir(tempRoot).catch(() => [] as string[]);
  const stale = names
    .map((name) => ({ name, pid: Number(new RegExp(`^${CLONE_PREFIX}(\\d+)-`).exec(name)?.[1] ?? Number.NaN) }))
    .filter(({ pid }) => Number.isInteger(pid) && pid > 0 && !isAlive(pid))
    .map(({ name }) => path.join(tempRoot, name));
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })));
  return stale;
}
