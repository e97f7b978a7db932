import CFB from 'cfb';

export interface MailContent {
  readonly subject: string;
  readonly senderName: string;
  readonly senderEmail: string;
  readonly to: string;
  readonly body: string;
}

// Property types of the MS-OXMSG format.
const PT_LONG = 0x0003;
const PT_SYSTIME = 0x0040;
const PT_UNICODE = 0x001f;

const PR_MESSAGE_CLASS = 0x001a;
const PR_SUBJECT = 0x0037;
const PR_SENDER_NAME = 0x0c1a;
const PR_SENDER_EMAIL_ADDRESS = 0x0c1f;
const PR_DISPLAY_TO = 0x0e04;
const PR_MESSAGE_DELIVERY_TIME = 0x0e06;
const PR_BODY = 0x1000;
const PR_RECIPIENT_TYPE = 0x0c15;
const PR_DISPLAY_NAME = 0x3001;
const PR_SMTP_ADDRESS = 0x39fe;

/** 2024-01-15 09:30 UTC as a Windows FILETIME (100 ns steps since 1601). */
const DELIVERY_FILETIME = (BigInt(Date.UTC(2024, 0, 15, 9, 30)) + 11_644_473_600_000n) * 10_000n;

const RECIPIENT = '__recip_version1.0_#00000000';

/**
 * An Outlook mail (.msg, MS-OXMSG): a compound file with the message's properties as streams,
 * one recipient and no attachments, enough for a .msg reader to show headers and body.
 */
export function makeMsg(mail: MailContent): Uint8Array {
  const container = CFB.utils.cfb_new({ root: 'Root Entry' });
  const strings: [number, string][] = [
    [PR_MESSAGE_CLASS, 'IPM.Note'],
    [PR_SUBJECT, mail.subject],
    [PR_SENDER_NAME, mail.senderName],
    [PR_SENDER_EMAIL_ADDRESS, mail.senderEmail],
    [PR_DISPLAY_TO, mail.to],
    [PR_BODY, mail.body],
  ];
  const messageProps: Uint8Array[] = [];
  for (const [id, value] of strings) {
    const bytes = utf16(value);
    CFB.utils.cfb_add(container, `/__substg1.0_${hex(id)}${hex(PT_UNICODE)}`, bytes);
    messageProps.push(variableProperty(id, PT_UNICODE, bytes.length + 2));
  }
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(DELIVERY_FILETIME);
  messageProps.push(fixedProperty(PR_MESSAGE_DELIVERY_TIME, PT_SYSTIME, time));
  // Top-level header: 8 reserved, next recipient id, next attachment id, recipient count, attachment count, 8 reserved.
  const header = Buffer.alloc(32);
  header.writeUInt32LE(1, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(1, 16);
  header.writeUInt32LE(0, 20);
  CFB.utils.cfb_add(container, '/__properties_version1.0', Buffer.concat([header, ...messageProps]));

  const recipientProps: Uint8Array[] = [];
  for (const [id, value] of [[PR_DISPLAY_NAME, mail.to], [PR_SMTP_ADDRESS, 'buyer@example.com']] as const) {
    const bytes = utf16(value);
    CFB.utils.cfb_add(container, `/${RECIPIENT}/__substg1.0_${hex(id)}${hex(PT_UNICODE)}`, bytes);
    recipientProps.push(variableProperty(id, PT_UNICODE, bytes.length + 2));
  }
  const recipientType = Buffer.alloc(8);
  recipientType.writeUInt32LE(1);
  recipientProps.push(fixedProperty(PR_RECIPIENT_TYPE, PT_LONG, recipientType));
  CFB.utils.cfb_add(container, `/${RECIPIENT}/__properties_version1.0`, Buffer.concat([Buffer.alloc(8), ...recipientProps]));
  for (const stream of ['__substg1.0_00020102', '__substg1.0_00030102', '__substg1.0_00040102']) {
    CFB.utils.cfb_add(container, `/__nameid_version1.0/${stream}`, new Uint8Array(0));
  }
  // cfb stamps storages it creates with a local-time date; drop those so bytes match in every time zone.
  for (const entry of container.FileIndex) {
    delete entry.ct;
    delete entry.mt;
  }
  return Uint8Array.from(CFB.write(container, { type: 'buffer' }) as Buffer);
}

function utf16(text: string): Uint8Array {
  return Buffer.from(text, 'utf16le');
}

function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function tag(id: number, type: number): number {
  return ((id << 16) | type) >>> 0;
}

/** A 16-byte property entry whose value lives in its own stream: the value field holds the size. */
function variableProperty(id: number, type: number, size: number): Uint8Array {
  const entry = Buffer.alloc(16);
  entry.writeUInt32LE(tag(id, type), 0);
  entry.writeUInt32LE(0x6, 4);
  entry.writeUInt32LE(size, 8);
  return entry;
}

function fixedProperty(id: number, type: number, value: Uint8Array): Uint8Array {
  const entry = Buffer.alloc(16);
  entry.writeUInt32LE(tag(id, type), 0);
  entry.writeUInt32LE(0x6, 4);
  Buffer.from(value).copy(entry, 8, 0, 8);
  return entry;
}
