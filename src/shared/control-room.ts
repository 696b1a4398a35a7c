/**
 * The proctor's control room: the one incident-decision model shared with review,
 * the proctor's actions on a candidate, what the candidate is told, live thumbnails, signals
 * and the WebRTC signalling that the centre relays. Schemas validate every payload at the
 * centre; the types are what both browsers see.
 */
import { z } from 'zod';
import { INCIDENT_TYPES, INCIDENTS, type IncidentType } from './incidents';
import { COMMENT_MAX, MAX_ADDED_MINUTES, MAX_THUMB_BYTES, MAX_WATCHED_CARDS, NOTE_REPLY_MAX } from './limits';
// The browser imports these from limits.ts (no zod there); the centre's code keeps importing them from here.
export { COMMENT_MAX, MAX_ADDED_MINUTES, MAX_THUMB_BYTES, MAX_WATCHED_CARDS, NOTE_REPLY_MAX };

/* ------------------------------ incident decisions ------------------------------ */

/** A person's decision on a machine-flagged incident: confirmed counts, dismissed never counts for rule 13. */
export type IncidentDecision = 'confirmed' | 'dismissed';

/** Who did something in the control room, as the log records it. */
export interface StaffActor {
  userId: string;
  name: string;
  role: string;
}

export interface IncidentReview {
  decision: IncidentDecision;
  comment: string | null;
  by: StaffActor;
  at: number;
}

/** One machine-flagged incident as the queue shows it. */
export interface QueueItem {
  sessionId: string;
  candidateName: string;
  programmeCode: string;
  incidentId: string;
  type: IncidentType;
  /** The rule the incident serves (docs/rules.md numbering). */
  rule: string;
  confidence: number;
  /** Centre receive time of the report, ms. */
  at: number;
  /** Browser-clock start and end of the incident (end null while it goes on). */
  start: number;
  end: number | null;
  /** An evidence snapshot was announced (it may still be uploading). */
  evidence: boolean;
  /** It counts for rule 13 under the programme's settings (unless dismissed). */
  violation: boolean;
  /** Seen during the 360° room scan (rule 2.8.3) rather than in the exam. */
  roomScan: boolean;
  review: IncidentReview | null;
}

/** The rule an incident is cited under in the queue: violations are judged under rule 13, the rest under their own rule. */
export function queueRule(type: IncidentType, violation: boolean): string {
  return violation ? '13' : INCIDENTS[type].rule;
}

const comment = z.string().trim().max(COMMENT_MAX);
const reason = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(COMMENT_MAX);
const sessionId = z.string().uuid();
const incidentId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const decideIncidentSchema = z
  .object({ sessionId, incidentId, decision: z.enum(['confirm', 'dismiss']), comment: comment.optional() })
  .strict();
export type DecideIncident = z.infer<typeof decideIncidentSchema>;

/* --------------------------------- proctor actions --------------------------------- */

/** Everything a proctor does to a candidate's exam; each is logged with who, when and why. */
export const proctorActionSchema = z.discriminatedUnion('kind', [
  /** A dialog on the candidate's screen; the candidate acknowledges it and may reply. */
  z.object({ kind: z.literal('message'), text: z.string().trim().min(1).max(COMMENT_MAX) }).strict(),
  /** Rule 13: counts exactly like an automatic warning; names what the proctor saw. */
  z.object({ kind: z.literal('warn'), incidentType: z.enum(INCIDENT_TYPES), reason }).strict(),
  /** The timer stops; the candidate sees why. */
  z.object({ kind: z.literal('pause'), reason }).strict(),
  z.object({ kind: z.literal('resume') }).strict(),
  z.object({ kind: z.literal('add-time'), minutes: z.number().int().min(1).max(MAX_ADDED_MINUTES), reason }).strict(),
  /** violation: rule 13, feeds the violation act (rule 14); technical: rule 11, to be rescheduled. */
  z.object({ kind: z.literal('end'), cause: z.enum(['violation', 'technical']), reason }).strict(),
  /** An exam ended on a dismissed incident (or by a proctor) resumes with the time it had left. */
  z.object({ kind: z.literal('reinstate'), reason }).strict(),
  /** Rule 2.8.6 after failed tries: a person compares the reference and the live photo. */
  z.object({ kind: z.literal('identity'), decision: z.enum(['approve', 'reject']), reason }).strict(),
]);
export type ProctorAction = z.infer<typeof proctorActionSchema>;
export type ProctorActionKind = ProctorAction['kind'];
export const proctorActSchema = z.object({ sessionId, action: proctorActionSchema }).strict();

/** What the candidate is told by the proctor, until acknowledged (it survives reloads: it is in the snapshot). */
export interface ProctorNote {
  id: string;
  kind: 'message' | 'warning' | 'pause' | 'resume' | 'time' | 'end' | 'reinstated' | 'identity';
  /** The proctor's own words (message text or reason). */
  text: string | null;
  /** Warning: what the proctor saw. */
  incidentType: IncidentType | null;
  rule: string | null;
  /** add-time: minutes added. */
  minutes: number | null;
  /** end: violation or technical; identity: approve or reject. */
  outcome: string | null;
  at: number;
}

export const noteAckSchema = z
  .object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), reply: z.string().trim().max(NOTE_REPLY_MAX).optional() })
  .strict();

/* ---------------------------- the candidate's card and detail ---------------------------- */

export const SESSION_STAGES = [
  'waiting',
  'system-check',
  'consent',
  'identity',
  'room-scan',
  'briefing',
  'exam',
  'paused',
  'submitted',
  'ended',
  'fault',
] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];
export type StatusColour = 'ok' | 'attention' | 'warned' | 'ended' | 'fault';

/* -------------------------------- thumbnails and signals -------------------------------- */

/** A live thumbnail: a small camera still, ≤ MAX_THUMB_BYTES (limits.ts), sent only while a proctor has the card on screen. */
export const THUMB_INTERVAL_MS = 4_000;
/** With the drill-down open: a thumbnail and the signals every second. */
export const DETAIL_INTERVAL_MS = 1_000;

/** One proctoring reading for the drill-down's charts (browser clock). */
export interface SignalSample {
  t: number;
  faces: number | null;
  yaw: number | null;
  pitch: number | null;
  levelDb: number | null;
  speech: number | null;
}
const num = (min: number, max: number) => z.number().finite().min(min).max(max).nullable();
export const signalSampleSchema = z
  .object({
    t: z.number().int().min(0),
    faces: num(0, 20),
    yaw: num(-180, 180),
    pitch: num(-180, 180),
    levelDb: num(-200, 20),
    speech: num(0, 1),
  })
  .strict();
export const thumbFrameSchema = z
  .object({
    jpeg: z
      .custom<Uint8Array>((v) => v instanceof Uint8Array, 'jpeg must be binary')
      .refine((b) => b.byteLength > 3 && b.byteLength <= MAX_THUMB_BYTES, `jpeg must be 4..${MAX_THUMB_BYTES} bytes`)
      .refine((b) => b[0] === 0xff && b[1] === 0xd8, 'not a JPEG'),
    samples: z.array(signalSampleSchema).max(30).optional(),
  })
  .strict();
export type ThumbFrame = z.infer<typeof thumbFrameSchema>;

/** Which cards a proctor has on screen (thumbnails) and which candidate is drilled into (1 s thumbnails and signals). */
export const watchCardsSchema = z.object({ sessionIds: z.array(sessionId).max(MAX_WATCHED_CARDS), detail: sessionId.nullable() }).strict();

/** The centre tells the candidate's browser how often to send a thumbnail (0: none) and whether to add signals. */
export interface ThumbRequest {
  intervalMs: number;
  signals: boolean;
}

/* --------------------------------- live camera (WebRTC) --------------------------------- */

/** A WebRTC signalling message, relayed by the centre between one proctor and one candidate (no media server). */
export const rtcSignalSchema = z.union([
  z.object({ description: z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().max(20_000) }).strict() }).strict(),
  z
    .object({
      candidate: z
        .object({
          candidate: z.string().max(1_000),
          sdpMid: z.string().max(64).nullable().optional(),
          sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
          usernameFragment: z.string().max(256).nullable().optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type RtcSignal = z.infer<typeof rtcSignalSchema>;

/** Why the centre closed a proctor's live camera ('live:closed'); the proctor's page says it in words, the log keeps it. */
export const LIVE_CLOSED_REASONS = [
  'the exam ended',
  'another proctor opened this camera',
  'the candidate lost the connection',
  'the candidate reconnected',
] as const;
export type LiveClosedReason = (typeof LIVE_CLOSED_REASONS)[number];
export const liveOpenSchema = z.object({ sessionId }).strict();
export const staffRtcSignalSchema = z.object({ sessionId, signal: rtcSignalSchema }).strict();
export const candidateRtcSignalSchema = z.object({ signal: rtcSignalSchema }).strict();

/** `TANU_ICE_SERVERS`: a JSON array of RTCIceServer ({ urls, username?, credential? }); none by default (LAN and localhost). */
export const iceServersSchema = z
  .array(
    z
      .object({
        urls: z.union([z.string().regex(/^(stun|turns?):/), z.array(z.string().regex(/^(stun|turns?):/)).min(1)]),
        username: z.string().optional(),
        credential: z.string().optional(),
      })
      .strict(),
  )
  .max(10);
export type IceServer = z.infer<typeof iceServersSchema>[number];

/* ------------------------------------- assignment ------------------------------------- */

export const DEFAULT_PROCTOR_LIMIT = 30;
/** Admins assign candidates' sessions, or a programme's sessions of one day, to a proctor (null: unassign). */
export const assignSchema = z
  .object({
    proctorId: z.string().uuid().nullable(),
    sessionIds: z.array(sessionId).min(1).max(500).optional(),
    programmeId: z.string().min(1).max(64).optional(),
    /** YYYY-MM-DD (the centre's local day of the session's creation or start); with programmeId. */
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict()
  .refine((a) => (a.sessionIds ? !a.programmeId && !a.day : Boolean(a.programmeId && a.day)), 'give sessionIds, or programmeId with day');
export type Assign = z.infer<typeof assignSchema>;
export const dashboardSubscribeSchema = z
  .object({ scope: z.enum(['mine', 'all']).optional() })
  .strict()
  .optional();
export const sessionDetailSchema = z.object({ sessionId }).strict();
