export interface SimulatorStatsSnapshot {
  pageViews: number;
  fileRequests: number;
  bytesSent: number;
  signIns: number;
  /** Summed time from request to response end, over PO and requisition pages, the XHRs their scripts send (late lists, the lines table) and the assets. */
  pageTimeMs: number;
  fileTimeMs: number;
  /**
   * Wall time during which at least one page or file request was being served. Unlike the sums
   * above, requests served at the same time count once: with one PO at a time, this is the time
   * the tool could not have saved.
   */
  busyTimeMs: number;
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

  /** Call when serving a page or file starts; call the returned function once, when its response has closed. */
  startRequest(kind: 'page' | 'file'): () => void {
    const started = performance.now();
    if (this.#inFlight === 0) this.#busySince = started;
    this.#inFlight += 1;
    return () => {
      const now = performance.now();
      if (kind === 'page') this.#pageTimeMs += now - started;
      else this.#fileTimeMs += now - started;
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
    };
  }
}
