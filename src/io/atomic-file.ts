import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';

// What renaming onto a file reports when Excel holds it open (Windows), or when the name is taken
// by something that is not a file we may replace (a folder).
const TAKEN_CODES = new Set(['EBUSY', 'EPERM', 'EACCES', 'EISDIR', 'ENOTEMPTY', 'EEXIST']);
const MAX_ALTERNATIVES = 50;

/**
 * Writes the bytes to a temporary file beside the target and renames it into place, so a crash
 * never leaves a half-written file. When the target is locked, the next free alternative name
 * (`results (1).csv`, `results (2).csv`, …) is used instead. Returns the path written.
 * Throws DISK_FULL or OUTPUT_NOT_WRITABLE only when the folder itself cannot take the file.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<string> {
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(temp, bytes, { flush: true });
  } catch (error) {
    await rm(temp, { force: true });
    throw folderError(target, error);
  }
  for (let attempt = 0; attempt <= MAX_ALTERNATIVES; attempt += 1) {
    const candidate = alternativeName(target, attempt);
    try {
      await rename(temp, candidate);
      return candidate;
    } catch (error) {
      if (!TAKEN_CODES.has(errorCode(error))) {
        await rm(temp, { force: true });
        throw folderError(target, error);
      }
    }
  }
  await rm(temp, { force: true });
  throw new CoupaDlError('OUTPUT_NOT_WRITABLE', `Could not write ${target} or any of ${MAX_ALTERNATIVES} alternative names.`, {
    hint: 'Close the report files in Excel and run again.',
  });
}

/** `results.csv`, then `results (1).csv`, `results (2).csv`, … */
export function alternativeName(target: string, attempt: number): string {
  if (attempt === 0) return target;
  const extension = extname(target);
  return `${target.slice(0, target.length - extension.length)} (${attempt})${extension}`;
}

function folderError(target: string, error: unknown): CoupaDlError {
  const code = errorCode(error);
  if (code === 'ENOSPC') {
    return new CoupaDlError('DISK_FULL', `The disk is full: could not write ${target}.`, { cause: error, hint: 'Free some space and run again.' });
  }
  return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Could not write ${target} (${code || 'unknown error'}).`, {
    cause: error,
    hint: 'Check that the output folder exists and that you may write to it.',
  });
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? '';
}
