import { AttachmentFactory, place, type FileSizeRange } from './attachment-factory.ts';
import { assignKinds, type CatalogueMix, type PoKind } from './catalogue-mix.ts';
import type { Catalogue, SimPo, SimRequisition } from './catalogue-model.ts';
import { DECOY_REQUISITION_ID, FIRST_PO_ID, FIRST_REQUISITION_ID, LAST_LINE, type Placement } from './catalogue-model.ts';
import { addLongLines } from './long-pos.ts';
import { recipeFor } from './po-recipes.ts';
import { SeededRandom, unitFor } from './seeded-random.ts';
import { CITIES, EMPTY_SUPPLIER, SUPPLIERS, UNSAFE_SUPPLIER } from './suppliers.ts';

export interface CatalogueOptions {
  readonly seed: number;
  readonly pos: number;
  readonly mix: CatalogueMix;
  readonly fileSizeBytes: FileSizeRange;
  /** PO id → line count for POs with many lines (see `addLongLines`). */
  readonly longPos?: Readonly<Record<string, number>>;
}

/** Fixed places for the odd cases, so that a 20-PO catalogue has them too. */
const UNSAFE_SUPPLIER_INDEX = 2;
const EMPTY_SUPPLIER_INDEX = 9;
const PM_PREFIX_INDEX = 3;

/** The whole simulated Coupa, decided from the seed. Holds no file bytes (those are made on demand). */
export function buildCatalogue(options: CatalogueOptions): Catalogue {
  const { seed } = options;
  const random = new SeededRandom(seed, 'catalogue');
  const factory = new AttachmentFactory(seed, options.fileSizeBytes);
  const kinds = assignKinds(options.pos, options.mix, seed);
  const ordinals = new Map<PoKind, number>();
  const pos: SimPo[] = [];
  const requisitions = new Map<string, SimRequisition>();

  const decoyPath = `/requisition_headers/${DECOY_REQUISITION_ID}`;
  requisitions.set(DECOY_REQUISITION_ID, {
    id: DECOY_REQUISITION_ID,
    poId: null,
    page: 'ok',
    errorVariant: 0,
    placements: [place(factory.file('Requisition_of_another_PO.pdf', decoyPath), 'header')],
  });

  kinds.forEach((kind, index) => {
    const ordinal = ordinals.get(kind) ?? 0;
    ordinals.set(kind, ordinal + 1);
    const id = String(FIRST_PO_ID + index);
    const requisitionId = String(FIRST_REQUISITION_ID + index);
    const recipe = recipeFor({
      kind,
      ordinal,
      random,
      factory,
      poPath: `/order_headers/${id}`,
      requisitionPath: `/requisition_headers/${requisitionId}`,
    });
    if (recipe.requisition !== null) {
      requisitions.set(requisitionId, {
        id: requisitionId,
        poId: id,
        page: recipe.requisition.page,
        errorVariant: ordinal,
        placements: recipe.requisition.placements,
      });
    }
    const supplier = supplierFor(index, random);
    const poNumber = `${index === PM_PREFIX_INDEX || random.chance(0.05) ? 'PM' : 'PO'}${id}`;
    const supplierTitle = supplier === '' ? '' : `${String(10000 + (index % 97) * 13)} - ${supplier}, ${random.pick(CITIES)}`;
    const notice = random.chance(0.2);
    const lineCount = recipe.lineCount ?? drawLineCount(random, recipe.placements);
    pos.push({
      id,
      poNumber,
      kind,
      supplier,
      supplierTitle,
      page: recipe.page,
      errorVariant: ordinal,
      requisitionId: recipe.requisition === null ? null : requisitionId,
      theme: recipe.theme,
      lateMs: recipe.lateMs,
      notice,
      lineCount,
      // Drawn apart from the catalogue's stream, so adding them changed no existing catalogue.
      plainComments: Math.floor(unitFor(seed, 'plainComments', id) * 3),
      placements: recipe.placements.map((placement) => (placement.slot === LAST_LINE ? { ...placement, slot: lineCount } : placement)),
    });
  });

  // After every other PO has its ids, so a long PO changes no other PO's attachments or bytes.
  for (const [id, lines] of Object.entries(options.longPos ?? {})) {
    const index = pos.findIndex((po) => po.id === id);
    const po = pos[index];
    if (po !== undefined) pos[index] = addLongLines(po, lines, factory, seed);
  }

  return {
    seed,
    firstPoId: FIRST_PO_ID,
    unknownPoId: String(FIRST_PO_ID + options.pos + 1000),
    decoyRequisitionId: DECOY_REQUISITION_ID,
    pos,
    poById: new Map(pos.map((po) => [po.id, po])),
    requisitions,
    files: factory.files,
  };
}

/** 1–6 lines, and never fewer than the highest line holding a file (a last-line file needs a second line). */
function drawLineCount(random: SeededRandom, placements: readonly Placement[]): number {
  const slots = placements.filter((p) => p.where === 'line').map((p) => (p.slot === LAST_LINE ? 2 : p.slot));
  return Math.max(random.int(1, 6), ...slots);
}

function supplierFor(index: number, random: SeededRandom): string {
  if (index === UNSAFE_SUPPLIER_INDEX) return UNSAFE_SUPPLIER;
  if (index === EMPTY_SUPPLIER_INDEX) return EMPTY_SUPPLIER;
  return random.pick(SUPPLIERS);
}
