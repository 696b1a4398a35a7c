/** How the store's rows become its types, and back: the same for both engines (sql-store.ts). */
import type { ExamLanguage, TechMapItem } from '../../shared/programme';
import type { EventType, ExamResult, SessionStatus, StaffRole } from '../../shared/protocol';
import type { ProctorNote } from '../../shared/control-room';
import type { ProctoringOverrides } from '../../shared/proctoring-config';
import type { Accommodations } from '../../shared/accommodations';
import type { SqlRow as Row } from './sql-database';
import type {
  CandidateRow,
  EventRow,
  ExamSessionRow,
  IncidentReviewRow,
  LoggedWrite,
  ProctorNoteRow,
  ProgrammeRow,
  RecordingChunkRow,
  SessionPolicy,
  StaffUserRow,
} from './store';

export const json = (value: unknown): string => JSON.stringify(value ?? null);
export const isWriteList = (w: LoggedWrite | readonly LoggedWrite[]): w is readonly LoggedWrite[] => Array.isArray(w);
export const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

export function toSession(r: Row): ExamSessionRow {
  return {
    id: String(r.id),
    candidateId: String(r.candidate_id),
    programmeId: String(r.programme_id),
    tokenExpiresAt: Number(r.token_expires_at),
    status: r.status as SessionStatus,
    language: (r.language as ExamLanguage | null) ?? null,
    createdAt: Number(r.created_at),
    startedAt: r.started_at == null ? null : Number(r.started_at),
    deadlineAt: r.deadline_at == null ? null : Number(r.deadline_at),
    finishedAt: r.finished_at == null ? null : Number(r.finished_at),
    currentIndex: Number(r.current_index),
    questionIds: parse<string[]>(r.question_ids_json),
    result: r.result_json == null ? null : parse<ExamResult>(r.result_json),
    policy: r.policy_json == null ? null : parse<SessionPolicy>(r.policy_json),
    paused: r.paused_json == null ? null : parse<{ at: number; reason: string; until?: number }>(r.paused_json),
    accommodations: r.accommodations_json == null ? null : parse<Accommodations>(r.accommodations_json),
    assignedTo: (r.assigned_to as string | null) ?? null,
  };
}

export function toNote(r: Row): ProctorNoteRow {
  return {
    ...parse<ProctorNote>(r.body_json),
    acknowledgedAt: r.acknowledged_at == null ? null : Number(r.acknowledged_at),
    reply: (r.reply as string | null) ?? null,
  };
}

export function toReview(r: Row): IncidentReviewRow & { sessionId: string } {
  return {
    sessionId: String(r.session_id),
    incidentId: String(r.incident_id),
    decision: r.decision as IncidentReviewRow['decision'],
    comment: (r.comment as string | null) ?? null,
    by: parse(r.by_json),
    at: Number(r.at),
  };
}

export function toEvent(r: Row): EventRow {
  return {
    sessionId: String(r.session_id),
    index: Number(r.idx),
    origin: r.origin as 'client' | 'server',
    seq: r.seq == null ? null : Number(r.seq),
    eventId: (r.event_id as string | null) ?? null,
    type: r.type as EventType,
    clientAt: r.client_at == null ? null : Number(r.client_at),
    serverAt: Number(r.server_at),
    data: parse<unknown>(r.data_json),
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
    hashVersion: r.hash_version === 2 ? 2 : 1,
  };
}

export function toProgramme(r: Row): ProgrammeRow {
  return {
    id: String(r.id),
    centreId: String(r.centre_id),
    code: String(r.code),
    profession: parse(r.profession_json),
    oked: String(r.oked),
    occupationCode: String(r.occupation_code),
    nqfLevel: Number(r.nqf_level),
    durationMinutes: Number(r.duration_minutes),
    questionsPerExam: Number(r.questions_per_exam),
    proctoring: parse<ProctoringOverrides>(r.proctoring_json),
    technologicalMap: parse<TechMapItem[]>(r.tech_map_json ?? '[]'),
  };
}

export function toStaff(r: Row): StaffUserRow {
  return {
    id: String(r.id),
    username: String(r.username),
    displayName: String(r.display_name),
    role: r.role as StaffRole,
    passwordHash: String(r.password_hash),
  };
}

export function toRecordingChunk(r: Row): RecordingChunkRow {
  return {
    seq: Number(r.seq),
    bytes: Number(r.bytes),
    sha256: String(r.sha256),
    durationMs: Number(r.duration_ms),
    startedAt: Number(r.started_at),
    storedAt: Number(r.stored_at),
    header: r.header === 1,
  };
}

export function toCandidate(r: Row): CandidateRow {
  return {
    id: String(r.id),
    centreId: String(r.centre_id),
    surname: String(r.surname),
    givenName: String(r.given_name),
    patronymic: (r.patronymic as string | null) ?? null,
    iin: String(r.iin),
    email: (r.email as string | null) ?? null,
  };
}
