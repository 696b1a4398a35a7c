/**
 * The incident queue as pure functions of the log: which entries are machine-flagged
 * incidents, what the queue shows of each, and the session figures the control room sorts by.
 * Routine events (answers saved and the like) never become queue items.
 */
import type { Accommodations } from '../shared/accommodations';
import { queueRule, type IncidentReview, type QueueItem, type SessionStage, type StatusColour } from '../shared/control-room';
import { isIncidentType, type IncidentType } from '../shared/incidents';
import { isViolation } from '../shared/policy';
import type { ProctoringConfig } from '../shared/proctoring-config';
import type { SessionStatus } from '../shared/protocol';
import type { PrestartStep } from './prestart-steps';
import type { EventRow, IncidentReviewRow } from './store/store';

/** Log entries that open a queue item, and the one that completes it (its end). */
export const QUEUE_OPENING_TYPES = ['incident.open', 'room_scan.object'] as const;
export const QUEUE_EVENT_TYPES = [...QUEUE_OPENING_TYPES, 'incident.close'] as const;

export interface FlaggedIncident {
  incidentId: string;
  type: IncidentType;
  confidence: number;
  start: number;
  end: number | null;
  at: number;
  evidence: boolean;
  roomScan: boolean;
}

/** The incident a log entry reports, or null for any other entry (or a malformed one: the log keeps what the schema let in). */
export function flaggedIncident(e: Pick<EventRow, 'type' | 'data' | 'serverAt' | 'clientAt'>): FlaggedIncident | null {
  const d = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  if (e.type === 'incident.open' || e.type === 'incident.close') {
    const i = d.incident as { id?: unknown; type?: unknown; start?: unknown; end?: unknown; confidence?: unknown } | undefined;
    if (!i || typeof i.id !== 'string' || !isIncidentType(i.type)) return null;
    return {
      incidentId: i.id,
      type: i.type,
      confidence: typeof i.confidence === 'number' ? i.confidence : 0,
      start: typeof i.start === 'number' ? i.start : (e.clientAt ?? e.serverAt),
      end: typeof i.end === 'number' ? i.end : null,
      at: e.serverAt,
      evidence: typeof d.evidenceSha256 === 'string',
      roomScan: false,
    };
  }
  if (e.type === 'room_scan.object' && typeof d.id === 'string' && isIncidentType(d.incident)) {
    const start = e.clientAt ?? e.serverAt;
    return {
      incidentId: d.id,
      type: d.incident,
      confidence: typeof d.score === 'number' ? d.score : 0,
      start,
      end: start,
      at: e.serverAt,
      evidence: typeof d.evidenceSha256 === 'string',
      roomScan: true,
    };
  }
  return null;
}

export interface SessionContext {
  candidateName: string;
  programmeCode: string;
  /** The settings rule 13 judges the exam by: its programme's, with what its accommodations excuse. */
  config: ProctoringConfig;
  accommodations: Accommodations | null;
}

/**
 * Queue items from a run of log entries (any sessions, oldest first): an opening report makes the
 * item, a closing report gives it its end. Newest first. Reviews by session and incident.
 */
export function queueItems(
  events: readonly EventRow[],
  context: (sessionId: string) => SessionContext | undefined,
  reviews: (sessionId: string, incidentId: string) => IncidentReview | null,
): QueueItem[] {
  const items = new Map<string, QueueItem>();
  for (const e of events) {
    const flagged = flaggedIncident(e);
    const ctx = flagged ? context(e.sessionId) : undefined;
    if (!flagged || !ctx) continue;
    const key = `${e.sessionId}/${flagged.incidentId}`;
    const known = items.get(key);
    if (e.type === 'incident.close') {
      if (known) known.end = flagged.end;
      continue;
    }
    if (known) continue; // a resent report
    const violation = isViolation(ctx.config, flagged.type);
    items.set(key, {
      sessionId: e.sessionId,
      candidateName: ctx.candidateName,
      programmeCode: ctx.programmeCode,
      incidentId: flagged.incidentId,
      type: flagged.type,
      rule: queueRule(flagged.type, violation),
      confidence: Math.round(flagged.confidence * 1000) / 1000,
      at: flagged.at,
      start: flagged.start,
      end: flagged.end,
      evidence: flagged.evidence,
      violation,
      roomScan: flagged.roomScan,
      review: reviews(e.sessionId, flagged.incidentId),
    });
  }
  return [...items.values()].sort((a, b) => b.at - a.at);
}

/** Reviews of one session by incident id. */
export function reviewLookup(rows: readonly IncidentReviewRow[]): Map<string, IncidentReview> {
  return new Map(rows.map((r) => [r.incidentId, { decision: r.decision, comment: r.comment, by: r.by, at: r.at }]));
}

const STEP_STAGE: Record<PrestartStep, SessionStage> = {
  systemCheck: 'system-check',
  consent: 'consent',
  identity: 'identity',
  roomScan: 'room-scan',
};

/** Where the candidate is, in the control room's words. */
export function sessionStage(
  s: { status: SessionStatus; language: string | null; paused: unknown },
  missingStep: PrestartStep | null,
): SessionStage {
  switch (s.status) {
    case 'issued':
      if (!s.language) return 'waiting';
      return missingStep ? STEP_STAGE[missingStep] : 'briefing';
    case 'in_progress':
      return s.paused ? 'paused' : 'exam';
    case 'submitted':
      return 'submitted';
    case 'suspended':
      return 'fault';
    default:
      return 'ended';
  }
}

/** The card's colour: ended, a fault, warned, something for a person to look at, or all well. */
export function statusColour(s: {
  status: SessionStatus;
  connected: boolean;
  warned: boolean;
  openViolations: number;
  identityLocked: boolean;
  paused: boolean;
  storageFull: boolean;
}): StatusColour {
  if (s.status === 'terminated' || s.status === 'expired') return 'ended';
  if (s.status === 'suspended') return 'fault';
  if (s.status === 'in_progress' && (!s.connected || s.storageFull)) return 'fault';
  if (s.warned && s.status === 'in_progress') return 'warned';
  if (s.openViolations > 0 || s.identityLocked || s.paused) return 'attention';
  return 'ok';
}
