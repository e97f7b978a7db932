import { createHash } from 'node:crypto';
import { COMMENTS_SECTION_SOURCE, commentsBundleSource } from './comments-app.ts';

export interface Asset {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** Served after this delay (the comments bundle's own latency). */
  readonly latencyMs: number;
}

/** A 1×1 transparent GIF: the real page's spinners are GIFs. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * The page's static files, named `<name>-<content hash>.<ext>` as a Rails asset pipeline names them,
 * built once per simulator. Served to anyone and cacheable for a year, as production assets are.
 */
export class SiteAssets {
  readonly commentsSection: Asset;
  readonly commentsBundle: Asset;
  readonly spinner: Asset;
  readonly loading: Asset;
  readonly #byPath: ReadonlyMap<string, Asset>;

  constructor(bundleLatencyMs: number) {
    this.commentsSection = asset('comments', 'js', 'text/javascript; charset=utf-8', Buffer.from(COMMENTS_SECTION_SOURCE), 0);
    this.commentsBundle = asset('CommentsApp_wp_bundle', 'js', 'text/javascript; charset=utf-8', Buffer.from(commentsBundleSource()), bundleLatencyMs);
    this.spinner = asset('spinner', 'gif', 'image/gif', GIF, 0);
    this.loading = asset('loading', 'gif', 'image/gif', GIF, 0);
    this.#byPath = new Map([this.commentsSection, this.commentsBundle, this.spinner, this.loading].map((a) => [a.path, a]));
  }

  find(path: string): Asset | undefined {
    return this.#byPath.get(path);
  }
}

function asset(name: string, extension: string, contentType: string, body: Buffer, latencyMs: number): Asset {
  const hash = createHash('sha256').update(body).digest('hex');
  return { path: `/assets/${name}-${hash}.${extension}`, contentType, body, latencyMs };
}
