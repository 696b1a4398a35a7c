/**
 * Rule 12 during the 360° room scan (rule 2.8.3): which of the object detector's findings to flag
 * for the proctor. Kept apart from the turn measurement in room-scan.ts: objects never decide
 * whether the scan is complete.
 */
import type { ObjectIncident } from '../shared/incidents';
import type { ObjectSignal } from './signals';

/** A forbidden object seen during the scan, to flag for the proctor (rule 12). */
export interface ScanObjectFinding {
  incident: ObjectIncident;
  score: number;
  /** ms since the scan began. */
  at: number;
}

/** The same kind of object is flagged again only after this long (one phone lying in view is one finding, not ten). */
export const OBJECT_REPEAT_MS = 10_000;

/**
 * Rule 12 during the scan: the detector's findings that the programme forbids (not on its
 * allow-list, score at least its minimum), each kind at most once per OBJECT_REPEAT_MS. Objects
 * never fail the scan; the proctor decides what they mean.
 */
export class ScanObjectLog {
  private readonly lastFlagged = new Map<ObjectIncident, number>();
  /** Everything flagged, in order, for the candidate's notice and the report. */
  readonly findings: ScanObjectFinding[] = [];

  constructor(private readonly rules: { minScore: number; allow: readonly string[] }) {}

  /** One detector run at `atMs` (ms since the scan began); returns the new findings to flag. */
  see(objects: readonly ObjectSignal[], atMs: number): ScanObjectFinding[] {
    const best = new Map<ObjectIncident, number>();
    for (const o of objects) {
      if (o.score < this.rules.minScore || this.rules.allow.includes(o.type)) continue;
      best.set(o.type, Math.max(best.get(o.type) ?? 0, o.score));
    }
    const fresh: ScanObjectFinding[] = [];
    for (const [incident, score] of best) {
      const last = this.lastFlagged.get(incident);
      if (last !== undefined && atMs - last < OBJECT_REPEAT_MS) continue;
      this.lastFlagged.set(incident, atMs);
      fresh.push({ incident, score, at: Math.max(0, Math.round(atMs)) });
    }
    this.findings.push(...fresh);
    return fresh;
  }

  /** The kinds seen so far (for the candidate's notice). */
  get kinds(): ObjectIncident[] {
    return [...new Set(this.findings.map((f) => f.incident))];
  }
}
