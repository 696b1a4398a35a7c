/**
 * The session's log as marks on the recording's track: incidents coloured by level, warnings and the
 * end, the proctor's actions, answers, identity checks and the room scan; and the identity step and the room scan
 * as chapters (ranges). Plain data from the log (FeedEvent[]); times on the browser's clock (see video-time.ts).
 */
import { INCIDENTS, isIncidentType, type IncidentType } from '../shared/incidents';
import type { FeedEvent } from '../shared/protocol';

export type MarkKind = 'incident' | 'warning' | 'end' | 'action' | 'answer' | 'identity' | 'room_scan';
/** violation / technical: an incident by what it is; dismissed: a person said it does not count; warning, ended; info. */
export type MarkLevel = 'violation' | 'technical' | 'dismissed' | 'warning' | 'ended' | 'info';

export interface TrackMark {
  key: string;
  kind: MarkKind;
  level: MarkLevel;
  /** Browser clock, ms. */
  at: number;
  /** The log entry (its index) the mark stands for. */
  eventIndex: number;
  incidentId: string | null;
  incidentType: IncidentType | null;
}

export interface Chapter {
  kind: 'identity' | 'room_scan';
  from: number;
  to: number;
}

const ACTIONS = new Set([
  'incident.confirmed',
  'incident.dismissed',
  'proctor.message',
  'exam.paused',
  'exam.resumed',
  'exam.time_added',
  'exam.reinstated',
  'identity.approved',
  'identity.rejected',
  'review.verdict',
]);
const IDENTITY = new Set(['identity.verified', 'identity.failed', 'identity.checked']);

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** The browser-clock time of a log entry: an incident's own start, a client event's time, or a server time moved by the skew. */
export function browserTimeOf(e: Pick<FeedEvent, 'type' | 'origin' | 'at' | 'clientAt' | 'data'>, skewMs: number): number {
  const inc = obj(obj(e.data).incident);
  if (e.type === 'incident.open' && typeof inc.start === 'number') return inc.start;
  if (e.origin === 'client' && e.clientAt !== null) return e.clientAt;
  return e.at + skewMs;
}

export function trackMarks(events: readonly FeedEvent[], skewMs: number): TrackMark[] {
  const dismissed = new Set(events.filter((e) => e.type === 'incident.dismissed').map((e) => String(obj(e.data).incidentId)));
  const marks: TrackMark[] = [];
  for (const e of events) {
    const d = obj(e.data);
    const base = { key: `e${e.index}`, at: browserTimeOf(e, skewMs), eventIndex: e.index, incidentId: null, incidentType: null };
    if (e.type === 'incident.open' || e.type === 'room_scan.object') {
      const inc = obj(d.incident);
      const type = e.type === 'incident.open' ? inc.type : d.incident;
      const id = e.type === 'incident.open' ? inc.id : d.id;
      if (!isIncidentType(type) || typeof id !== 'string') continue;
      const level: MarkLevel = dismissed.has(id) ? 'dismissed' : INCIDENTS[type].technical ? 'technical' : 'violation';
      marks.push({ ...base, kind: 'incident', level, incidentId: id, incidentType: type });
    } else if (e.type === 'policy.warning') marks.push({ ...base, kind: 'warning', level: 'warning' });
    else if (e.type === 'policy.terminated' || e.type === 'policy.suspended') marks.push({ ...base, kind: 'end', level: 'ended' });
    else if (ACTIONS.has(e.type)) marks.push({ ...base, kind: 'action', level: 'info' });
    else if (e.type === 'answer.saved') marks.push({ ...base, kind: 'answer', level: 'info' });
    else if (IDENTITY.has(e.type)) marks.push({ ...base, kind: 'identity', level: e.level === 'incident' ? 'warning' : 'info' });
    else if (e.type === 'room_scan.completed' || e.type === 'room_scan.failed')
      marks.push({ ...base, kind: 'room_scan', level: e.type === 'room_scan.failed' ? 'warning' : 'info' });
  }
  return marks.sort((a, b) => a.at - b.at || a.eventIndex - b.eventIndex);
}

/**
 * The identity step runs from consent (recording starts there) to its last identity entry before the exam; the room
 * scan from there to its completion. A step switched off for the programme has no entries and no chapter.
 */
export function chapters(events: readonly FeedEvent[], skewMs: number): Chapter[] {
  const time = (e: FeedEvent) => browserTimeOf(e, skewMs);
  const started = events.find((e) => e.type === 'session.started');
  const before = started ? events.filter((e) => e.index < started.index) : events;
  const consent = before.find((e) => e.type === 'consent.given');
  const identity = before.filter((e) => e.type === 'identity.verified' || e.type === 'identity.failed' || e.type === 'identity.approved');
  const scan = before.filter((e) => e.type === 'room_scan.completed' || e.type === 'room_scan.failed');
  const out: Chapter[] = [];
  let from = consent ? time(consent) : null;
  if (identity.length) {
    const to = time(identity[identity.length - 1]!);
    out.push({ kind: 'identity', from: from ?? to, to });
    from = to;
  }
  if (scan.length) {
    const to = time(scan[scan.length - 1]!);
    out.push({ kind: 'room_scan', from: from ?? to, to });
  }
  return out;
}

/** The next (dir 1) or previous (dir −1) incident mark from video time `now` (s); `videoAt` maps a mark to its time. */
export function stepIncident<T extends { kind: MarkKind }>(
  marks: readonly T[],
  videoAt: (m: T) => number,
  now: number,
  dir: 1 | -1,
): T | null {
  const incidents = marks.filter((m) => m.kind === 'incident');
  const EPS = 0.5;
  if (dir === 1) return incidents.find((m) => videoAt(m) > now + EPS) ?? null;
  return [...incidents].reverse().find((m) => videoAt(m) < now - EPS) ?? null;
}

/**
 * Lanes for marks so that none hides another: marks in one lane are at least `minGap` apart (same unit as the
 * positions); a mark goes to the first lane where it fits. Returns each mark's lane, in the input's order.
 */
export function assignLanes(positions: readonly number[], minGap: number): number[] {
  const order = positions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(positions.length).fill(0);
  for (const [p, i] of order) {
    let lane = laneEnds.findIndex((end) => p - end >= minGap);
    if (lane < 0) lane = laneEnds.push(p) - 1;
    laneEnds[lane] = p;
    lanes[i] = lane;
  }
  return lanes;
}
