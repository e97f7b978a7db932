import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { mailDocumentHtml } from './mail-document.ts';
import type { MailConversion, MailConversionDone, MailConversionFailed, MailFailureCode, ProducedFile, SkippedPart } from './mail-conversion.ts';
import { mailFormatOfName, type Mail } from './mail-model.ts';
import type { MailPdfSettings } from './mail-pdf-settings.ts';
import { PARTIAL_SUFFIX, attachmentFolderName, pdfFileName, planAttachments } from './output-plan.ts';
import { RenderError, type RenderedPdf, type RenderOptions } from './pdf-renderer.ts';
import { MailReadError, readMail } from './read-mail.ts';

/** What turns a document into a PDF (`MailPdfRenderer`). */
export interface MailRenderer {
  render(html: string, options: RenderOptions): Promise<RenderedPdf>;
}

export interface ConvertMailOptions {
  /** 1 (the default) for a downloaded mail; attached mails are converted at depth + 1. */
  readonly depth?: number;
  /** Stops the conversion (Ctrl-C): the result is `MAIL_INTERRUPTED` and nothing is kept. */
  readonly signal?: AbortSignal;
}

/**
 * Converts one mail file (`.msg` or `.eml`) where it lies: `<name><pdfSuffix>` beside it, and its
 * own attachments in `<name><attachmentFolderSuffix>/` (inline images under the threshold left
 * out), where attached mails are converted in turn down to `maxMailDepth`. Everything is written
 * under a `.partial` name first and renamed when complete, so an interrupted try leaves nothing
 * that looks finished. The mail file itself is only read. Never throws: a mail that cannot be
 * read, rendered or written is a `failed` result with a reason.
 */
export async function convertMailFile(sourcePath: string, renderer: MailRenderer, settings: MailPdfSettings, options: ConvertMailOptions = {}): Promise<MailConversion> {
  const depth = options.depth ?? 1;
  const startedMs = performance.now();
  let mail: Mail;
  try {
    mail = await readMail(await readFile(sourcePath), mailFormatOfName(sourcePath) ?? 'eml');
  } catch (error) {
    const reason = error instanceof MailReadError ? error.message : `The mail file could not be read (${messageOf(error)}). The original file is kept as downloaded.`;
    return failed(sourcePath, depth, 'MAIL_UNREADABLE', reason);
  }

  const folder = dirname(sourcePath);
  const mailName = basename(sourcePath);
  const keep: string[] = [];
  const partials: string[] = [];
  try {
    const taken = await readdir(folder);
    const pdfName = pdfFileName(mailName, settings.pdfSuffix, taken);
    const decisions = planAttachments(mail.attachments, settings.inlineImageMinBytes);
    const saved = decisions.filter((decision) => decision.action === 'save');
    const folderName = saved.length === 0 ? null : attachmentFolderName(mailName, settings.attachmentFolderSuffix, [...taken, pdfName]);
    const pdfPartial = join(folder, `${pdfName}${PARTIAL_SUFFIX}`);
    const folderPartial = folderName === null ? null : join(folder, `${folderName}${PARTIAL_SUFFIX}`);
    partials.push(pdfPartial, ...(folderPartial === null ? [] : [folderPartial]));
    // What an interrupted earlier try left under these names.
    for (const partial of partials) await rm(partial, { recursive: true, force: true });

    const rendered = await renderer.render(mailDocumentHtml(mail, settings.timeZone), {
      pageSize: settings.pageSize,
      timeoutMs: settings.renderTimeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    await writeFile(pdfPartial, rendered.pdf, { flag: 'wx' });

    const attachments: ProducedFile[] = [];
    const nested: MailConversion[] = [];
    const skipped: SkippedPart[] = decisions.flatMap((decision) =>
      decision.action === 'skip' ? [{ sourcePath, name: decision.attachment.name, sizeBytes: decision.attachment.bytes.length, reason: decision.reason }] : [],
    );
    if (folderPartial !== null) {
      await mkdir(folderPartial);
      for (const decision of saved) {
        if (decision.action !== 'save') continue;
        const path = join(folderPartial, decision.fileName);
        await writeFile(path, decision.attachment.bytes, { flag: 'wx' });
        attachments.push(produced('attachment', path, sourcePath, decision.attachment.bytes));
        if (decision.attachment.mailFormat === null) continue;
        nested.push(depth + 1 > settings.maxMailDepth ? tooDeep(path, depth + 1, settings.maxMailDepth) : await convertMailFile(path, renderer, settings, { ...options, depth: depth + 1 }));
        options.signal?.throwIfAborted();
      }
    }

    const pdfPath = join(folder, pdfName);
    await rename(pdfPartial, pdfPath);
    keep.push(pdfPath);
    const result: MailConversionDone = {
      status: 'done',
      sourcePath,
      depth,
      pdf: produced('pdf', pdfPath, sourcePath, rendered.pdf),
      attachments,
      skipped,
      nested,
      bodySource: mail.bodySource,
      blockedRequests: rendered.blockedRequests,
      durationMs: performance.now() - startedMs,
    };
    if (folderPartial === null || folderName === null) return result;
    const finalFolder = join(folder, folderName);
    await rename(folderPartial, finalFolder);
    return relocate(result, folderPartial, finalFolder);
  } catch (error) {
    // Nothing half-done stays: the partial names, and a PDF already renamed when its folder could not be.
    for (const path of [...partials, ...keep]) await rm(path, { recursive: true, force: true }).catch(() => {});
    return failureOf(error, sourcePath, depth, options.signal);
  }
}

function produced(kind: ProducedFile['kind'], path: string, sourcePath: string, bytes: Uint8Array): ProducedFile {
  return { kind, path, sourcePath, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function tooDeep(path: string, depth: number, maxMailDepth: number): MailConversion {
  return { status: 'skipped', sourcePath: path, depth, reason: `a mail attached ${String(depth - 1)} levels deep; mails are converted ${String(maxMailDepth)} levels deep, so it is saved as it is` };
}

function failed(sourcePath: string, depth: number, code: MailFailureCode, reason: string): MailConversionFailed {
  return { status: 'failed', sourcePath, depth, code, reason };
}

function failureOf(error: unknown, sourcePath: string, depth: number, signal: AbortSignal | undefined): MailConversionFailed {
  if (signal?.aborted === true || (error instanceof RenderError && error.reason === 'interrupted')) {
    return failed(sourcePath, depth, 'MAIL_INTERRUPTED', 'The conversion was stopped before it finished; nothing was kept, and the next run converts this mail.');
  }
  if (error instanceof RenderError) {
    return failed(sourcePath, depth, 'MAIL_RENDER_FAILED', `The mail could not be printed to PDF: ${error.message}. The original file is kept; the next run tries again.`);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const what = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'the folder may not be written to' : messageOf(error);
  return failed(sourcePath, depth, 'MAIL_WRITE_FAILED', `The PDF or an attachment could not be written next to the mail (${what}). Free some space or check the folder's permissions; the next run tries again.`);
}

/** Paths written inside the partial folder, moved to where the folder now is. */
function relocate<T extends MailConversion>(conversion: T, from: string, to: string): T {
  const move = (path: string): string => (path.startsWith(from + sep) ? to + path.slice(from.length) : path);
  const file = (item: ProducedFile): ProducedFile => ({ ...item, path: move(item.path), sourcePath: move(item.sourcePath) });
  const base = { ...conversion, sourcePath: move(conversion.sourcePath) };
  if (conversion.status !== 'done') return base;
  return {
    ...base,
    pdf: file(conversion.pdf),
    attachments: conversion.attachments.map(file),
    skipped: conversion.skipped.map((part) => ({ ...part, sourcePath: move(part.sourcePath) })),
    nested: conversion.nested.map((inner) => relocate(inner, from, to)),
  };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
