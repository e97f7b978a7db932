import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';

/**
 * Creates the output folder and proves a file can be written in it, before the run writes its
 * state there: a read-only disk (a write-protected USB stick, a read-only share; root ignores
 * `chmod` but not a read-only mount), a folder without rights, a full disk or a path that is a
 * file each get their own words instead of a SQLite or file-system error.
 */
export async function prepareOutputFolder(outDir: string, pid: number): Promise<void> {
  const probe = join(outDir, `.coupa-dl-write-check-${pid}.tmp`);
  try {
    await mkdir(outDir, { recursive: true }).catch(async (error: unknown) => {
      // A recursive mkdir on a read-only disk says ENOENT (seen on Linux): ask the folder that exists.
      throw (await writeErrorAbove(outDir, pid)) ?? error;
    });
    await writeFile(probe, 'coupa-dl');
  } catch (error) {
    throw outputFolderError(error, outDir);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/** The error of writing a file in the nearest folder above `path` that exists; null if that works. */
async function writeErrorAbove(path: string, pid: number): Promise<unknown> {
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  const probe = join(folder, `.coupa-dl-write-check-${pid}.tmp`);
  try {
    await writeFile(probe, 'coupa-dl');
    await rm(probe, { force: true });
    return null;
  } catch (error) {
    return error;
  }
}

export function outputFolderError(error: unknown, outDir: string): CoupaDlError {
  const code = (error as { code?: unknown } | null)?.code;
  const other = 'Choose another folder with --out (for example one in your Documents), then run again.';
  switch (code) {
    case 'EROFS':
      return new CoupaDlError('OUTPUT_NOT_WRITABLE', `The output folder ${outDir} is on a read-only disk.`, { cause: error, hint: `${other} Nothing was downloaded.` });
    case 'EACCES':
    case 'EPERM':
      return new CoupaDlError('OUTPUT_NOT_WRITABLE', `You may not write in the output folder ${outDir}.`, { cause: error, hint: `${other} Or ask IT for write access. Nothing was downloaded.` });
    case 'ENOSPC':
    case 'EDQUOT':
      return new CoupaDlError('DISK_FULL', `The disk of the output folder ${outDir} is full.`, { cause: error, hint: 'Free some space, or choose a folder on another drive with --out.' });
    case 'ENOTDIR':
    case 'EEXIST':
      return new CoupaDlError('OUTPUT_NOT_WRITABLE', `The output folder ${outDir} cannot be made: part of that path is a file, not a folder.`, { cause: error, hint: other });
    case 'ENAMETOOLONG':
    case 'EINVAL':
    case 'ENOENT':
      return new CoupaDlError('OUTPUT_NOT_WRITABLE', `The output folder ${outDir} cannot be made here (${String(code)}): the name is too long, holds characters the disk does not accept, or its drive is not there.`, { cause: error, hint: other });
    default:
      return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot write in the output folder ${outDir} (${String(code ?? (error instanceof Error ? error.message : error))}).`, { cause: error, hint: other });
  }
}
