import { DUPLICATE_NAME, TRICKY_NAMES, otherFileName, pdfName } from './attachment-names.ts';
import type { AttachmentFactory } from './attachment-factory.ts';
import { place } from './attachment-factory.ts';
import type { PoKind } from './catalogue-mix.ts';
import { LAST_LINE, type PageState, type Placement } from './catalogue-model.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What one PO kind puts on the PO page and on its requisition. */
export interface PoRecipe {
  readonly page: PageState;
  readonly theme: 'current' | 'old';
  readonly lateMs: number | null;
  readonly placements: Placement[];
  /** How many order lines the PO has; absent: the catalogue draws 1–6 (at least the highest line holding a file). */
  readonly lineCount?: number;
  /** null: the PO links no requisition. */
  readonly requisition: { readonly page: PageState; readonly placements: Placement[] } | null;
}

export interface RecipeContext {
  readonly kind: PoKind;
  /** 0 for the first PO of this kind: it gets the plainest form of the kind. */
  readonly ordinal: number;
  readonly random: SeededRandom;
  readonly factory: AttachmentFactory;
  readonly poPath: string;
  readonly requisitionPath: string;
}

/** The manyLines kind: its line count and the lines that hold its files. */
export const MANY_LINES_COUNT = 200;
export const MANY_LINES_FILE_LINES = [1, 17, 60, 199] as const;

export function recipeFor(context: RecipeContext): PoRecipe {
  const { kind, ordinal, random, factory, poPath, requisitionPath } = context;
  const first = ordinal === 0;
  const pdf = (path = poPath) => factory.file(pdfName(random), path);
  const other = (path = poPath) => factory.file(otherFileName(random), path);
  const base: PoRecipe = { page: 'ok', theme: 'current', lateMs: null, placements: [], requisition: null };
  // A requisition that a correct run must NOT open (the PO has its PDF), sometimes holding a PDF as a lure.
  const bystanderRequisition = (probability: number): PoRecipe['requisition'] =>
    random.chance(probability)
      ? { page: 'ok', placements: random.chance(0.5) ? [place(pdf(requisitionPath), 'header')] : [] }
      : null;

  switch (kind) {
    case 'normal': {
      const placements = [place(pdf(), 'header')];
      if (!first && random.chance(0.4)) placements.push(place(other(), 'header'));
      if (!first && random.chance(0.3)) placements.push(place(other(), 'line', 1));
      return { ...base, placements, requisition: bystanderRequisition(0.8) };
    }
    case 'spread': {
      const placements = [place(other(), 'header'), place(pdf(), 'line', 1), place(other(), 'comment', 1)];
      // On the last line, so with few lines per page the file sits on a later page of the lines table.
      if (first || random.chance(0.5)) placements.push(place(other(), 'line', LAST_LINE));
      if (!first && random.chance(0.4)) placements.push(place(pdf(), 'comment', 2));
      return { ...base, placements, requisition: bystanderRequisition(0.7) };
    }
    case 'oldTheme': {
      const placements = [place(pdf(), 'header', 0, 'click')];
      if (first || random.chance(0.5)) placements.push(place(other(), 'header', 0, 'click'));
      if (!first && random.chance(0.4)) placements.push(place(other(), 'line', 1, 'click'));
      return { ...base, theme: 'old', placements, requisition: bystanderRequisition(0.5) };
    }
    case 'urlAndText': {
      const placements = [place(pdf(), 'header'), place(factory.url(), 'header'), place(factory.text(), 'header')];
      if (!first && random.chance(0.4)) placements.push(place(factory.url(), 'comment', 1));
      return { ...base, placements, requisition: bystanderRequisition(0.5) };
    }
    case 'noAttachments':
      return { ...base, requisition: first || random.chance(0.6) ? { page: 'ok', placements: [] } : null };
    case 'prFallback': {
      // Every second one shows its own file (when it has one) as an old-theme click widget: the
      // widget needs the PO page while the requisition is read, so that opens in a second tab.
      const clickOwn = ordinal % 2 === 1;
      const placements = !first && random.chance(0.5) ? [place(other(), 'header', 0, clickOwn ? 'click' : 'link')] : [];
      const reqPlacements = [place(pdf(requisitionPath), 'header')];
      if (!first && random.chance(0.5)) reqPlacements.push(place(other(requisitionPath), 'header'));
      const theme = clickOwn && placements.length > 0 ? 'old' : 'current';
      return { ...base, theme, placements, requisition: { page: 'ok', placements: reqPlacements } };
    }
    case 'prForbidden': {
      const placements = !first && random.chance(0.5) ? [place(other(), 'header')] : [];
      return { ...base, placements, requisition: { page: 'accessDenied', placements: [] } };
    }
    case 'notFound':
      return { ...base, page: 'notFound' };
    case 'accessDenied':
      return { ...base, page: 'accessDenied' };
    case 'late': {
      const placements = [place(pdf(), 'header')];
      if (first || random.chance(0.5)) placements.push(place(other(), 'line', 1));
      return { ...base, lateMs: random.int(300, 1500), placements, requisition: bystanderRequisition(0.5) };
    }
    case 'trickyNames': {
      const names = first ? [...TRICKY_NAMES] : pickSome(random, TRICKY_NAMES, 3);
      const placements = [DUPLICATE_NAME, DUPLICATE_NAME, ...names].map((name) => place(factory.file(name, poPath), 'header'));
      return { ...base, placements, requisition: bystanderRequisition(0.3) };
    }
    case 'linkedTwice': {
      const shared = pdf();
      const placements = [place(shared, 'header'), place(shared, 'comment', 1), place(other(), 'comment', 1)];
      return { ...base, placements, requisition: bystanderRequisition(0.5) };
    }
    case 'manyLines': {
      // The PDF sits on a late line (by default the last page of lines): missing it sends a reader to the requisition's lure.
      const pdfLine = first ? 199 : random.pick(MANY_LINES_FILE_LINES);
      const placements = MANY_LINES_FILE_LINES.map((line) => place(line === pdfLine ? pdf() : other(), 'line', line));
      return { ...base, lineCount: MANY_LINES_COUNT, placements, requisition: { page: 'ok', placements: [place(pdf(requisitionPath), 'header')] } };
    }
    default: {
      const unknown: never = kind;
      throw new Error(`No recipe for PO kind \`${String(unknown)}\`.`);
    }
  }
}

function pickSome<T>(random: SeededRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    const index = Math.floor(random.next() * pool.length);
    chosen.push(...pool.splice(index, 1));
  }
  return chosen;
}
