import type { SimFile } from './catalogue-model.ts';
import { makeMsg } from './msg-file.ts';
import { makeDocx, makeXlsx } from './office-file.ts';
import { makePdf } from './pdf-file.ts';
import { SeededRandom } from './seeded-random.ts';

export type FileFormat = 'pdf' | 'docx' | 'xlsx' | 'msg' | 'bin';

const CONTENT_TYPES: Record<FileFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  msg: 'application/vnd.ms-outlook',
  bin: 'application/octet-stream',
};

export function fileFormatOf(name: string): FileFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  switch (extension) {
    case 'pdf':
    case 'docx':
    case 'xlsx':
    case 'msg':
      return extension;
    default:
      return 'bin';
  }
}

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[fileFormatOf(name)];
}

/**
 * The bytes of one attachment, made from (seed, attachment id) alone: the same on every call and
 * machine, different for two files of the same name. Nothing is cached here; callers that need a
 * digest keep that instead of the bytes.
 */
export function makeFileBytes(seed: number, file: SimFile): Uint8Array {
  const random = new SeededRandom(seed, 'bytes', file.attId);
  const lines = [
    `Coupa simulator attachment ${file.attId}`,
    `File name: ${file.name}`,
    `Seed: ${String(seed)} (${file.intent})`,
    `Shown on: ${file.pagePath}`,
  ];
  const content = { title: file.name, lines, targetSizeBytes: file.targetSizeBytes, random };
  const format = fileFormatOf(file.name);
  switch (format) {
    case 'pdf':
      return makePdf(content);
    case 'docx':
      return makeDocx(content);
    case 'xlsx':
      return makeXlsx(content);
    case 'msg':
      return makeMsg({
        subject: `RE: ${file.name.replace(/\.msg$/i, '')} (${file.attId})`,
        senderName: 'Supplier Contact',
        senderEmail: 'contact@supplier.example.com',
        to: 'Buyer',
        // Mails do not pad exactly: a compound file grows in 512-byte sectors.
        body: `${lines.join('\r\n')}\r\n\r\n${random.letters(Math.max(0, file.targetSizeBytes / 2 - 2048))}`,
      });
    case 'bin':
      return random.bytes(file.targetSizeBytes);
    default: {
      const unknown: never = format;
      throw new Error(`No generator for file format \`${String(unknown)}\`.`);
    }
  }
}
