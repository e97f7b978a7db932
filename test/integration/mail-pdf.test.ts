import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { DEFAULT_MAIL_PDF_SETTINGS, MailPdfRenderer, conversionRows, convertMailFile, countConversions, type MailConversion, type MailConversionDone } from '../../src/mail/index.ts';
import { startSimulator, type FileAttachmentTruth, type MailTruth, type Simulator } from '../../src/simulator/index.ts';
import { makeEml } from '../../src/simulator/eml-file.ts';
import type { MailSpec } from '../../src/simulator/mail-spec.ts';
import { makeMsg } from '../../src/simulator/msg-file.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

/** The PDF's text as a reader would copy it, whitespace made single spaces. */
async function pdfText(path: string): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(await readFile(path)));
  const { text } = await extractText(document, { mergePages: true });
  return oneLine(text);
}

/**
 * Whitespace made single spaces, dashes made one, Kangxi radicals made ideographs. The PDF shows
 * exactly the characters the mail has, but where a font draws several characters with one glyph,
 * Chromium's PDF maps that glyph back to the lowest of them (https://crbug.com/981259): the en
 * dash comes back as U+2012, 見 as the radical ⾒ (U+2F92; NFKC turns it back). 請求書 is not affected.
 */
function oneLine(text: string): string {
  return text
    .replace(/[\u2f00-\u2fdf]/g, (radical) => radical.normalize('NFKC'))
    .replace(/\s+/g, ' ')
    .replace(/[\u2010-\u2015]/g, '-')
    .trim();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function done(conversion: MailConversion): MailConversionDone {
  assert.equal(conversion.status, 'done', JSON.stringify(conversion));
  return conversion as MailConversionDone;
}

/** A mail of our own making: plain headers, the given HTML, no attachments unless given. */
function ownMail(html: string, overrides: Partial<MailSpec> = {}): MailSpec {
  return {
    subject: 'Own test mail',
    from: { name: 'Test Sender', email: 'sender@example.com' },
    to: [{ name: 'Buyer', email: 'buyer@example.com' }],
    cc: [],
    sentAt: new Date(Date.UTC(2024, 1, 1, 8, 0)),
    messageId: 'own@example.com',
    textBody: 'plain',
    htmlBody: html,
    msgHtmlForm: 'html',
    unicodeLine: '',
    parts: [],
    ...overrides,
  };
}

describe('mails to PDF', () => {
  let sim: Simulator;
  let browser: Browser;
  let renderer: MailPdfRenderer;
  let dir: string;
  let dirTemp: TempDir | undefined;

  before(async () => {
    sim = await startSimulator({ pos: 20, seed: 1 });
    browser = await launchTestBrowser();
    renderer = await MailPdfRenderer.open(browser);
    dirTemp = await tempDir('coupa-dl-mail-');
    dir = dirTemp.path;
  });
  after(async () => {
    await renderer?.close();
    await browser?.close();
    await sim?.close();
    await dirTemp?.remove();
  });

  let downloads = 0;
  /** Every mail the simulator's catalogue holds, each downloaded into a new folder of its own. */
  async function downloadedMails(): Promise<{ file: FileAttachmentTruth; path: string; mail: MailTruth }[]> {
    downloads += 1;
    const files = sim.truth.pos.flatMap((po) => po.attachments).filter((attachment): attachment is FileAttachmentTruth => attachment.kind === 'file' && attachment.mail !== null);
    const unique = [...new Map(files.map((file) => [file.attId, file])).values()];
    const out: { file: FileAttachmentTruth; path: string; mail: MailTruth }[] = [];
    for (const file of unique) {
      const folder = join(dir, `served-${String(downloads)}-${file.attId}`);
      await mkdir(folder);
      const response = await fetch(sim.url + file.path);
      assert.equal(response.status, 200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      assert.equal(sha256(bytes), file.sha256);
      const path = join(folder, file.name);
      await writeFile(path, bytes);
      out.push({ file, path, mail: file.mail ?? assert.fail('a mail file has its mail truth') });
    }
    return out;
  }

  it('prints every served mail (.msg with HTML or RTF-only bodies, .eml) with its header, Unicode body and attachments, and converts the attached mail', async () => {
    const mails = await downloadedMails();
    const kinds = new Set(mails.map(({ file, mail }) => (file.name.endsWith('.eml') ? 'eml' : `msg-${mail.msgHtmlForm}`)));
    assert.deepEqual([...kinds].sort(), ['eml', 'msg-html', 'msg-rtf'], 'the catalogue covers every body form');
    for (const { path, mail } of mails) {
      const original = await readFile(path);
      const result = done(await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS));
      assert.equal(result.pdf.path, `${path}.pdf`);
      const text = await pdfText(result.pdf.path);
      for (const expected of [mail.subject, mail.senderName, mail.senderEmail, mail.unicodeLine, 'Buyer Team', 'Accounts Payable'].map(oneLine)) assert.ok(text.includes(expected), `${path}: ${expected} in «${text}»`);
      assert.equal(sha256(await readFile(result.pdf.path)), result.pdf.sha256);

      // The mail's own files, with the sender's bytes; the small inline logo left out.
      const folder = `${path} attachments`;
      for (const expected of mail.files) {
        const saved = result.attachments.find((attachment) => attachment.path === join(folder, expected.name));
        if (expected.inline) {
          assert.equal(saved, undefined, `${expected.name} is an inline image under 20 KB`);
          assert.ok(result.skipped.some((part) => part.name === expected.name));
          continue;
        }
        assert.ok(saved, expected.name);
        assert.equal(sha256(await readFile(saved.path)), expected.sha256);
        assert.equal(saved.sha256, expected.sha256);
      }

      // The attached mail: saved, then printed with its own Unicode line, its own attachment saved.
      const attached = mail.mails[0];
      assert.ok(attached);
      const nested = done(result.nested[0] ?? assert.fail('the attached mail is converted'));
      assert.equal(nested.sourcePath, join(folder, attached.name));
      assert.equal(nested.depth, 2);
      const nestedText = await pdfText(nested.pdf.path);
      assert.ok(nestedText.includes(oneLine(attached.mail.subject)) && nestedText.includes(oneLine(attached.mail.unicodeLine)), nestedText);
      const specification = attached.mail.files[0];
      assert.ok(specification);
      assert.equal(sha256(await readFile(join(`${nested.sourcePath} attachments`, specification.name))), specification.sha256);

      // The original is untouched, and nothing half-written is left anywhere.
      assert.deepEqual(await readFile(path), original);
      assert.deepEqual((await readdir(join(path, '..'), { recursive: true })).filter((name) => name.endsWith('.partial')), []);
      assert.deepEqual(countConversions([result]), { done: 2, failed: 0, skipped: 0 });
    }
  });

  it('records every produced file linked to the mail it came from, with its SHA-256', async () => {
    const [first] = await downloadedMails();
    assert.ok(first);
    const result = done(await convertMailFile(first.path, renderer, DEFAULT_MAIL_PDF_SETTINGS));
    const rows = conversionRows(result);
    const nestedPath = join(`${first.path} attachments`, first.mail.mails[0]?.name ?? '');
    assert.deepEqual(
      rows.map((row) => [row.status, row.kind, row.sourcePath === first.path ? 'mail' : row.sourcePath === nestedPath ? 'attached mail' : row.sourcePath]),
      [
        ['done', 'pdf', 'mail'],
        ['done', 'attachment', 'mail'],
        ['done', 'attachment', 'mail'],
        ['skipped', 'attachment', 'mail'],
        ['done', 'pdf', 'attached mail'],
        ['done', 'attachment', 'attached mail'],
      ],
    );
    for (const row of rows.filter((item) => item.status === 'done')) assert.equal(sha256(await readFile(row.outputPath ?? '')), row.sha256);
  });

  it('reports a damaged .msg as a failure with a reason, leaves it untouched and writes nothing', async () => {
    const folder = join(dir, 'damaged');
    await mkdir(folder);
    const whole = makeMsg(ownMail('<p>x</p>'));
    const path = join(folder, 'Broken.msg');
    const damaged = whole.subarray(0, 1500);
    await writeFile(path, damaged);
    const result = await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS);
    assert.equal(result.status, 'failed');
    assert.equal(result.status === 'failed' ? result.code : '', 'MAIL_UNREADABLE');
    assert.match(result.status === 'failed' ? result.reason : '', /could not be read as an Outlook message/);
    assert.deepEqual(await readdir(folder), ['Broken.msg']);
    assert.deepEqual(await readFile(path), Buffer.from(damaged));
    assert.deepEqual(conversionRows(result).map((row) => [row.status, row.code, row.outputPath]), [['failed', 'MAIL_UNREADABLE', null]]);
    // The renderer still works after a failure.
    const good = join(folder, 'Good.eml');
    await writeFile(good, makeEml(ownMail('<p>Still printing</p>')));
    assert.ok((await pdfText(done(await convertMailFile(good, renderer, DEFAULT_MAIL_PDF_SETTINGS)).pdf.path)).includes('Still printing'));
  });

  it('fetches no remote picture, style sheet or font and runs no script, while the rest of the mail prints', async () => {
    let served = 0;
    const server: Server = createServer((_req, res) => {
      served += 1;
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const remote = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    try {
      // The server answers a browser that may fetch: the count below can only stay 0 because the renderer refused.
      const open = await browser.newContext();
      const page = await open.newPage();
      await page.setContent(`<img src="${remote}/control.gif">`, { waitUntil: 'load' });
      await open.close();
      assert.equal(served, 1);
      served = 0;

      const folder = join(dir, 'remote');
      await mkdir(folder);
      const path = join(folder, 'Newsletter.eml');
      await writeFile(
        path,
        makeEml(
          ownMail(`<html><head><link rel="stylesheet" href="${remote}/style.css"><style>@font-face { font-family: Remote; src: url(${remote}/font.woff2) } body { background: url(${remote}/background.png) }</style></head>
<body><p>Before the picture</p><img src="${remote}/tracking.gif?id=42" alt="tracker"><p style="font-family: Remote">After the picture 請求書</p>
<script>document.write('SCRIPT RAN')</script><img src="x:broken" onerror="document.body.append('HANDLER RAN')"></body></html>`),
        ),
      );
      const result = done(await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS));
      // The PDF exists and holds the text after the picture: the page was parsed and printed past it.
      const text = await pdfText(result.pdf.path);
      assert.ok(text.includes('Before the picture') && text.includes('After the picture 請求書'), text);
      assert.ok(!text.includes('SCRIPT RAN') && !text.includes('HANDLER RAN'), text);
      assert.ok(result.blockedRequests.some((url) => url.startsWith(`${remote}/`)), `the browser met the remote addresses and refused them: ${JSON.stringify(result.blockedRequests)}`);
      assert.equal(served, 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('converts attached mails three levels deep and saves a fourth level without converting it', async () => {
    const folder = join(dir, 'deep');
    await mkdir(folder);
    let mail = ownMail('<p>Level 5</p>', { subject: 'Level 5' });
    for (let level = 4; level >= 1; level -= 1) {
      mail = ownMail(`<p>Level ${String(level)}</p>`, { subject: `Level ${String(level)}`, msgHtmlForm: level % 2 === 0 ? 'rtf' : 'html', parts: [{ kind: 'mail', name: `Level ${String(level + 1)}.msg`, mail }] });
    }
    const path = join(folder, 'Level 1.msg');
    await writeFile(path, makeMsg(mail));
    const result = done(await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS));
    const levels: string[] = [];
    const walk = (conversion: MailConversion): void => {
      levels.push(`${String(conversion.depth)}:${conversion.status}`);
      if (conversion.status === 'done') conversion.nested.forEach(walk);
    };
    walk(result);
    assert.deepEqual(levels, ['1:done', '2:done', '3:done', '4:skipped']);
    const level4 = join(folder, 'Level 1.msg attachments', 'Level 2.msg attachments', 'Level 3.msg attachments', 'Level 4.msg');
    assert.ok((await readFile(level4)).length > 0, 'the fourth level is saved as a file');
    assert.deepEqual(await readdir(join(level4, '..')), ['Level 4.msg']);
    assert.deepEqual(countConversions([result]), { done: 3, failed: 0, skipped: 1 });
  });

  it('prints on Letter when asked, and keeps a PDF that is already there by taking the next name', async () => {
    const folder = join(dir, 'letter');
    await mkdir(folder);
    const path = join(folder, 'Note.eml');
    await writeFile(path, makeEml(ownMail('<p>Letter paper</p>')));
    await writeFile(`${path}.pdf`, 'a PDF the user made');
    const result = done(await convertMailFile(path, renderer, { ...DEFAULT_MAIL_PDF_SETTINGS, pageSize: 'Letter' }));
    assert.equal(result.pdf.path, join(folder, 'Note.eml (2).pdf'));
    assert.equal(await readFile(`${path}.pdf`, 'utf8'), 'a PDF the user made');
    const page = await (await getDocumentProxy(new Uint8Array(await readFile(result.pdf.path)))).getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    assert.deepEqual([Math.round(width), Math.round(height)], [612, 792]);
  });

  it('stops when asked, keeping nothing, so the next run converts the mail', async () => {
    const folder = join(dir, 'stopped');
    await mkdir(folder);
    const path = join(folder, 'Stop.eml');
    await writeFile(path, makeEml(ownMail('<p>x</p>')));
    const controller = new AbortController();
    controller.abort();
    const result = await convertMailFile(path, renderer, DEFAULT_MAIL_PDF_SETTINGS, { signal: controller.signal });
    assert.equal(result.status === 'failed' ? result.code : result.status, 'MAIL_INTERRUPTED');
    assert.deepEqual(await readdir(folder), ['Stop.eml']);
  });
});
