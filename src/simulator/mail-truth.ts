import { createHash } from 'node:crypto';
import type { MailSpec } from './mail-spec.ts';

/**
 * What a correct conversion of a mail holds: the PDF's text shows the subject, the sender and the
 * Unicode line; the mail's own files come out with exactly these bytes (inline images are listed
 * too, marked, so a check can expect small ones to be skipped); attached mails are converted in turn.
 */
export interface MailTruth {
  readonly subject: string;
  readonly senderName: string;
  readonly senderEmail: string;
  readonly unicodeLine: string;
  /** Where a `.msg` keeps its HTML body (`rtf`: only inside compressed RTF). */
  readonly msgHtmlForm: 'html' | 'rtf';
  readonly files: readonly MailFileTruth[];
  readonly mails: readonly AttachedMailTruth[];
}

export interface MailFileTruth {
  readonly name: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly inline: boolean;
}

export interface AttachedMailTruth {
  /** The name the attached mail is saved under (`Quote request 900012.msg`). */
  readonly name: string;
  readonly mail: MailTruth;
}

export function mailTruthOf(mail: MailSpec): MailTruth {
  const files: MailFileTruth[] = [];
  const mails: AttachedMailTruth[] = [];
  for (const part of mail.parts) {
    if (part.kind === 'mail') mails.push({ name: part.name, mail: mailTruthOf(part.mail) });
    else {
      const sha256 = createHash('sha256').update(part.bytes).digest('hex');
      files.push({ name: part.name, contentType: part.contentType, sha256, sizeBytes: part.bytes.length, inline: part.inline });
    }
  }
  return {
    subject: mail.subject,
    senderName: mail.from.name,
    senderEmail: mail.from.email,
    unicodeLine: mail.unicodeLine,
    msgHtmlForm: mail.msgHtmlForm,
    files,
    mails,
  };
}
