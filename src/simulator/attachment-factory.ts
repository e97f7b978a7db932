import { URL_TARGETS, TEXT_NOTES } from './attachment-names.ts';
import type { AttachmentWhere, AttachmentWidget, Placement, SimAttachment, SimFile, SimText, SimUrl } from './catalogue-model.ts';
import { FIRST_ATTACHMENT_ID } from './catalogue-model.ts';
import { SeededRandom } from './seeded-random.ts';

export interface FileSizeRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Hands out attachment ids in catalogue order and makes attachments and their placements.
 * Each file's size is drawn from (seed, attachment id), so it does not shift when the mix changes
 * elsewhere in the catalogue.
 */
export class AttachmentFactory {
  readonly #seed: number;
  readonly #sizes: FileSizeRange;
  readonly #random: SeededRandom;
  readonly #files = new Map<string, SimFile>();
  #nextId = FIRST_ATTACHMENT_ID;

  constructor(seed: number, sizes: FileSizeRange) {
    this.#seed = seed;
    this.#sizes = sizes;
    this.#random = new SeededRandom(seed, 'attachments');
  }

  get files(): ReadonlyMap<string, SimFile> {
    return this.#files;
  }

  file(name: string, pagePath: string): SimFile {
    const attId = this.#takeId();
    const sizeRandom = new SeededRandom(this.#seed, 'size', attId);
    const file: SimFile = {
      kind: 'file',
      attId,
      name,
      intent: this.#intent(),
      targetSizeBytes: sizeRandom.int(this.#sizes.min, this.#sizes.max),
      pagePath,
    };
    this.#files.set(attId, file);
    return file;
  }

  url(): SimUrl {
    const attId = this.#takeId();
    return { kind: 'url', attId, url: `${this.#random.pick(URL_TARGETS)}${attId}`, intent: this.#intent() };
  }

  text(): SimText {
    return { kind: 'text', attId: this.#takeId(), text: this.#random.pick(TEXT_NOTES), intent: this.#intent() };
  }

  #takeId(): string {
    const id = String(this.#nextId);
    this.#nextId += 1;
    return id;
  }

  #intent(): 'supplier' | 'internal' {
    return this.#random.chance(0.5) ? 'supplier' : 'internal';
  }
}

export function place(attachment: SimAttachment, where: AttachmentWhere, slot = 0, widget: AttachmentWidget = 'link'): Placement {
  return { attachment, where, widget, slot };
}
