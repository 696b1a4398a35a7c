/**
 * The centre's storage, behind one interface so SQLite (the embedded default) and a
 * future PostgreSQL adapter pass the same tests. Methods are domain operations, each
 * atomic on its own; all are async so a networked database fits the same shape.
 */
import type { Accommodations } from '../../shared/accommodations';
import type { AssistantIdentityRecord } from '../../shared/assistant-identity';
import type { AccommodationStore } from './accommodation-store';
import type { SessionListQuery } from '../../shared/session-list';
import type { SessionListDbRow } from './session-list-query';
import type { ExamLanguage, LocalisedText, SeedQuestion, TechMapItem } from '../../shared/programme';
import type { Incident } from '../../shared/incidents';
import type { PolicyState } from '../../shared/policy';
import type { ProctoringOverrides } from '../../shared/proctoring-config';
import type { EventType, ExamResult, SessionStatus, StaffRole } from '../../shared/protocol';
import type { AdminStore } from './admin-store';
import type { AppealStore, AppealWrite } from './appeal-store';
import type { ProcedureStore, ProcedureWrite } from './procedure-store';
import type { IncidentDecision, ProctorNote, StaffActor } from '../../shared/control-room';

import type { SessionVerdict } from '../../shared/review-verdict';

export interface CentreRow {
  id: string;
  name: LocalisedText;
  accreditationNo: string;
  /** Where candidates turn (every ended or locked screen shows it). */
  contact?: { phone: string | null; email: string | null };
  /** The head of the centre, who signs the document on recognition (Appendix 2); '' when not set. */
  headName?: string;
}

export interface ProgrammeRow {
  id: string;
  centreId: string;
  code: string;
  profession: LocalisedText;
  oked: string;
  occupationCode: string;
  nqfLevel: number;
  durationMinutes: number;
  questionsPerExam: number;
  /** The programme's proctoring overrides over DEFAULT_PROCTORING (validated when resolved). */
  proctoring: ProctoringOverrides;
  /** Rule 16: the practical task's technological map (empty: none set). */
  technologicalMap: TechMapItem[];
}

export interface CandidateRow {
  id: string;
  centreId: string;
  surname: string;
  givenName: string;
  patronymic: string | null;
  iin: string;
  email: string | null;
}

/** Surname, given name and patronymic (if any), as documents and screens write a person's name. */
export function fullName(c: Pick<CandidateRow, 'surname' | 'givenName' | 'patronymic'>): string {
  return [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ');
}

export interface StaffUserRow {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
}

export interface ExamSessionRow {
  id: string;
  candidateId: string;
  programmeId: string;
  tokenExpiresAt: number;
  status: SessionStatus;
  language: ExamLanguage | null;
  createdAt: number;
  startedAt: number | null;
  deadlineAt: number | null;
  finishedAt: number | null;
  currentIndex: number;
  questionIds: string[];
  result: ExamResult | null;
  /** Rule 13 / rule 11 state as the centre judged it; null until the first incident. */
  policy: SessionPolicy | null;
  /** Paused by a proctor (the timer stops; the deadline moves on when it resumes). */
  paused: { at: number; reason: string; until?: number } | null;
  /** The accommodations this exam runs with, frozen at its start (null: none, or not started). */
  accommodations: Accommodations | null;
  /** The proctor (staff user id) this session is assigned to. */
  assignedTo: string | null;
}

/** A person's decision on a machine-flagged incident. */
export interface IncidentReviewRow {
  incidentId: string;
  decision: IncidentDecision;
  comment: string | null;
  by: StaffActor;
  at: number;
}

/** What a proctor told the candidate, and whether the candidate acknowledged it. */
export interface ProctorNoteRow extends ProctorNote {
  acknowledgedAt: number | null;
  reply: string | null;
}

/** The centre's policy state of one session, with what it needs to re-check ongoing technical incidents. */
export interface SessionPolicy extends PolicyState {
  /**
   * Incidents reported open and not yet closed that the policy still watches (isWatched): technical
   * ones (rule 11 suspension after a while) and violations pending after a warning (rule 13), by id.
   */
  watched: Record<string, Incident>;
  /** Browser clock minus server clock at the last report, to judge ongoing incidents on the browser's clock. */
  clockSkewMs: number;
}

export interface EvidenceRow {
  incidentId: string;
  sha256: string;
  mime: 'image/jpeg';
  bytes: Uint8Array;
  storedAt: number;
}

/** One stored chunk of a session's recording (the bytes are in the RecordingStore). */
export interface RecordingChunkRow {
  seq: number;
  bytes: number;
  sha256: string;
  durationMs: number;
  /** Browser clock when the chunk's recording started. */
  startedAt: number;
  storedAt: number;
  /** The chunk begins with an EBML header (the first chunk of a MediaRecorder run). */
  header: boolean;
}

export interface RecordingStats {
  chunks: number;
  bytes: number;
  lastSeq: number;
  /** When the newest chunk was stored (server clock). */
  lastAt: number | null;
}

/**
 * The steps before the first question as the centre recorded them. Each key is written
 * by its own step; a missing key means the step has not been done.
 */
export interface PrestartRecord {
  systemCheck?: { ok: boolean; at: number };
  consent?: { version: string; textSha256: string; language: ExamLanguage; at: number };
  identity?: {
    verifiedAt: number | null;
    similarity: number | null;
    attempts: number;
    reference: 'file' | 'enrolled' | null;
    /** A proctor's decision after failed tries, with who and when. */
    decision?: { outcome: 'approved' | 'rejected'; by: StaffActor; at: number; reason: string };
  };
  roomScan?: { coverageDeg: number; complete: boolean; at: number; attempts: number };
  /** Rule 11: the assistant's identification (src/server/assistant-identity.ts). */
  assistant?: AssistantIdentityRecord;
}

/** A candidate's reference face: the photo on file (or the face enrolled at the first verification) and its descriptor. */
export interface CandidateReferenceRow {
  candidateId: string;
  jpeg: Uint8Array;
  sha256: string;
  descriptor: Float32Array;
  source: 'file' | 'enrolled';
  storedAt: number;
}

export interface AnswerRow {
  questionId: string;
  optionIds: string[];
  rev: number;
  savedAt: number;
}

export interface NewEvent {
  origin: 'client' | 'server';
  /** Browser sequence number and id (client events only): the idempotency key. */
  seq: number | null;
  eventId: string | null;
  type: EventType;
  clientAt: number | null;
  serverAt: number;
  data: unknown;
}

export interface EventRow extends NewEvent {
  sessionId: string;
  index: number;
  prevHash: string;
  hash: string;
  /** 1: plain SHA-256 (before the log was keyed, and stores opened without a log key); 2: HMAC with the centre's log secret. Absent: 1. */
  hashVersion?: 1 | 2;
}

/**
 * A state change that is written in ONE transaction with the log entries that record it:
 * a crash can never leave a saved answer, a chosen language, an ended exam or a warning without its entry.
 */
export type LoggedWrite =
  | { kind: 'answer'; answer: AnswerRow }
  | { kind: 'language'; language: ExamLanguage }
  | { kind: 'finish'; status: SessionStatus; finishedAt: number; result: ExamResult | null }
  | { kind: 'policy'; policy: SessionPolicy }
  // The control room's acts, each written with the entry that records who, when and why:
  /** A person's decision on an incident (replaces an earlier one). */
  | { kind: 'review'; review: IncidentReviewRow }
  /** A note the candidate must read. */
  | { kind: 'note'; note: ProctorNote }
  /** The candidate read a note: applied only the first time. */
  | { kind: 'note-read'; noteId: string; at: number; reply: string | null }
  /** Pause, resume or more time: applied only while the exam is in progress. */
  | { kind: 'running'; patch: RunningPatch }
  /** An ended exam resumed: applied only to a terminated or suspended one. */
  | { kind: 'reinstate'; deadlineAt: number; policy: SessionPolicy }
  /** A step before the exam (a proctor's identity decision). */
  | { kind: 'prestart'; patch: Partial<PrestartRecord> }
  /**
   * The reviewer's verdict (replaces an earlier one); overturning a termination also makes the session 'suspended' (rule 11: rescheduled),
   * applied only to a terminated one.
   */
  | { kind: 'verdict'; verdict: SessionVerdict }
  /** The procedure after the exam (practical, protocol, signatures, documents, counters, audit): procedure-store.ts. */
  | ProcedureWrite
  /** Appeals (rules 20-23): appeal-store.ts. */
  | AppealWrite;

export type RunningPatch = { deadlineAt?: number; paused?: { at: number; reason: string; until?: number } | null };

export type AppendResult =
  { kind: 'appended'; event: EventRow } | { kind: 'duplicate'; event: EventRow } | { kind: 'conflict'; message: string };

export interface Store extends AdminStore, ProcedureStore, AppealStore, AccommodationStore {
  /** Commits what is queued, then closes the database. */
  close(): Promise<void>;

  getCentre(): Promise<CentreRow | null>;
  createCentre(centre: CentreRow): Promise<void>;
  createProgramme(programme: ProgrammeRow, questions: SeedQuestion[]): Promise<void>;
  getProgramme(id: string): Promise<ProgrammeRow | null>;
  listProgrammes(): Promise<ProgrammeRow[]>;
  /** With the answer key: server-side only. */
  getQuestions(programmeId: string): Promise<SeedQuestion[]>;

  createStaffUser(user: StaffUserRow): Promise<void>;
  findStaffByUsername(username: string): Promise<StaffUserRow | null>;
  createStaffSession(tokenHash: string, userId: string, expiresAt: number): Promise<void>;
  findStaffSession(tokenHash: string, now: number): Promise<StaffUserRow | null>;
  deleteStaffSession(tokenHash: string): Promise<void>;

  createCandidate(candidate: CandidateRow): Promise<void>;
  getCandidate(id: string): Promise<CandidateRow | null>;
  listCandidates(): Promise<CandidateRow[]>;

  createExamSession(row: {
    id: string;
    candidateId: string;
    programmeId: string;
    tokenHash: string;
    tokenExpiresAt: number;
    createdAt: number;
  }): Promise<void>;
  findSessionByTokenHash(tokenHash: string): Promise<ExamSessionRow | null>;
  getSession(id: string): Promise<ExamSessionRow | null>;
  listSessions(filter?: { statuses?: SessionStatus[] }): Promise<ExamSessionRow[]>;
  /** One page of the reviewers' list, filtered and sorted in SQL, and how many sessions match. */
  listSessionPage(query: SessionListQuery, options: { iinSearch: boolean }): Promise<{ rows: SessionListDbRow[]; total: number }>;
  setLanguage(id: string, language: ExamLanguage): Promise<void>;
  /** issued → in_progress, once; false when it was not in 'issued'. `accommodations`: what the exam runs with. */
  startSession(
    id: string,
    startedAt: number,
    deadlineAt: number,
    questionIds: string[],
    accommodations?: Accommodations | null,
  ): Promise<boolean>;
  setCurrentIndex(id: string, index: number): Promise<void>;
  /** in_progress → a finished status, once; false when it had already finished. */
  finishSession(id: string, status: SessionStatus, finishedAt: number, result: ExamResult | null): Promise<boolean>;
  listExpiredInProgress(now: number): Promise<ExamSessionRow[]>;
  setProgrammeProctoring(id: string, overrides: ProctoringOverrides): Promise<void>;

  getPrestart(id: string): Promise<PrestartRecord>;
  /** Merges one step's record into the session's, atomically (read-modify-write in one transaction). */
  updatePrestart(id: string, patch: Partial<PrestartRecord>): Promise<PrestartRecord>;
  /** Replaces the candidate's reference face (staff upload, or enrolment when none is on file). */
  putCandidateReference(row: CandidateReferenceRow): Promise<void>;
  getCandidateReference(candidateId: string): Promise<CandidateReferenceRow | null>;

  /** Stores an incident's evidence once: a resend with the same hash is a duplicate, a different one a conflict. */
  putEvidence(sessionId: string, evidence: EvidenceRow): Promise<'stored' | 'duplicate' | 'conflict'>;
  getEvidence(sessionId: string, incidentId: string): Promise<EvidenceRow | null>;
  /** Bytes of evidence stored for the session (its storage quota). */
  evidenceBytes(sessionId: string): Promise<number>;

  /** Indexes a durable recording chunk once: the same hash again is a duplicate, another one a conflict. */
  putRecordingChunk(sessionId: string, chunk: RecordingChunkRow): Promise<'stored' | 'duplicate' | 'conflict'>;
  getRecordingChunk(sessionId: string, seq: number): Promise<RecordingChunkRow | null>;
  /** By ascending seq. */
  listRecordingChunks(sessionId: string): Promise<RecordingChunkRow[]>;
  /** Null when the session has no chunk yet. */
  recordingStats(sessionId: string): Promise<RecordingStats | null>;

  /** Upsert unless a newer revision is stored already; returns whether it was applied. */
  saveAnswer(sessionId: string, answer: AnswerRow): Promise<boolean>;
  getAnswers(sessionId: string): Promise<AnswerRow[]>;

  /** Appends to the session's hash-chained log; a resent client event (same seq and id) is a duplicate. */
  appendEvent(sessionId: string, event: NewEvent): Promise<AppendResult>;
  listEvents(sessionId: string, afterIndex?: number): Promise<EventRow[]>;
  /** Each session's newest legacy (version 1, plain SHA-256) entry: what LogAnchor anchors on its first start with a secret. */
  legacyChainHeads(): Promise<{ sessionId: string; index: number; hash: string }[]>;
  /**
   * Applies `write` (one change or several) and appends `events` (server events) in one transaction;
   * when any part is not applied (an older answer revision, an exam already finished, a language after
   * the start, a pause of an exam that is no longer running) nothing is.
   */
  writeWithEvents(
    sessionId: string,
    write: LoggedWrite | readonly LoggedWrite[],
    events: readonly NewEvent[],
  ): Promise<{ applied: boolean; events: EventRow[] }>;
  nextClientSeq(sessionId: string): Promise<number>;
  countEvents(sessionId: string, types: readonly EventType[]): Promise<number>;
  /** Entries that need a proctor's look (eventLevel 'incident'), for the dashboard's count. */
  countIncidents(sessionId: string): Promise<number>;
  /** The newest events across sessions, newest last, for a dashboard that has just connected. */
  recentEvents(limit: number): Promise<EventRow[]>;
  /** The newest events of these types across sessions, newest last (the incident queue). */
  recentEventsOfTypes(types: readonly EventType[], limit: number): Promise<EventRow[]>;
  /** A session's events of these types, oldest first. */
  listEventsOfTypes(sessionId: string, types: readonly EventType[]): Promise<EventRow[]>;

  /* The control room. */
  listStaffUsers(): Promise<StaffUserRow[]>;
  getStaffUser(id: string): Promise<StaffUserRow | null>;
  /** Sets (or clears, with null) the proctor of these sessions; returns how many changed. */
  assignSessions(sessionIds: readonly string[], proctorId: string | null): Promise<number>;
  countAssigned(proctorId: string, statuses: readonly SessionStatus[]): Promise<number>;
  listIncidentReviews(sessionId: string): Promise<IncidentReviewRow[]>;
  /** Reviews of many sessions at once (the queue). */
  listIncidentReviewsFor(sessionIds: readonly string[]): Promise<Map<string, IncidentReviewRow[]>>;
  listNotes(sessionId: string): Promise<ProctorNoteRow[]>;

  /* The reviewer's verdict. */
  getVerdict(sessionId: string): Promise<SessionVerdict | null>;
  listVerdictsFor(sessionIds: readonly string[]): Promise<Map<string, SessionVerdict>>;
}
