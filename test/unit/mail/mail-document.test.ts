import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMailDate, formatSize, headerBlockHtml } from '../../../src/mail/header-block.ts';
import { CONTENT_SECURITY_POLICY, mailDocumentHtml } from '../../../src/mail/mail-document.ts';
import type { Mail, MailAttachment } from '../../../src/mail/mail-model.ts';

const LOGO = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

function mail(overrides: Partial<Mail> = {}): Mail {
  return {
    format: 'eml',
    subject: 'RE: Offer – 請求書',
    from: { name: 'Zoë Müller', address: 'zoe@supplier.example.com' },
    to: [{ name: 'Buyer Team', address: 'buyer@example.com' }, { name: '', address: 'ap@example.com' }],
    cc: [],
    date: new Date(Date.UTC(2024, 0, 15, 9, 31)),
    html: null,
    text: 'Hello',
    bodySource: 'text',
    attachments: [],
    ...overrides,
  };
}

function part(name: string, sizeBytes: number, contentId: string | null, inline: boolean): MailAttachment {
  return { name, contentType: 'image/png', contentId, inline, bytes: sizeBytes === LOGO.length ? LOGO : new Uint8Array(sizeBytes), mailFormat: null };
}

/** The header block's rows as `label: value`, in order. */
function rows(html: string): string[] {
  return [...html.matchAll(/<tr><th>([^<]+)<\/th><td>(.*?)<\/td><\/tr>/g)].map((match) => `${match[1] ?? ''}: ${match[2] ?? ''}`);
}

describe('the header block', () => {
  it('shows From, To, Date and Subject in that order, with names and addresses, and Unicode as it is', () => {
    assert.deepEqual(rows(headerBlockHtml(mail(), 'UTC')), [
      'From: Zoë Müller &#60;zoe@supplier.example.com&#62;',
      'To: Buyer Team &#60;buyer@example.com&#62;; ap@example.com',
      'Date: 2024-01-15 09:31 (UTC)',
      'Subject: RE: Offer – 請求書',
    ]);
  });

  it('adds a Cc row only when the mail has copies', () => {
    const html = headerBlockHtml(mail({ cc: [{ name: 'Accounts Payable', address: 'ap@example.com' }] }), 'UTC');
    assert.deepEqual(rows(html).map((row) => row.split(':')[0]), ['From', 'To', 'Cc', 'Date', 'Subject']);
  });

  it('escapes what the sender wrote, so a subject cannot add markup', () => {
    const html = headerBlockHtml(mail({ subject: '<img src=x onerror=alert(1)> & "quotes"' }), 'UTC');
    assert.ok(!html.includes('<img'));
    assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62; &#38; &#34;quotes&#34;/);
  });

  it('lists the attached files with their sizes but not the pictures shown in the body', () => {
    const html = headerBlockHtml(mail({ attachments: [part('Signed offer.pdf', 6100, null, false), part('logo.png', 4, 'logo@x', true)] }), 'UTC');
    assert.match(html, /<li>Signed offer\.pdf <span class="size">\(6\.0 KB\)<\/span><\/li>/);
    assert.ok(!html.includes('logo.png'));
  });

  it('sits in a declarative shadow root, so the mail’s styles cannot restyle it', () => {
    assert.match(headerBlockHtml(mail(), 'UTC'), /^<div id="coupa-dl-mail-header"><template shadowrootmode="open"><style>:host \{ all: initial;/);
  });
});

describe('dates and sizes', () => {
  it('shows the time in the zone asked for, and in UTC when that zone is unknown', () => {
    const date = new Date(Date.UTC(2024, 6, 1, 22, 5));
    assert.equal(formatMailDate(date, 'UTC'), '2024-07-01 22:05 (UTC)');
    assert.equal(formatMailDate(date, 'Europe/Berlin'), '2024-07-02 00:05 (Europe/Berlin)');
    assert.equal(formatMailDate(date, 'Not/AZone'), '2024-07-01 22:05 (UTC)');
  });

  it('counts sizes as Explorer does', () => {
    assert.deepEqual([formatSize(0), formatSize(1023), formatSize(1024), formatSize(1536), formatSize(5 * 1024 * 1024)], ['0 bytes', '1023 bytes', '1.0 KB', '1.5 KB', '5.0 MB']);
  });
});

describe('the document a mail is printed from', () => {
  it('keeps the mail’s own styles and body, puts the header first in the body and a policy that loads only data: first in the head', () => {
    const html = mailDocumentHtml(mail({ html: '<html><head><style>p { color: red }</style></head><body bgcolor="#fff"><p>Body text</p></body></html>', bodySource: 'html' }), 'UTC');
    assert.ok(html.startsWith(`<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}"><style>p { color: red }</style></head>`));
    assert.match(html, /<body bgcolor="#fff"><div id="coupa-dl-mail-header"><template shadowrootmode="open">[\s\S]*<\/template><\/div><p>Body text<\/p><\/body>/);
  });

  it('shows inline cid: pictures as data: URLs, in img tags and in CSS', () => {
    const attachments = [part('logo.png', LOGO.length, 'Logo.1@Supplier', true)];
    const html = mailDocumentHtml(
      mail({ html: '<p style="background: url(cid:logo.1@supplier)"><img src="cid:Logo.1%40Supplier"><img src="cid:missing@x"></p><style>div { background-image: url("cid:logo.1@supplier") }</style>', attachments, bodySource: 'html' }),
      'UTC',
    );
    const dataUrl = `data:image/png;base64,${Buffer.from(LOGO).toString('base64')}`;
    assert.ok(html.includes(`<img src="${dataUrl}">`));
    assert.ok(html.includes(`background: url(&quot;${dataUrl}&quot;)`));
    assert.ok(html.includes(`background-image: url("${dataUrl}")`));
    assert.ok(html.includes('<img src="cid:missing@x">'), 'an unknown cid stays as it is (a broken picture)');
  });

  it('takes out what could run or reach out: scripts, frames, plug-ins, links, base, refresh, event attributes and javascript: links', () => {
    const html = mailDocumentHtml(
      mail({
        html: `<html><head><meta http-equiv="refresh" content="0;url=https://evil.example.com"><base href="https://evil.example.com/"><link rel="stylesheet" href="https://evil.example.com/a.css"><script>alert(1)</script></head>
<body onload="alert(2)"><a href="javascript:alert(3)">link</a><iframe src="https://evil.example.com"></iframe><object data="x.swf"></object><embed src="x.swf"><img src="https://tracker.example.com/p.gif" onerror="alert(4)"><template shadowrootmode="open"><script>alert(5)</script><p>inside</p></template><coupa-dl-header-slot>fake</coupa-dl-header-slot></body></html>`,
        bodySource: 'html',
      }),
      'UTC',
    );
    for (const gone of ['<script', 'refresh', '<base', '<link', 'onload', 'javascript:', '<iframe', '<object', '<embed', 'onerror', 'fake']) assert.ok(!html.includes(gone), gone);
    assert.ok(html.includes('<a>link</a>'));
    assert.ok(html.includes('<img src="https://tracker.example.com/p.gif">'), 'a remote picture stays referred to: the browser context refuses to load it');
    assert.ok(html.includes('<p>inside</p>'));
  });

  it('shows a plain-text mail as its text, escaped, with its line breaks', () => {
    const html = mailDocumentHtml(mail({ text: 'Line 1 <b>not bold</b>\nLine 2 請求書' }), 'UTC');
    assert.match(html, /<pre style="white-space: pre-wrap;[^"]*">Line 1 &lt;b&gt;not bold&lt;\/b&gt;\nLine 2 請求書<\/pre>/);
  });

  it('says so when a mail has no text at all', () => {
    assert.match(mailDocumentHtml(mail({ text: null, bodySource: 'none' }), 'UTC'), /\(This mail has no text\.\)/);
  });
});
