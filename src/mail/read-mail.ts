import { readEmlMail } from './eml-mail.ts';
import type { Mail, MailFormat } from './mail-model.ts';
import { readMsgMail } from './msg-mail.ts';

/** A compound file (every `.msg`) starts with these eight bytes. */
const COMPOUND_FILE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A file that cannot be read as a mail; `message` is written for the person reading the report. */
export class MailReadError extends Error {
  override readonly name = 'MailReadError';
}

/**
 * The mail in `bytes`. The format comes from the bytes (a compound file is an Outlook message,
 * anything else is read as an Internet mail), so a `.msg` saved as text by some program still
 * reads; `expected` (from the file name) only shapes the message when nothing can be read.
 */
export async function readMail(bytes: Uint8Array, expected: MailFormat): Promise<Mail> {
  const compound = COMPOUND_FILE_SIGNATURE.every((byte, index) => bytes[index] === byte);
  try {
    if (compound) return readMsgMail(bytes);
    if (expected === 'msg' && !looksLikeText(bytes)) throw new Error('it does not start like an Outlook message (a compound file)');
    return await readEmlMail(bytes);
  } catch (error) {
    const what = compound || expected === 'msg' ? 'an Outlook message (.msg)' : 'a mail (.eml)';
    const detail = error instanceof Error ? error.message : String(error);
    throw new MailReadError(`The file could not be read as ${what}: ${detail}. The original file is kept as downloaded; open it in Outlook or a mail program to check it.`, { cause: error });
  }
}

/** The first bytes are printable text, as a mail's header lines are. */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  if (head.length === 0) return false;
  return head.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f));
}
