import { createHash } from 'node:crypto';
import type { SimFile } from './catalogue-model.ts';
import { mailOfFile, makeFileBytes } from './file-content.ts';
import { mailTruthOf, type MailTruth } from './mail-truth.ts';

export interface FileDigest {
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * The catalogue's files: bytes made on each request (never kept, so a large catalogue with big
 * files costs no memory), and each file's SHA-256 and size computed once when first asked for.
 */
export class FileStore {
  readonly #seed: number;
  readonly #files: ReadonlyMap<string, SimFile>;
  readonly #digests = new Map<string, FileDigest>();

  constructor(seed: number, files: ReadonlyMap<string, SimFile>) {
    this.#seed = seed;
    this.#files = files;
  }

  file(attId: string): SimFile | undefined {
    return this.#files.get(attId);
  }

  bytes(file: SimFile): Uint8Array {
    const bytes = makeFileBytes(this.#seed, file);
    if (!this.#digests.has(file.attId)) this.#digests.set(file.attId, digestOf(bytes));
    return bytes;
  }

  /** What a correct conversion of a mail file holds; null for other files. Made on each call. */
  mail(file: SimFile): MailTruth | null {
    const mail = mailOfFile(this.#seed, file);
    return mail === null ? null : mailTruthOf(mail);
  }

  digest(file: SimFile): FileDigest {
    const known = this.#digests.get(file.attId);
    if (known !== undefined) return known;
    const digest = digestOf(makeFileBytes(this.#seed, file));
    this.#digests.set(file.attId, digest);
    return digest;
  }
}

function digestOf(bytes: Uint8Array): FileDigest {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
}
