import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoStatus } from '../domain/status.ts';
import { safeFileName, uniqueFileName } from '../domain/file-name.ts';
import { finalFolderName, isPoFolderOf, workFolderName } from '../domain/folder-name.ts';
import { diskError } from './browser-error.ts';

/**
 * One PO's folder on disk: `<parents>/<PO folder>__WORK` while downloading, renamed to
 * `<PO folder>_<STATUS>` when done.
 *
 * The rule on a later attempt (resume, `retry`), so that nothing is lost or duplicated:
 * - a `__WORK` folder left by a crash holds unverified files: it is deleted and a fresh one made;
 * - older final folders (`<PO folder>_<ANY STATUS>`) stay untouched while the new attempt runs,
 *   and are replaced only once it is done and wrote at least one file or found nothing newer to
 *   lose; a new attempt that saved no file at all leaves them as they are (a failed retry never
 *   deletes what an earlier run got) and its empty work folder is dropped;
 * - the replacement deletes the older folders, then renames the work folder into place; when the
 *   new attempt did not get everything (not COMPLETED), files of the older folders it did not save
 *   again are moved into the new folder first, so a retry that gets other files than the run
 *   before never loses the earlier ones.
 */
export class PoFolder {
  readonly #outDir: string;
  readonly #parents: readonly string[];
  readonly #poFolder: string;
  readonly #names = new Set<string>();
  /** Names of files this attempt made that are not attachments (the PO PDF). */
  readonly #madeNames = new Set<string>();
  readonly #derived: ReadonlySet<string>;
  #tempCount = 0;
  #opened = false;

  /** `derived`: files an earlier run made in the PO's folder from its downloads (mail PDFs, the PO PDF), relative to the output folder: never carried over as attachments. */
  constructor(outDir: string, parents: readonly string[], poFolder: string, derived: ReadonlySet<string> = new Set()) {
    this.#outDir = outDir;
    this.#parents = parents;
    this.#poFolder = poFolder;
    this.#derived = derived;
  }

  /** The work folder relative to the output folder, `/`-separated (as SavedFile paths are). */
  get relativeWorkPath(): string {
    return [...this.#parents, workFolderName(this.#poFolder)].join('/');
  }

  get workPath(): string {
    return join(this.#outDir, ...this.#parents, workFolderName(this.#poFolder));
  }

  get #parentPath(): string {
    return join(this.#outDir, ...this.#parents);
  }

  /** Creates a fresh, empty work folder (dropping a crashed attempt's leftovers). */
  async open(): Promise<void> {
    await this.discardStaleWork();
    await guardDisk(mkdir(this.workPath, { recursive: true }), this.workPath);
    this.#opened = true;
  }

  /** Deletes a `__WORK` folder left by an attempt that never finished. */
  async discardStaleWork(): Promise<void> {
    await rm(this.workPath, { recursive: true, force: true });
  }

  /** A name for `wanted` that is safe and not yet used in this folder (reserved at once). */
  reserveName(wanted: string, fallback?: string): string {
    const name = uniqueFileName(safeFileName(wanted, fallback), this.#names);
    this.#names.add(name);
    return name;
  }

  /** Marks a file this attempt made in the work folder that is not an attachment (the PO PDF). */
  reserveMadeName(name: string): void {
    this.#names.add(name);
    this.#madeNames.add(name.toLowerCase());
  }

  /** Gives back a reserved name whose file could not be saved. */
  releaseName(name: string): void {
    this.#names.delete(name);
  }

  /** A fresh temporary path in the work folder; hidden and short so it never clashes with a real name. */
  tempPath(): string {
    this.#tempCount += 1;
    return join(this.workPath, `.part-${this.#tempCount}`);
  }

  /** Moves a verified temporary file to its final name. */
  async commit(tempPath: string, name: string): Promise<void> {
    await guardDisk(rename(tempPath, join(this.workPath, name)), name);
  }

  /**
   * Ends the attempt (see the class comment for the rule). Returns the PO's folder relative to the
   * output folder, or `''` when this attempt leaves no folder.
   */
  async finish(status: PoStatus, savedCount: number): Promise<FinishedFolder> {
    if (!this.#opened) return { folder: '', carried: [] };
    const older = (await readdir(this.#parentPath)).filter(
      (entry) => entry !== workFolderName(this.#poFolder) && isPoFolderOf(entry, this.#poFolder),
    );
    if (savedCount === 0 && older.length > 0) {
      await this.discardStaleWork();
      return { folder: '', carried: [] };
    }
    const carried = status === 'COMPLETED' ? [] : await this.#carryOver(older);
    for (const entry of older) await rm(join(this.#parentPath, entry), { recursive: true, force: true });
    const finalName = finalFolderName(this.#poFolder, status);
    await guardDisk(rename(this.workPath, join(this.#parentPath, finalName)), finalName);
    return { folder: [...this.#parents, finalName].join('/'), carried };
  }

  /**
   * Moves files of older folders that this attempt did not save again into the work folder. What
   * an earlier run made from its downloads (a mail's PDF, the PO PDF) is not an attachment and is
   * left to go with the old folder: it is made again from this folder's files.
   */
  async #carryOver(older: readonly string[]): Promise<CarriedFile[]> {
    const carried: CarriedFile[] = [];
    const taken = new Set([...this.#names].map((name) => name.toLowerCase()));
    for (const entry of older) {
      const files = await readdir(join(this.#parentPath, entry), { withFileTypes: true });
      for (const file of files) {
        if (!file.isFile() || file.name.startsWith('.part-') || this.#derived.has([...this.#parents, entry, file.name].join('/'))) continue;
        let name = file.name;
        if (taken.has(name.toLowerCase())) {
          // Saved again by this attempt; unless only the PO PDF took its name, when the earlier file is kept under another.
          if (!this.#madeNames.has(name.toLowerCase())) continue;
          name = uniqueFileName(name, taken);
        }
        const from = join(this.#parentPath, entry, file.name);
        const bytes = await readFile(from);
        await guardDisk(rename(from, join(this.workPath, name)), name);
        taken.add(name.toLowerCase());
        carried.push({ name, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
    return carried;
  }

  /** The relative path a file will have once the folder is finished with `status`. */
  finalRelativePath(status: PoStatus, name: string): string {
    return [...this.#parents, finalFolderName(this.#poFolder, status), name].join('/');
  }
}

/** A file kept from an earlier attempt's folder. */
export interface CarriedFile {
  readonly name: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface FinishedFolder {
  /** The PO's folder relative to the output folder, `''` when this attempt leaves no folder. */
  readonly folder: string;
  readonly carried: readonly CarriedFile[];
}

async function guardDisk<T>(operation: Promise<T>, path: string): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw diskError(error, path) ?? error;
  }
}
