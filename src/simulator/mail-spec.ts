import type { SimFile } from './catalogue-model.ts';
import { escapeHtml } from './html-escape.ts';
import { makePdf } from './pdf-file.ts';
import { makePng } from './png-file.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What one mail holds, written out as `.msg` (msg-file.ts) or `.eml` (eml-file.ts). */
export interface MailSpec {
  readonly subject: string;
  readonly from: MailPerson;
  readonly to: readonly MailPerson[];
  readonly cc: readonly MailPerson[];
  readonly sentAt: Date;
  /** Without angle brackets. */
  readonly messageId: string;
  readonly textBody: string;
  readonly htmlBody: string;
  /** Where a `.msg` keeps the HTML: its own property, or only inside compressed RTF (as Outlook often does). */
  readonly msgHtmlForm: 'html' | 'rtf';
  /** A line of the body with characters far outside Latin-1, for checking that a conversion kept them. */
  readonly unicodeLine: string;
  readonly parts: readonly MailPart[];
}

export interface MailPerson {
  readonly name: string;
  readonly email: string;
}

export interface MailFilePart {
  readonly kind: 'file';
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** Without angle brackets; set for images the HTML body shows as `cid:`. */
  readonly contentId: string | null;
  readonly inline: boolean;
}

export interface MailMessagePart {
  readonly kind: 'mail';
  /** The attached mail's file name (`….msg` inside a `.msg`, `….eml` inside a `.eml`). */
  readonly name: string;
  readonly mail: MailSpec;
}

export type MailPart = MailFilePart | MailMessagePart;

const SENDERS: readonly MailPerson[] = [
  { name: 'Zoë Müller', email: 'zoe.mueller@supplier.example.com' },
  { name: '田中 優子', email: 'yuko.tanaka@supplier.example.jp' },
  { name: 'João Araújo', email: 'joao.araujo@fornecedor.example.com.br' },
];
const BUYER: MailPerson = { name: 'Buyer Team', email: 'buyer@example.com' };
const ACCOUNTS: MailPerson = { name: 'Accounts Payable', email: 'ap@example.com' };
/** 2024-01-15 09:30 UTC: every mail is sent on that day, a few minutes apart. */
const FIRST_SENT_MS = Date.UTC(2024, 0, 15, 9, 30);
/**
 * What a mail adds around its attached PDF (headers, bodies, logo, the attached mail), roughly:
 * a compound file's directory and sectors cost more than MIME text. Below that a mail is
 * bigger than its target; above it the PDF takes up the rest.
 */
const MAIL_OVERHEAD_BYTES = { msg: 20_000, eml: 6_000 } as const;

/** The inline signature logo: 120×40 px, a few hundred bytes (under any sensible "skip small inline images" size). */
export const LOGO_PNG = makePng(120, 40, [0x1f, 0x5f, 0xa8]);

/**
 * The mail of one catalogue file (`RE Approval.msg`, `Supplier confirmation.eml`): made from the
 * file alone, so its bytes and its truth agree. It carries an HTML and a plain body with Unicode,
 * an inline logo, a tracking image on a remote server (never to be fetched), a signed offer as a
 * PDF sized so the whole mail is about the file's target size, and an earlier mail attached.
 */
export function mailSpecFor(file: SimFile, random: SeededRandom): MailSpec {
  const extension = /\.eml$/i.test(file.name) ? 'eml' : 'msg';
  const stem = file.name.replace(/\.(msg|eml)$/i, '');
  const sender = random.pick(SENDERS);
  const ordinal = Number(file.attId) % 600;
  const offerName = `Signed offer ${file.attId}.pdf`;
  const logoId = `logo.${file.attId}@supplier.example.com`;
  const unicodeLine = `請求書 ${file.attId}: Orçamento nº 5, crème brûlée, Ærøskøbing`;
  const offer = makePdf({
    lines: [`Signed offer ${file.attId}`, `Attached to: ${file.name}`, `Shown on: ${file.pagePath}`],
    // An .eml carries the PDF in base64: 4 bytes for every 3.
    targetSizeBytes: Math.max(0, (file.targetSizeBytes - MAIL_OVERHEAD_BYTES[extension]) * (extension === 'eml' ? 3 / 4 : 1)),
    random,
  });
  const earlier = earlierMail(file.attId, sender, random);
  const paragraphs = [
    `Dear ${BUYER.name},`,
    unicodeLine,
    `Please find attached the signed offer (${offerName}) and your earlier request.`,
  ];
  return {
    subject: `RE: ${stem} (${file.attId}) – 請求書`,
    from: sender,
    to: [BUYER],
    cc: [ACCOUNTS],
    sentAt: new Date(FIRST_SENT_MS + ordinal * 60_000),
    messageId: `${file.attId}.sim@supplier.example.com`,
    textBody: `${paragraphs.join('\r\n\r\n')}\r\n\r\nBest regards,\r\n${sender.name}\r\n`,
    htmlBody: htmlDocument(paragraphs, sender.name, [
      `<img src="cid:${logoId}" alt="Supplier logo" width="120" height="40">`,
      `<img src="https://tracking.supplier.example.com/open.gif?m=${file.attId}" alt="" width="1" height="1">`,
    ]),
    msgHtmlForm: Number(file.attId) % 2 === 0 ? 'rtf' : 'html',
    unicodeLine,
    parts: [
      { kind: 'file', name: offerName, contentType: 'application/pdf', bytes: offer, contentId: null, inline: false },
      { kind: 'file', name: 'logo.png', contentType: 'image/png', bytes: LOGO_PNG, contentId: logoId, inline: true },
      { kind: 'mail', name: `Quote request ${file.attId}.${extension}`, mail: earlier },
    ],
  };
}

/** The buyer's earlier request, attached to the supplier's answer: its own Unicode line and a small PDF. */
function earlierMail(attId: string, supplier: MailPerson, random: SeededRandom): MailSpec {
  const unicodeLine = `見積依頼 ${attId}: Ελληνικά, Łódź, Straße`;
  const paragraphs = [`Hello ${supplier.name},`, unicodeLine, 'Could you send us your offer for the attached specification?'];
  const specification = makePdf({ lines: [`Specification for request ${attId}`], targetSizeBytes: 0, random });
  return {
    subject: `Quote request ${attId}`,
    from: BUYER,
    to: [supplier],
    cc: [],
    sentAt: new Date(FIRST_SENT_MS - 3 * 24 * 3_600_000),
    messageId: `${attId}.request.sim@example.com`,
    textBody: `${paragraphs.join('\r\n\r\n')}\r\n\r\n${BUYER.name}\r\n`,
    htmlBody: htmlDocument(paragraphs, BUYER.name, []),
    msgHtmlForm: 'rtf',
    unicodeLine,
    parts: [{ kind: 'file', name: `Specification ${attId}.pdf`, contentType: 'application/pdf', bytes: specification, contentId: null, inline: false }],
  };
}

function htmlDocument(paragraphs: readonly string[], signature: string, images: readonly string[]): string {
  const body = paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  return `<html><head><meta charset="utf-8">
<style>body { font-family: Calibri, Arial, sans-serif; font-size: 11pt; } .signature { color: #555; }</style></head>
<body>
${body}
<p class="signature">Best regards,<br>${escapeHtml(signature)}</p>
${images.join('\n')}
</body></html>`;
}
