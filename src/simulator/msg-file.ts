import CFB, { type CFB$Container } from 'cfb';
import { compressRtf } from './compressed-rtf.ts';
import { encapsulateHtml } from './html-rtf.ts';
import type { MailFilePart, MailMessagePart, MailPerson, MailSpec } from './mail-spec.ts';

/**
 * An Outlook mail (.msg, MS-OXMSG): a compound file whose streams are the message's properties,
 * with its recipients, its attachments (files by value, an attached mail as an embedded message
 * storage, as Outlook saves it) and its body as plain text plus HTML, the HTML either in PR_HTML
 * or only inside compressed RTF.
 */
export function makeMsg(mail: MailSpec): Uint8Array {
  const container = CFB.utils.cfb_new({ root: 'Root Entry' });
  writeMessage(container, '', mail, 'top');
  for (const stream of ['__substg1.0_00020102', '__substg1.0_00030102', '__substg1.0_00040102']) {
    CFB.utils.cfb_add(container, `/__nameid_version1.0/${stream}`, new Uint8Array(0), BULK);
  }
  // Storages the bulk adds implied are made here, once.
  CFB.utils.cfb_gc(container);
  // cfb stamps storages it creates with a local-time date; drop those so bytes match in every time zone.
  for (const entry of container.FileIndex) {
    delete entry.ct;
    delete entry.mt;
  }
  return Uint8Array.from(CFB.write(container, { type: 'buffer' }) as Buffer);
}

/** Adds without cfb's per-add lookup and rebuild (quadratic in the ~70 streams of a mail: 10 ms a mail). */
const BULK = { unsafe: true } as const;

// Property types (MS-OXCDATA).
const PT_LONG = 0x0003;
const PT_BOOLEAN = 0x000b;
const PT_OBJECT = 0x000d;
const PT_UNICODE = 0x001f;
const PT_SYSTIME = 0x0040;
const PT_BINARY = 0x0102;

// Properties (MS-OXPROPS).
const PR = {
  MESSAGE_CLASS: 0x001a,
  SUBJECT: 0x0037,
  CLIENT_SUBMIT_TIME: 0x0039,
  SENT_REPRESENTING_NAME: 0x0042,
  SENT_REPRESENTING_ADDRTYPE: 0x0064,
  SENT_REPRESENTING_EMAIL_ADDRESS: 0x0065,
  RECIPIENT_TYPE: 0x0c15,
  SENDER_NAME: 0x0c1a,
  SENDER_ADDRTYPE: 0x0c1e,
  SENDER_EMAIL_ADDRESS: 0x0c1f,
  DISPLAY_CC: 0x0e03,
  DISPLAY_TO: 0x0e04,
  MESSAGE_DELIVERY_TIME: 0x0e06,
  MESSAGE_FLAGS: 0x0e07,
  ATTACH_SIZE: 0x0e20,
  ATTACH_NUM: 0x0e21,
  BODY: 0x1000,
  RTF_COMPRESSED: 0x1009,
  HTML: 0x1013,
  INTERNET_MESSAGE_ID: 0x1035,
  DISPLAY_NAME: 0x3001,
  ADDRTYPE: 0x3002,
  EMAIL_ADDRESS: 0x3003,
  STORE_SUPPORT_MASK: 0x340d,
  ATTACH_DATA: 0x3701,
  ATTACH_EXTENSION: 0x3703,
  ATTACH_FILENAME: 0x3704,
  ATTACH_METHOD: 0x3705,
  ATTACH_LONG_FILENAME: 0x3707,
  RENDERING_POSITION: 0x370b,
  ATTACH_MIME_TAG: 0x370e,
  ATTACH_CONTENT_ID: 0x3712,
  ATTACH_FLAGS: 0x3714,
  SMTP_ADDRESS: 0x39fe,
  INTERNET_CPID: 0x3fde,
  ATTACHMENT_HIDDEN: 0x7ffe,
} as const;

const MSGFLAG_READ = 0x1;
const MSGFLAG_HASATTACH = 0x10;
const STORE_UNICODE_OK = 0x40000;
const ATTACH_BY_VALUE = 1;
const ATTACH_EMBEDDED_MSG = 5;
/** The attachment is referenced from the HTML body (an inline image). */
const ATT_MHTML_REF = 0x4;
const RECIPIENT_TO = 1;
const RECIPIENT_CC = 2;
const UTF8_CODEPAGE = 65001;

/** Where a message's properties go: `''` for the file itself, an attachment's object storage for an attached mail. */
function writeMessage(container: CFB$Container, storage: string, mail: MailSpec, level: 'top' | 'embedded'): void {
  const props = new PropertyWriter(container, storage);
  props.string(PR.MESSAGE_CLASS, 'IPM.Note');
  props.string(PR.SUBJECT, mail.subject);
  props.time(PR.CLIENT_SUBMIT_TIME, mail.sentAt);
  props.time(PR.MESSAGE_DELIVERY_TIME, mail.sentAt);
  props.string(PR.SENDER_NAME, mail.from.name);
  props.string(PR.SENDER_ADDRTYPE, 'SMTP');
  props.string(PR.SENDER_EMAIL_ADDRESS, mail.from.email);
  props.string(PR.SENT_REPRESENTING_NAME, mail.from.name);
  props.string(PR.SENT_REPRESENTING_ADDRTYPE, 'SMTP');
  props.string(PR.SENT_REPRESENTING_EMAIL_ADDRESS, mail.from.email);
  props.string(PR.DISPLAY_TO, mail.to.map((person) => person.name).join('; '));
  props.string(PR.DISPLAY_CC, mail.cc.map((person) => person.name).join('; '));
  props.string(PR.INTERNET_MESSAGE_ID, `<${mail.messageId}>`);
  props.long(PR.MESSAGE_FLAGS, MSGFLAG_READ | (mail.parts.length > 0 ? MSGFLAG_HASATTACH : 0));
  props.long(PR.STORE_SUPPORT_MASK, STORE_UNICODE_OK);
  props.long(PR.INTERNET_CPID, UTF8_CODEPAGE);
  props.string(PR.BODY, mail.textBody);
  if (mail.msgHtmlForm === 'html') props.binary(PR.HTML, Buffer.from(mail.htmlBody, 'utf8'));
  else props.binary(PR.RTF_COMPRESSED, compressRtf(Buffer.from(encapsulateHtml(mail.htmlBody), 'latin1')));

  const recipients = [...mail.to.map((person) => [person, RECIPIENT_TO] as const), ...mail.cc.map((person) => [person, RECIPIENT_CC] as const)];
  recipients.forEach(([person, type], index) => writeRecipient(container, `${storage}/__recip_version1.0_#${hex8(index)}`, person, type));
  mail.parts.forEach((part, index) => {
    const at = `${storage}/__attach_version1.0_#${hex8(index)}`;
    if (part.kind === 'file') writeFileAttachment(container, at, part, index);
    else writeMailAttachment(container, at, part, index);
  });

  // The header before the property entries: 8 reserved bytes, the next recipient and attachment
  // ids, the counts, and (in the file's own stream only) 8 more reserved bytes.
  const header = Buffer.alloc(level === 'top' ? 32 : 24);
  header.writeUInt32LE(recipients.length, 8);
  header.writeUInt32LE(mail.parts.length, 12);
  header.writeUInt32LE(recipients.length, 16);
  header.writeUInt32LE(mail.parts.length, 20);
  props.finish(header);
}

function writeRecipient(container: CFB$Container, storage: string, person: MailPerson, type: number): void {
  const props = new PropertyWriter(container, storage);
  props.long(PR.RECIPIENT_TYPE, type);
  props.string(PR.DISPLAY_NAME, person.name);
  props.string(PR.ADDRTYPE, 'SMTP');
  props.string(PR.EMAIL_ADDRESS, person.email);
  props.string(PR.SMTP_ADDRESS, person.email);
  props.finish(Buffer.alloc(8));
}

function writeFileAttachment(container: CFB$Container, storage: string, part: MailFilePart, index: number): void {
  const props = new PropertyWriter(container, storage);
  const extension = /\.[^.]+$/.exec(part.name)?.[0] ?? '';
  props.long(PR.ATTACH_NUM, index);
  props.long(PR.ATTACH_METHOD, ATTACH_BY_VALUE);
  props.long(PR.ATTACH_SIZE, part.bytes.length);
  props.long(PR.RENDERING_POSITION, 0xffffffff);
  props.string(PR.DISPLAY_NAME, part.name);
  props.string(PR.ATTACH_FILENAME, part.name);
  props.string(PR.ATTACH_LONG_FILENAME, part.name);
  props.string(PR.ATTACH_EXTENSION, extension);
  props.string(PR.ATTACH_MIME_TAG, part.contentType);
  if (part.contentId !== null) props.string(PR.ATTACH_CONTENT_ID, part.contentId);
  if (part.inline) {
    props.long(PR.ATTACH_FLAGS, ATT_MHTML_REF);
    props.boolean(PR.ATTACHMENT_HIDDEN, true);
  }
  props.binary(PR.ATTACH_DATA, part.bytes);
  props.finish(Buffer.alloc(8));
}

function writeMailAttachment(container: CFB$Container, storage: string, part: MailMessagePart, index: number): void {
  const props = new PropertyWriter(container, storage);
  props.long(PR.ATTACH_NUM, index);
  props.long(PR.ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
  props.long(PR.RENDERING_POSITION, 0xffffffff);
  // Outlook names an attached mail by its subject; the file name is what a reader saves it as.
  props.string(PR.DISPLAY_NAME, part.name.replace(/\.msg$/i, ''));
  props.string(PR.ATTACH_LONG_FILENAME, part.name);
  props.object(PR.ATTACH_DATA);
  props.finish(Buffer.alloc(8));
  writeMessage(container, `${storage}/__substg1.0_${hex4(PR.ATTACH_DATA)}${hex4(PT_OBJECT)}`, part.mail, 'embedded');
}

/** Collects one object's property entries (16 bytes each) and writes its variable-size values as streams. */
class PropertyWriter {
  readonly #container: CFB$Container;
  readonly #storage: string;
  readonly #entries: Buffer[] = [];

  constructor(container: CFB$Container, storage: string) {
    this.#container = container;
    this.#storage = storage;
  }

  string(id: number, value: string): void {
    const bytes = Buffer.from(value, 'utf16le');
    this.#stream(id, PT_UNICODE, bytes);
    // The size of a string counts its (unstored) terminating NUL.
    this.#variable(id, PT_UNICODE, bytes.length + 2);
  }

  binary(id: number, bytes: Uint8Array): void {
    this.#stream(id, PT_BINARY, bytes);
    this.#variable(id, PT_BINARY, bytes.length);
  }

  /** An embedded object (an attached mail): its storage is written by the caller; the size field is unused. */
  object(id: number): void {
    this.#variable(id, PT_OBJECT, 0xffffffff);
  }

  long(id: number, value: number): void {
    const entry = this.#fixed(id, PT_LONG);
    entry.writeUInt32LE(value >>> 0, 8);
  }

  boolean(id: number, value: boolean): void {
    const entry = this.#fixed(id, PT_BOOLEAN);
    entry.writeUInt16LE(value ? 1 : 0, 8);
  }

  /** A time as a Windows FILETIME: 100 ns steps since 1601-01-01 UTC. */
  time(id: number, value: Date): void {
    const entry = this.#fixed(id, PT_SYSTIME);
    entry.writeBigUInt64LE((BigInt(value.getTime()) + 11_644_473_600_000n) * 10_000n, 8);
  }

  finish(header: Buffer): void {
    CFB.utils.cfb_add(this.#container, `${this.#storage}/__properties_version1.0`, Buffer.concat([header, ...this.#entries]), BULK);
  }

  #stream(id: number, type: number, bytes: Uint8Array): void {
    CFB.utils.cfb_add(this.#container, `${this.#storage}/__substg1.0_${hex4(id)}${hex4(type)}`, bytes, BULK);
  }

  #variable(id: number, type: number, size: number): void {
    const entry = this.#fixed(id, type);
    entry.writeUInt32LE(size >>> 0, 8);
  }

  #fixed(id: number, type: number): Buffer {
    const entry = Buffer.alloc(16);
    entry.writeUInt32LE(((id << 16) | type) >>> 0, 0);
    // Flags: readable and writable.
    entry.writeUInt32LE(0x6, 4);
    this.#entries.push(entry);
    return entry;
  }
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function hex8(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, '0');
}
