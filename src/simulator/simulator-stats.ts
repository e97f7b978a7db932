export interface SimulatorStatsSnapshot {
  pageViews: number;
  fileRequests: number;
  bytesSent: number;
  signIns: number;
  /** Summed time from request to response end, over PO and requisition pages, the XHRs their scripts send (late lists, the lines table) and the assets. */
  pageTimeMs: number;
  fileTimeMs: number;
  /**
   * Wall time during which at least one page, file or API request was being served. Unlike the sums
   * above, requests served at the same time count once: with one PO at a time, this is the time
   * the tool could not have saved.
   */
  busyTimeMs: number;
  /** REST API requests (`/api/...` and files fetched with a Bearer token), token requests not included. */
  apiRequests: number;
  /** Of those, how many waited in the rate limit's queue (answered late). */
  apiQueued: number;
  /** 429s sent to API requests (by the rate limit or a fault). */
  apiTooManyRequests: number;
  tokenRequests: number;
  /** Bytes of JSON/XML answers (file bytes count in `bytesSent`). */
  apiBytesSent: number;
  /** Summed time from request to response end over API requests. */
  apiTimeMs: number;
  /** API requests per second since the simulator started: index 0 is its first second. */
  apiRequestsPerSecond: number[];
}

/** Counters the benchmark reads to see what a run cost the server. */
export class SimulatorStats {
  #pageViews = 0;
  #fileRequests = 0;
  #bytesSent = 0;
  #signIns = 0;
  #pageTimeMs = 0;
  #fileTimeMs = 0;
  #busyTimeMs = 0;
  #inFlight = 0;
  #busySince = 0;
  #apiRequests = 0;
  #apiQueued = 0;
  #apiTooManyRequests = 0;
  #tokenRequests = 0;
  #apiBytesSent = 0;
  #apiTimeMs = 0;
  readonly #apiPerSecond: number[] = [];
  readonly #startedAt = performance.now();

  countPageView(): void {
    this.#pageViews += 1;
  }

  countFileRequest(): void {
    this.#fileRequests += 1;
  }

  countSignIn(): void {
    this.#signIns += 1;
  }

  addBytes(count: number): void {
    this.#bytesSent += count;
  }

  countApiRequest(): void {
    this.#apiRequests += 1;
    const second = Math.floor((performance.now() - this.#startedAt) / 1000);
    while (this.#apiPerSecond.length <= second) this.#apiPerSecond.push(0);
    this.#apiPerSecond[second] = (this.#apiPerSecond[second] ?? 0) + 1;
  }

  countApiQueued(): void {
    this.#apiQueued += 1;
  }

  countApiTooManyRequests(): void {
    this.#apiTooManyRequests += 1;
  }

  countTokenRequest(): void {
    this.#tokenRequests += 1;
  }

  addApiBytes(count: number): void {
    this.#apiBytesSent += count;
  }

  /** Call when serving a page, file or API request starts; call the returned function once, when its response has closed. */
  startRequest(kind: 'page' | 'file' | 'api'): () => void {
    const started = performance.now();
    if (this.#inFlight === 0) this.#busySince = started;
    this.#inFlight += 1;
    return () => {
      const now = performance.now();
      if (kind === 'page') this.#pageTimeMs += now - started;
      else if (kind === 'file') this.#fileTimeMs += now - started;
      else this.#apiTimeMs += now - started;
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#busyTimeMs += now - this.#busySince;
    };
  }

  snapshot(): SimulatorStatsSnapshot {
    return {
      pageViews: this.#pageViews,
      fileRequests: this.#fileRequests,
      bytesSent: this.#bytesSent,
      signIns: this.#signIns,
      pageTimeMs: Math.round(this.#pageTimeMs),
      fileTimeMs: Math.round(this.#fileTimeMs),
      busyTimeMs: Math.round(this.#busyTimeMs + (this.#inFlight > 0 ? performance.now() - this.#busySince : 0)),
      apiRequests: this.#apiRequests,
      apiQueued: this.#apiQueued,
      apiTooManyRequests: this.#apiTooManyRequests,
      tokenRequests: this.#tokenRequests,
      apiBytesSent: this.#apiBytesSent,
      apiTimeMs: Math.round(this.#apiTimeMs),
      apiRequestsPerSecond: [...this.#apiPerSecond],
    };
  }
}
