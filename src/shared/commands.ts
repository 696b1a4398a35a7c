/**
 * The one wire contract of the socket commands: per namespace, a table of command name → payload
 * schema → result type. From it are derived the socket.io event maps (CandidateClientToServer,
 * StaffClientToServer), the centre's binding (bindCommands in src/server/socket-command.ts: a
 * handler that returns the wrong shape fails tsc) and the browsers' typed request() (payload =
 * z.input of the schema, result = the declared type).
 *
 * The schemas stay where they are (protocol.ts, control-room.ts); this module only names them.
 * Browsers import it with `import type` only, so zod stays out of their bundles.
 */
import type { z } from 'zod';
import {
  candidateRtcSignalSchema,
  dashboardSubscribeSchema,
  decideIncidentSchema,
  liveOpenSchema,
  noteAckSchema,
  proctorActSchema,
  sessionDetailSchema,
  staffRtcSignalSchema,
  thumbFrameSchema,
  watchCardsSchema,
  type IceServer,
  type QueueItem,
} from './control-room';
import {
  bandwidthProbeSchema,
  breakSchema,
  chooseLanguageSchema,
  clientEventSchema,
  consentSchema,
  emptySchema,
  evidenceUploadSchema,
  identityAssistantSchema,
  identityCheckSchema,
  identityVerifySchema,
  navigateSchema,
  recordingChunkSchema,
  roomScanReportSchema,
  saveAnswerSchema,
  systemCheckSchema,
  type Ack,
  type DashboardSnapshot,
  type ExamSnapshot,
  type IdentityCheckResult,
  type IdentityResult,
  type LiveSession,
  type RecordingStatus,
  type SessionDetail,
} from './protocol';
import type { AssistantIdentityResult } from './assistant-identity';

/** One command: its payload schema, whether the ack may be left out, and (a type only) its result. */
export interface CommandSpec<S extends z.ZodType = z.ZodType, R = unknown, V extends boolean = boolean> {
  readonly payload: S;
  /** Sent volatile (fire and forget): the ack is optional, the handler runs without one. */
  readonly volatile: V;
  /** Never set: it carries the result type R. */
  readonly result?: R;
}
export type CommandTable = Record<string, CommandSpec>;

/** `defineCommand<Result>()(schema)`: the result type is given, the payload type comes from the schema. */
export const defineCommand =
  <R>() =>
  <S extends z.ZodType>(payload: S): CommandSpec<S, R, false> => ({ payload, volatile: false });
/** The same for a command sent volatile, whose ack is optional. */
export const defineVolatileCommand =
  <R>() =>
  <S extends z.ZodType>(payload: S): CommandSpec<S, R, true> => ({ payload, volatile: true });

/** What the browser sends (before parsing), what the handler receives (after), and what it answers. */
export type PayloadIn<C> = C extends CommandSpec<infer S, unknown, boolean> ? z.input<S> : never;
export type PayloadOut<C> = C extends CommandSpec<infer S, unknown, boolean> ? z.output<S> : never;
export type ResultOf<C> = C extends CommandSpec<z.ZodType, infer R, boolean> ? R : never;

/** The socket.io ClientToServer event map of a table. */
export type CommandEvents<T extends CommandTable> = {
  [K in keyof T]: T[K] extends CommandSpec<z.ZodType, unknown, true>
    ? (payload: PayloadIn<T[K]>, ack?: Ack<ResultOf<T[K]>>) => void
    : (payload: PayloadIn<T[K]>, ack: Ack<ResultOf<T[K]>>) => void;
};
/** The centre's handlers of a table: one per command, given the parsed payload, returning the declared result. */
export type CommandHandlers<T extends CommandTable> = {
  [K in keyof T]: (payload: PayloadOut<T[K]>) => ResultOf<T[K]> | Promise<ResultOf<T[K]>>;
};
/** request(name, payload?) arguments: the payload may be left out where the schema takes none. */
export type PayloadArgs<C> = undefined extends PayloadIn<C> ? [payload?: PayloadIn<C>] : [payload: PayloadIn<C>];

/* --------------------------------- /candidate --------------------------------- */

export const candidateCommands = {
  'exam:resume': defineCommand<ExamSnapshot>()(emptySchema),
  'exam:choose-language': defineCommand<ExamSnapshot>()(chooseLanguageSchema),
  'exam:start': defineCommand<ExamSnapshot>()(emptySchema),
  'exam:navigate': defineCommand<{ index: number }>()(navigateSchema),
  'answer:save': defineCommand<{ questionId: string; rev: number; applied: boolean }>()(saveAnswerSchema),
  'exam:submit': defineCommand<ExamSnapshot>()(emptySchema),
  /** The candidate's own break, as their accommodations allow (the centre decides). */
  'exam:break': defineCommand<ExamSnapshot>()(breakSchema),
  'event:log': defineCommand<{ seq: number; duplicate: boolean }>()(clientEventSchema),
  'evidence:upload': defineCommand<{ incidentId: string; duplicate: boolean }>()(evidenceUploadSchema),
  /** Acked only once the chunk is durable (file fsynced and indexed); a resend of the same bytes is a duplicate. */
  'recording:chunk': defineCommand<{ seq: number; duplicate: boolean }>()(recordingChunkSchema),
  /** After a reload: which chunks the centre has, so numbering continues and gaps can be resent. */
  'recording:status': defineCommand<RecordingStatus>()(emptySchema),
  /** System check: upstream bandwidth probe (acked on arrival) and the report of the whole check. */
  'check:upload': defineCommand<{ bytes: number }>()(bandwidthProbeSchema),
  'exam:system-check': defineCommand<ExamSnapshot>()(systemCheckSchema),
  'exam:consent': defineCommand<ExamSnapshot>()(consentSchema),
  'identity:verify': defineCommand<{ result: IdentityResult; snapshot: ExamSnapshot }>()(identityVerifySchema),
  'identity:check': defineCommand<IdentityCheckResult>()(identityCheckSchema),
  /** Rule 11: the assistant's photo, after the candidate's own identity (src/server/assistant-identity.ts). */
  'identity:assistant': defineCommand<{ result: AssistantIdentityResult; snapshot: ExamSnapshot }>()(identityAssistantSchema),
  'room-scan:report': defineCommand<ExamSnapshot>()(roomScanReportSchema),
  /** The candidate read a proctor's note (and may reply). */
  'note:ack': defineCommand<ExamSnapshot>()(noteAckSchema),
  /** A live thumbnail (and signals) while a proctor watches; sent volatile, the ack is optional. */
  'thumb:frame': defineVolatileCommand<{ relayed: number }>()(thumbFrameSchema),
  /** WebRTC signalling to the proctor who opened the live camera. */
  'live:signal': defineCommand<{ ok: true }>()(candidateRtcSignalSchema),
} as const;
export type CandidateCommands = typeof candidateCommands;
export type CandidateClientToServer = CommandEvents<CandidateCommands>;

/* ----------------------------------- /staff ----------------------------------- */

export const staffCommands = {
  'dashboard:subscribe': defineCommand<DashboardSnapshot>()(dashboardSubscribeSchema),
  /** The cards on screen (thumbnails) and the candidate drilled into. */
  'cards:watch': defineCommand<{ watching: number }>()(watchCardsSchema),
  'session:detail': defineCommand<SessionDetail>()(sessionDetailSchema),
  'incident:decide': defineCommand<QueueItem>()(decideIncidentSchema),
  'proctor:act': defineCommand<LiveSession>()(proctorActSchema),
  'live:open': defineCommand<{ iceServers: IceServer[] }>()(liveOpenSchema),
  'live:signal': defineCommand<{ ok: true }>()(staffRtcSignalSchema),
  'live:close': defineCommand<{ ok: true }>()(liveOpenSchema),
} as const;
export type StaffCommands = typeof staffCommands;
export type StaffClientToServer = CommandEvents<StaffCommands>;
