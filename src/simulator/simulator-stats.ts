export interface SimulatorStatsSnapshot {
  pageViews: number;
  fileRequests: number;
  bytesSent: number;
  signIns: number;
  /** Summed time from request to response end, over PO and requisition pages. */
  pageTimeMs: number;
  fileTimeMs: number;
}

/** Counters the benchmark reads to see what a run cost the server. */
export class SimulatorStats {
  #pageViews = 0;
  #fileRequests = 0;
  #bytesSent = 0;
  #signIns = 0;
  #pageTimeMs = 0;
  #fileTimeMs = 0;

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

  addPageTime(ms: number): void {
    this.#pageTimeMs += ms;
  }

  addFileTime(ms: number): void {
    this.#fileTimeMs += ms;
  }

  snapshot(): SimulatorStatsSnapshot {
    return {
      pageViews: this.#pageViews,
      fileRequests: this.#fileRequests,
      bytesSent: this.#bytesSent,
      signIns: this.#signIns,
      pageTimeMs: Math.round(this.#pageTimeMs),
      fileTimeMs: Math.round(this.#fileTimeMs),
    };
  }
}
