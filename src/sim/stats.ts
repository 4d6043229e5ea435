// Counters the tests and benchmarks read at `GET /__sim/stats`: requests by method and route template,
// plus the events that matter to Sagewire's correctness (edits without id, ignored rating edits, webhooks).

export class SimStats {
  requests: Record<string, number> = {};
  statuses: Record<string, number> = {};
  totalRequests = 0;
  faults: Record<string, number> = {};
  editWithoutId = 0;
  ignoredRatingEdits = 0;
  rateCalls = 0;
  ratingWrites = 0;
  webhooks = { queued: 0, delivered: 0, failed: 0, byEvent: {} as Record<string, number> };
  /** Playback commands sent through the server, by outcome (accepted, refused, unreachable, unknown). */
  playback: Record<string, number> = {};

  countRequest(method: string, route: string, status: number): void {
    const key = `${method} ${route}`;
    this.requests[key] = (this.requests[key] ?? 0) + 1;
    this.statuses[String(status)] = (this.statuses[String(status)] ?? 0) + 1;
    this.totalRequests++;
  }

  countFault(mode: string): void {
    this.faults[mode] = (this.faults[mode] ?? 0) + 1;
  }

  reset(): void {
    Object.assign(this, new SimStats());
  }

  toJSON(): Record<string, unknown> {
    return structuredClone({
      totalRequests: this.totalRequests,
      requests: this.requests,
      statuses: this.statuses,
      faults: this.faults,
      editWithoutId: this.editWithoutId,
      ignoredRatingEdits: this.ignoredRatingEdits,
      rateCalls: this.rateCalls,
      ratingWrites: this.ratingWrites,
      webhooks: this.webhooks,
      playback: this.playback,
    });
  }
}
