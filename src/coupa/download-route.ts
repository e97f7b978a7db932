/**
 * How this run fetches linked files: from Node (streamed, with the browser's cookies) until Node
 * meets a network problem the browser does not have — Edge on Windows follows the system's proxy
 * and PAC settings, and trusts what the system trusts, which Node may not — and from then on, for
 * the rest of the run, through the browser itself. One per run, handed to every PO; it switches
 * once and says so once.
 */
export type DownloadVia = 'node' | 'browser';

export interface DownloadRouteOptions {
  readonly start?: DownloadVia;
  /** Called once, when the run's downloads move to the browser. */
  onSwitch(reason: string): void;
}

export class DownloadRoute {
  /** Node's HTTP client for this run. */
  readonly fetch: typeof globalThis.fetch;
  readonly #onSwitch: (reason: string) => void;
  #via: DownloadVia;

  constructor(fetch: typeof globalThis.fetch, options: DownloadRouteOptions) {
    this.fetch = fetch;
    this.#via = options.start ?? 'node';
    this.#onSwitch = options.onSwitch;
  }

  get via(): DownloadVia {
    return this.#via;
  }

  /** From now on every linked file of the run goes through the browser. */
  switchToBrowser(reason: string): void {
    if (this.#via === 'browser') return;
    this.#via = 'browser';
    this.#onSwitch(reason);
  }
}
