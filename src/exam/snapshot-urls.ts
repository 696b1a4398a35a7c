/**
 * The page's own URLs of incident snapshots (blob: URLs), for the warning and the ended screen to
 * show the picture of the incident behind a decision. A URL lives while its incident may still be
 * judged (it is open) and, once a decision has shown it, for the rest of the page (there are at
 * most two such: the warning and the end); every other one is revoked when its incident closes
 * (stopping proctoring closes every open one), so a long exam with many incidents does not keep
 * every picture in memory.
 */
export interface BlobUrls {
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
}

export class SnapshotUrls {
  private readonly byIncident = new Map<string, string>();
  private readonly shown = new Set<string>();

  constructor(private readonly urls: BlobUrls = URL) {}

  /** A URL for the incident's snapshot (one per incident). */
  add(incidentId: string, snapshot: Blob): string {
    const existing = this.byIncident.get(incidentId);
    if (existing) return existing;
    const url = this.urls.createObjectURL(snapshot);
    this.byIncident.set(incidentId, url);
    return url;
  }

  /** The URL a decision on this incident shows (kept from now on), or null when it has none. */
  show(incidentId: string): string | null {
    const url = this.byIncident.get(incidentId) ?? null;
    if (url) this.shown.add(incidentId);
    return url;
  }

  /** The incident closed: its picture goes unless a decision showed it. */
  closed(incidentId: string): void {
    if (this.shown.has(incidentId)) return;
    const url = this.byIncident.get(incidentId);
    if (url) this.urls.revokeObjectURL(url);
    this.byIncident.delete(incidentId);
  }

  /** URLs alive now (for tests and the bench). */
  get live(): number {
    return this.byIncident.size;
  }
}
