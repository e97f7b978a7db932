import { place, type AttachmentFactory } from './attachment-factory.ts';
import { PDF_NAMES, XLSX_NAMES } from './attachment-names.ts';
import type { SimPo } from './catalogue-model.ts';
import { SeededRandom } from './seeded-random.ts';

/** Line ids are derived from the PO id with room for this many lines (see api/api-records.ts). */
export const MAX_LINES_PER_PO = 999;

/**
 * A PO with `lines` order lines: an XLSX on line 51 (the first line past one 50-record page of
 * the API) and a PDF on the last line, besides what its kind already shows. A tool that reads
 * only the first page of lines misses them. Error-page POs stay as they are.
 */
export function addLongLines(po: SimPo, wanted: number, factory: AttachmentFactory, seed: number): SimPo {
  const lines = Math.max(wanted, po.lineCount);
  if (po.page !== 'ok') return { ...po, lineCount: lines };
  const random = new SeededRandom(seed, 'long-po', po.id);
  const path = `/order_headers/${po.id}`;
  const middle = place(factory.file(random.pick(XLSX_NAMES), path), 'line', Math.min(51, lines));
  const last = place(factory.file(random.pick(PDF_NAMES), path), 'line', lines);
  return { ...po, lineCount: lines, placements: [...po.placements, middle, last] };
}
