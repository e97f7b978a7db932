import type { SimFile } from './catalogue-model.ts';
import { makeEml } from './eml-file.ts';
import { mailSpecFor, type MailSpec } from './mail-spec.ts';
import { makeMsg } from './msg-file.ts';
import { makeDocx, makeXlsx } from './office-file.ts';
import { makePdf } from './pdf-file.ts';
import { SeededRandom } from './seeded-random.ts';

export type FileFormat = 'pdf' | 'docx' | 'xlsx' | 'msg' | 'eml' | 'bin';

const CONTENT_TYPES: Record<FileFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  msg: 'application/vnd.ms-outlook',
  eml: 'message/rfc822',
  bin: 'application/octet-stream',
};

export function fileFormatOf(name: string): FileFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  switch (extension) {
    case 'pdf':
    case 'docx':
    case 'xlsx':
    case 'msg':
    case 'eml':
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
      return makeMsg(mailSpecFor(file, random));
    case 'eml':
      return makeEml(mailSpecFor(file, random));
    case 'bin':
      return random.bytes(file.targetSizeBytes);
    default: {
      const unknown: never = format;
      throw new Error(`No generator for file format \`${String(unknown)}\`.`);
    }
  }
}

/**
 * The mail a `.msg` or `.eml` file holds (null for other files), made from the same random
 * stream as its bytes, so the truth about its content matches what is served.
 */
export function mailOfFile(seed: number, file: SimFile): MailSpec | null {
  const format = fileFormatOf(file.name);
  if (format !== 'msg' && format !== 'eml') return null;
  return mailSpecFor(file, new SeededRandom(seed, 'bytes', file.attId));
}
