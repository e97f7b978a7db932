import { SeededRandom } from './seeded-random.ts';

/**
 * The kinds of PO the simulated Coupa holds; each exercises one thing a correct run must handle.
 * See docs/simulator.md for what each looks like and what a correct run produces.
 */
export const PO_KINDS = [
  'normal', // a PDF (and sometimes more) in the header attachments
  'spread', // files spread over header, order lines and comments; the PDF is on a line
  'oldTheme', // old theme: click-to-download span widgets under a floating bar
  'urlAndText', // a PDF plus URL and Text attachments
  'noAttachments', // nothing on the PO nor on its requisition
  'prFallback', // no PDF on the PO; the requisition has it
  'prForbidden', // no PDF on the PO; the requisition page is an error page
  'notFound', // the PO page is Coupa's "not found" error page
  'accessDenied', // the PO page says "not authorized" / "Access denied"
  'late', // the attachment lists are inserted by script after DOMContentLoaded
  'trickyNames', // Unicode, duplicate and Windows-unsafe file names
  'linkedTwice', // one file linked from the header and from a comment
  'manyLines', // 200 order lines, files on lines 1, 17, 60 and 199: only a reader of every page of lines finds them
] as const;

export type PoKind = (typeof PO_KINDS)[number];

/** Relative weights of the PO kinds; a weight of 0 leaves the kind out entirely. */
export type CatalogueMix = Record<PoKind, number>;

export const DEFAULT_MIX: CatalogueMix = {
  normal: 40,
  spread: 10,
  oldTheme: 8,
  urlAndText: 6,
  noAttachments: 6,
  prFallback: 8,
  prForbidden: 3,
  notFound: 4,
  accessDenied: 3,
  late: 6,
  trickyNames: 4,
  linkedTwice: 2,
  // Opt-in (`mix: { manyLines: 1 }`): a weight here would reshuffle every existing catalogue.
  manyLines: 0,
};

export function resolveMix(partial: Partial<CatalogueMix> = {}): CatalogueMix {
  const mix: CatalogueMix = { ...DEFAULT_MIX, ...partial };
  const problems: string[] = [];
  for (const kind of PO_KINDS) {
    const weight = mix[kind];
    if (!Number.isFinite(weight) || weight < 0) problems.push(`Expected \`mix.${kind}\` to be a number >= 0, got \`${String(weight)}\`.`);
  }
  if (problems.length === 0 && PO_KINDS.every((kind) => mix[kind] === 0)) problems.push('Expected at least one `mix` weight above 0, got all 0.');
  if (problems.length > 0) throw new Error(problems.join(' '));
  return mix;
}

/**
 * The kind of each PO: the first POs take every kind with a weight above 0 once, in PO_KINDS order,
 * so even a small catalogue shows each; the rest are drawn by weight from the seed.
 */
export function assignKinds(count: number, mix: CatalogueMix, seed: number): PoKind[] {
  const present = PO_KINDS.filter((kind) => mix[kind] > 0);
  const total = present.reduce((sum, kind) => sum + mix[kind], 0);
  const random = new SeededRandom(seed, 'kinds');
  const kinds: PoKind[] = [];
  for (let index = 0; index < count; index += 1) {
    const first = present[index];
    if (first !== undefined) {
      kinds.push(first);
      continue;
    }
    let roll = random.next() * total;
    let chosen: PoKind = present[present.length - 1] ?? 'normal';
    for (const kind of present) {
      roll -= mix[kind];
      if (roll < 0) {
        chosen = kind;
        break;
      }
    }
    kinds.push(chosen);
  }
  return kinds;
}
