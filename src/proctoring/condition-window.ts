/**
 * One condition's persistence window (DESIGN §3): the state machine that turns a stream of
 * "does it hold now?" observations into settled incidents. It knows nothing about faces or
 * audio; the tracker feeds it readings and it decides when an incident opens and closes.
 *
 * Time comes only from the observations' `t` (and `expire(now)`), never from a clock, so the
 * same input always gives the same incidents (STYLE habit 1).
 *
 * Semantics (the integrator's contract):
 * - A reading holds from its `t` until the next reading, but for at most `staleMs`: when the
 *   signal stops (camera frames stop, the object model stalls) the condition is treated as
 *   absent from the last reading, so nothing is ever settled on data we do not have.
 * - Opening: the condition must hold for `afterMs` from the first reading where it held
 *   (incident.start = that reading's t, not the moment it settled). Contrary stretches shorter
 *   than `bridgeMs` do not restart the window (one frame the detector missed must not reset
 *   a 3 s window that was nearly settled); but if contrary readings
 *   outnumber holding ones when the condition comes back, the window restarts there. So a
 *   single frame never raises anything, and neither does a repeated one-frame flicker: the
 *   condition must hold on at least half of the readings of its window. Sampled conditions
 *   (frames, audio) open only on a reading; states (focus lost) also open on expire(now).
 * - Closing (hysteresis): once open, the incident closes when the condition has been absent
 *   for `clearMs`; incident.end = the first moment it was seen absent (the first contrary
 *   reading, or the last reading if the signal stopped). If the condition comes back during
 *   that stretch and goes again within `bridgeMs`, on fewer readings than it was absent, the
 *   return was a false positive and the stretch goes on: a one-frame blip every second cannot
 *   keep an incident open forever, while a real return (longer, or as long as the absence)
 *   restarts the clearing.
 * - Confidence and detail are fixed when the incident opens: the mean per-reading confidence
 *   over the window, and the detail of the "worst" reading, whose evidence is returned with it.
 */
import type { Incident, IncidentType } from '../shared/incidents';

export type Detail = Incident['detail'];

/** What one reading says about a condition. `severity` picks the worst reading (its evidence is kept). */
export interface Reading {
  holds: boolean;
  /** 0..1: how sure the detector is that the condition holds on this reading. */
  confidence: number;
  severity: number;
  detail: Detail;
}

export type IncidentUpdate<E> = { kind: 'open'; incident: Incident; evidence?: E } | { kind: 'close'; incident: Incident };

export interface WindowTiming {
  afterMs: number;
  clearMs: number;
  /** Contrary stretches shorter than this do not restart a pending window (0 for state changes such as focus). */
  bridgeMs: number;
  /** A reading stops counting this long after it was taken (Infinity for state changes that are reported on change). */
  staleMs: number;
}

interface Worst<E> {
  reading: Reading;
  evidence: E | undefined;
}

/** The current stretch during which the condition (mostly) held. */
interface Run<E> {
  since: number;
  holding: number;
  contrary: number;
  confidenceSum: number;
  worst: Worst<E> | null;
}

/** Whether `next` should replace `current` as the reading kept for the incident. */
function isWorse<E>(next: Worst<E>, current: Worst<E> | null): boolean {
  if (!current) return true;
  // Evidence is what the candidate and the reviewer are shown: a reading with a snapshot beats one without.
  const nextHas = next.evidence !== undefined;
  const currentHas = current.evidence !== undefined;
  if (nextHas !== currentHas) return nextHas;
  // Ties keep the earlier reading (strictly greater), so "any frame" conditions keep the first.
  return next.reading.severity > current.reading.severity;
}

const newRun = <E>(since: number): Run<E> => ({ since, holding: 0, contrary: 0, confidenceSum: 0, worst: null });
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export class ConditionWindow<E> {
  private run: Run<E> | null = null;
  /** Start of the current contrary stretch (pending or open), null while the condition holds. */
  private absentSince: number | null = null;
  /** Contrary readings in the current clearing stretch of an open incident. */
  private clearContrary = 0;
  /** An open incident's condition came back during its clearing: a short blip is ignored if it goes again. */
  private blip: { since: number; holding: number; resumeFrom: number; contraryBefore: number } | null = null;
  private lastReadingAt = -Infinity;
  private current: Incident | null = null;

  constructor(
    readonly type: IncidentType,
    private readonly timing: WindowTiming,
    private readonly newId: () => string,
  ) {}

  /** The open incident, if any. */
  get incident(): Incident | null {
    return this.current ? { ...this.current, detail: { ...this.current.detail } } : null;
  }

  /** One reading at time t (readings never go back in time: an earlier t is taken as the last one). */
  observe(t: number, reading: Reading, evidence?: E): IncidentUpdate<E>[] {
    const at = Math.max(t, this.lastReadingAt);
    this.noteStale(at);
    const updates = this.settleAbsence(at);
    if (reading.holds) updates.push(...this.onHolding(at, reading, evidence));
    else updates.push(...this.onContrary(at));
    this.lastReadingAt = at;
    return updates;
  }

  /** No reading at `now`: settle what time alone settles (stale signals, hysteresis, state windows such as focus). */
  expire(now: number): IncidentUpdate<E>[] {
    const at = Math.max(now, this.lastReadingAt);
    this.noteStale(at);
    const updates = this.settleAbsence(at);
    // A state (focus lost) holds until it is reported over; a sampled condition is proven only by its readings.
    const opened = this.timing.staleMs === Infinity ? this.maybeOpen(at) : null;
    if (opened) updates.push(opened);
    return updates;
  }

  /** End of the exam: an open incident ends now (or when it was last seen, if it was already fading); pending ones are dropped. */
  closeAt(now: number): IncidentUpdate<E>[] {
    const at = Math.max(now, this.lastReadingAt);
    this.noteStale(at);
    const updates = this.current ? [this.close(this.absentSince ?? at)] : [];
    this.reset();
    this.lastReadingAt = -Infinity;
    return updates;
  }

  private onHolding(t: number, reading: Reading, evidence: E | undefined): IncidentUpdate<E>[] {
    if (!this.run) {
      this.run = newRun(t);
    } else if (this.current) {
      if (this.absentSince !== null) {
        this.blip = { since: t, holding: 1, resumeFrom: this.absentSince, contraryBefore: this.clearContrary };
        this.absentSince = null;
      } else if (this.blip) {
        this.blip.holding++;
      }
    } else if (this.absentSince !== null) {
      // A bridged gap: keep the window unless the condition was mostly absent (repeated flicker).
      if (this.run.contrary > this.run.holding) this.run = newRun<E>(t);
      this.absentSince = null;
    }
    if (!this.current) this.record(this.run, reading, evidence);
    const opened = this.maybeOpen(t);
    return opened ? [opened] : [];
  }

  private onContrary(t: number): IncidentUpdate<E>[] {
    if (!this.run) return [];
    if (this.absentSince === null) {
      const blip = this.blip;
      // A return shorter than the bridge and outnumbered by the absence so far was a false positive: keep clearing.
      if (blip && t - blip.since < this.timing.bridgeMs && blip.holding < blip.contraryBefore) this.absentSince = blip.resumeFrom;
      else this.startAbsence(t);
      this.blip = null;
    }
    this.run.contrary++;
    this.clearContrary++;
    return this.settleAbsence(t);
  }

  private record(run: Run<E>, reading: Reading, evidence: E | undefined): void {
    run.holding++;
    run.confidenceSum += reading.confidence;
    const candidate = { reading, evidence };
    if (isWorse(candidate, run.worst)) run.worst = candidate;
  }

  private startAbsence(t: number): void {
    this.absentSince = t;
    this.clearContrary = 0;
    this.blip = null;
  }

  /** The signal went quiet while the condition held: it is no longer known to hold since the last reading. */
  private noteStale(now: number): void {
    if (this.run && this.absentSince === null && now - this.lastReadingAt > this.timing.staleMs) this.startAbsence(this.lastReadingAt);
  }

  /** A long enough contrary stretch closes an open incident (clearMs) or drops a pending window (bridgeMs). */
  private settleAbsence(now: number): IncidentUpdate<E>[] {
    if (!this.run || this.absentSince === null) return [];
    if (this.current) {
      if (now - this.absentSince < this.timing.clearMs) return [];
      const closed = this.close(this.absentSince);
      this.reset();
      return [closed];
    }
    if (now - this.absentSince >= this.timing.bridgeMs) this.reset();
    return [];
  }

  private maybeOpen(now: number): IncidentUpdate<E> | null {
    const run = this.run;
    if (!run || this.current || this.absentSince !== null || run.holding === 0) return null;
    if (now - run.since < this.timing.afterMs) return null;
    const worst = run.worst!;
    this.current = {
      id: this.newId(),
      type: this.type,
      start: run.since,
      end: null,
      confidence: round3(run.confidenceSum / run.holding),
      detail: { ...worst.reading.detail },
    };
    const incident = this.incident!;
    return worst.evidence === undefined ? { kind: 'open', incident } : { kind: 'open', incident, evidence: worst.evidence };
  }

  private close(end: number): IncidentUpdate<E> {
    const incident = { ...this.current!, detail: { ...this.current!.detail }, end: Math.max(end, this.current!.start) };
    return { kind: 'close', incident };
  }

  private reset(): void {
    this.run = null;
    this.absentSince = null;
    this.current = null;
    this.clearContrary = 0;
    this.blip = null;
  }
}
