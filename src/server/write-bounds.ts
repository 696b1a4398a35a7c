/**
 * What the centre accepts from a candidate's browser about time, numbering and storage.
 * Pure functions: ProctoringService, ExamService and RecordingService apply them to what arrives.
 *
 * The browser reports incidents on its own clock. The centre cannot check that clock, but it can
 * check that every time lies inside the session as the centre saw it (from the exam's start at the
 * centre to the moment the report arrived), give or take how far an honest clock may drift, and it
 * judges a technical fault (rule 11) only on what it observed itself: when the report of the fault
 * arrived and how long it stayed open at the centre, never on one message's claimed duration.
 */
import type { Incident } from '../shared/incidents';

/**
 * How far a browser's clock may be from the centre's. Computers set their clocks over the network;
 * one off by more than this has its incident reports refused (they are logged nowhere), which costs
 * that candidate nothing under rule 13 and keeps a forged time from moving a warning into the future.
 */
export const MAX_CLOCK_SKEW_MS = 3 * 60_000;

/** The session as the centre saw it, on the centre's clock: from its start (or creation) to now. */
export interface SessionSpan {
  from: number;
  now: number;
}

/**
 * Why an incident report's times cannot be true of this session (null when they can): every time,
 * the report's own `at` included, lies within [span.from − skew, span.now + skew].
 */
export function incidentTimesError(incident: Incident, at: number, span: SessionSpan, skewMs = MAX_CLOCK_SKEW_MS): string | null {
  const low = span.from - skewMs;
  const high = span.now + skewMs;
  const times: Array<[string, number | null]> = [
    ['at', at],
    ['incident.start', incident.start],
    ['incident.end', incident.end],
  ];
  for (const [name, t] of times) {
    if (t === null) continue;
    if (t < low) return `${name} is before the exam began at the centre (more than ${skewMs / 1000} s before its start)`;
    if (t > high) return `${name} is in the future on the centre's clock (more than ${skewMs / 1000} s ahead)`;
  }
  return null;
}

/**
 * A technical incident (rule 11) on the centre's clock, as the centre observed it. It began when
 * its first report arrived (`firstSeenAt`, or this report's arrival), less the persistence window
 * the browser had to wait before it could report it (credited only up to that window), and a
 * closing report ends it when that report arrives. So a fault lasts at the centre as long as it was
 * open at the centre, however long the browser says it lasted.
 */
export function observedTechnical(
  incident: Incident,
  o: { at: number; receivedAt: number; firstSeenAt: number | null; windowMs: number },
): Incident {
  const credit = Math.min(Math.max(0, o.at - incident.start), Math.max(0, o.windowMs));
  const start = o.firstSeenAt ?? o.receivedAt - credit;
  return { ...incident, start, end: incident.end === null ? null : Math.max(start, o.receivedAt) };
}

/** Browser clock minus centre clock at one report, within the bound (used to re-judge ongoing violations on the browser's clock). */
export function boundedSkew(at: number, receivedAt: number, skewMs = MAX_CLOCK_SKEW_MS): number {
  return Math.min(skewMs, Math.max(-skewMs, at - receivedAt));
}

/**
 * How far ahead of the next expected number a browser may number an event or a recording chunk.
 * A gap is legitimate (an item the centre refused for good keeps its number; a reloaded page
 * continues from the centre's count), but never a jump: numbers stay small and files stay sortable.
 */
export const MAX_SEQ_GAP = 1_000;

/** Why `seq` is not acceptable when `next` is the next number the centre expects (null when it is). */
export function seqError(seq: number, next: number, gap = MAX_SEQ_GAP): string | null {
  if (seq > next + gap) return `sequence number ${seq} jumps ahead: the next expected is ${next} (at most ${gap} ahead)`;
  return null;
}

/** Evidence ids the centre writes itself (rule 2.8.6 identity photos: identity-1, identity-2, …): never a browser's. */
export const SERVER_EVIDENCE_ID_PREFIXES: readonly string[] = ['identity-'];

export function isServerEvidenceId(incidentId: string): boolean {
  return SERVER_EVIDENCE_ID_PREFIXES.some((p) => incidentId.toLowerCase().startsWith(p));
}

/** Recording starts at consent: the steps before the exam are recorded too, for at most this long. */
export const PRESTART_RECORDING_MS = 20 * 60_000;
/** Head room over the nominal bitrate (MediaRecorder overshoots, chunks are resent after a reload). */
export const QUOTA_MARGIN = 1.5;
/** Snapshots of incidents and room-scan objects: room for this many at the largest size. */
export const EVIDENCE_ALLOWANCE_BYTES = 200 * 96 * 1024;

/**
 * The most a session may store (recording chunks and evidence together): the exam's length (with
 * any time a proctor added) plus the steps before it, at the programme's recording bitrate, with a
 * margin, plus the evidence allowance.
 */
export function sessionQuotaBytes(examMs: number, recordingKbps: number): number {
  const recording = ((examMs + PRESTART_RECORDING_MS) / 1000) * ((recordingKbps * 1000) / 8) * QUOTA_MARGIN;
  return Math.ceil(recording) + EVIDENCE_ALLOWANCE_BYTES;
}

/** The part of a session's quota recording chunks may fill: the rest stays for evidence. */
export function recordingShareBytes(quotaBytes: number): number {
  return quotaBytes - EVIDENCE_ALLOWANCE_BYTES;
}

/** How long after the exam's end the browser may still upload its recording backlog. */
export const RECORDING_DRAIN_MS = 2 * 3600_000;
