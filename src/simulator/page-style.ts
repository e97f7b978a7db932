import { unitFor } from './seeded-random.ts';

/**
 * How PO and requisition pages deliver their attachment lists (docs/simulator.md, "Page styles").
 * Each is a guess at what a real Coupa page may do; a correct reader handles all of them.
 */
export const PAGE_STYLES = ['realistic', 'server', 'lateScript', 'xhrAfterLoad', 'placeholder', 'paginated'] as const;

export type PageStyle = (typeof PAGE_STYLES)[number];

/** Where a style's header and line lists come from. */
export type ListDelivery = 'inline' | 'lateScript' | 'xhrAfterLoad' | 'placeholder';

export function listDeliveryOf(style: PageStyle): ListDelivery {
  switch (style) {
    case 'realistic':
    case 'server':
    case 'paginated':
      return 'inline';
    case 'lateScript':
    case 'xhrAfterLoad':
    case 'placeholder':
      return style;
    default: {
      const unknown: never = style;
      throw new Error(`Unknown page style \`${String(unknown)}\`.`);
    }
  }
}

/** Whether the comments app is rendered by the bundle in the browser (true) or already in the HTML. */
export function commentsRenderedByBundle(style: PageStyle): boolean {
  return style !== 'server';
}

/** Lines per page that `paginated` starts the user's account with, so most POs with lines span pages. */
export const PAGINATED_LINES_PER_PAGE = 2;

export interface DelayRange {
  readonly min: number;
  readonly max: number;
}

/**
 * How long a page's late lists take, in ms: drawn from (seed, style, page) so a run is repeatable,
 * and apart from the catalogue's own stream so the catalogue does not change with the style.
 */
export function listsDelayMs(seed: number, style: PageStyle, pagePath: string, range: DelayRange): number | null {
  if (listDeliveryOf(style) === 'inline') return null;
  return range.min + Math.floor(unitFor(seed, 'lists', style, pagePath) * (range.max - range.min + 1));
}
