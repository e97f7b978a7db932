import type { MailConversion } from './mail-conversion.ts';

/**
 * One row per file a conversion produced, skipped or failed to produce: what the state store
 * keeps and the report's Files sheet lists (each produced file linked to the file it came from).
 */
export interface ConversionRow {
  readonly sourcePath: string;
  /** null for a mail that failed or was skipped, and for an attachment left out. */
  readonly outputPath: string | null;
  readonly kind: 'pdf' | 'attachment' | null;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly status: 'done' | 'failed' | 'skipped';
  /** Why it failed or was skipped, for the person reading the report; null when done. */
  readonly reason: string | null;
  /** The failure's stable code (`MAIL_UNREADABLE`, …); null otherwise. */
  readonly code: string | null;
  readonly depth: number;
}

/** The conversion and every conversion inside it, as rows in the order they were made. */
export function conversionRows(conversion: MailConversion): ConversionRow[] {
  const { sourcePath, depth } = conversion;
  switch (conversion.status) {
    case 'failed':
      return [{ sourcePath, outputPath: null, kind: null, sizeBytes: null, sha256: null, status: 'failed', reason: conversion.reason, code: conversion.code, depth }];
    case 'skipped':
      return [{ sourcePath, outputPath: null, kind: null, sizeBytes: null, sha256: null, status: 'skipped', reason: conversion.reason, code: null, depth }];
    case 'done': {
      const rows: ConversionRow[] = [];
      for (const file of [conversion.pdf, ...conversion.attachments]) {
        rows.push({ sourcePath: file.sourcePath, outputPath: file.path, kind: file.kind, sizeBytes: file.sizeBytes, sha256: file.sha256, status: 'done', reason: null, code: null, depth });
      }
      for (const part of conversion.skipped) {
        rows.push({ sourcePath: part.sourcePath, outputPath: null, kind: 'attachment', sizeBytes: part.sizeBytes, sha256: null, status: 'skipped', reason: `${part.name}: ${part.reason}`, code: null, depth });
      }
      for (const inner of conversion.nested) rows.push(...conversionRows(inner));
      return rows;
    }
    default: {
      const unknown: never = conversion;
      throw new Error(`Unknown conversion ${JSON.stringify(unknown)}.`);
    }
  }
}

export interface ConversionCounts {
  /** Mails (downloaded or attached) turned into a PDF. */
  readonly done: number;
  readonly failed: number;
  /** Attached mails deeper than the limit, saved but not converted. */
  readonly skipped: number;
}

/** How many mails were converted, failed, or skipped, attached mails included. */
export function countConversions(conversions: readonly MailConversion[]): ConversionCounts {
  let done = 0;
  let failed = 0;
  let skipped = 0;
  const visit = (conversion: MailConversion): void => {
    if (conversion.status === 'done') {
      done += 1;
      conversion.nested.forEach(visit);
    } else if (conversion.status === 'failed') failed += 1;
    else skipped += 1;
  };
  conversions.forEach(visit);
  return { done, failed, skipped };
}
