/**
 * The candidate's exam state (vanilla zustand: usable outside React). Per-frame data
 * never goes here; only facts the screens show.
 */
import { createStore } from 'zustand/vanilla';
import type { MediaFailure } from '../devices/media-errors';
import type { ConnectionStatus } from '../session/candidate-connection';
import type { ProctorNote } from '../shared/control-room';
import type { Incident } from '../shared/incidents';
import type { ExamSnapshot } from '../shared/protocol';

export type AnswerState = 'saved' | 'saving' | 'pending';
export interface LocalAnswer {
  optionIds: string[];
  rev: number;
  state: AnswerState;
}

/** The durable outbox as the candidate's upload indicator shows it. */
export interface UploadStatus {
  /** Items waiting for the centre's ack: events, answers, recording chunks, evidence. */
  items: number;
  bytes: number;
  chunks: number;
  answers: number;
  /** Items the centre will never accept (refused as invalid), since this page loaded. */
  dropped: number;
  /** Local storage refused a write ('quota' when full): what is waiting would not survive a reload. */
  storageError: string | null;
  /** What this browser lets the exam keep locally (navigator.storage.estimate()), bytes; null when unknown. */
  quota: number | null;
  /** The recorder: 'off' before consent and devices, 'recording', 'stopped' after the exam, 'failed'. */
  recorder: 'off' | 'recording' | 'stopped' | 'failed';
}

export type DeviceStatus = 'idle' | 'starting' | 'on' | 'lost' | 'failed';

/** The proctoring engine as the screens show it (model loading, then running). */
export interface ProctoringStatus {
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  /** Model download and warm-up, 0..1. */
  progress: number;
  /** Analysed frames per second over the last few seconds, and the median ms per analysed frame. */
  fps: number;
  frameMs: number;
  error: string | null;
}

/** What the candidate is shown about a policy decision: the incident, the rule, the evidence snapshot. */
export interface DecisionView {
  incident: Incident;
  rule: string;
  snapshotUrl: string | null;
}

export interface ExamState {
  connection: ConnectionStatus;
  refusal: string | null;
  replaced: boolean;
  snapshot: ExamSnapshot | null;
  /** serverNow - clientNow when the snapshot arrived: the countdown runs on the server's clock. */
  clockOffsetMs: number;
  currentIndex: number;
  answers: Record<string, LocalAnswer>;
  camera: DeviceStatus;
  microphone: DeviceStatus;
  deviceFailure: { kind: MediaFailure; detail: string } | null;
  confirmingSubmit: boolean;
  fullscreenLost: boolean;
  busy: boolean;
  proctoring: ProctoringStatus;
  /** Rule 13: the first violation's warning, until the candidate has read it. */
  warning: DecisionView | null;
  /** Rule 13 termination or rule 11 suspension decided in this browser (the centre confirms with the exam state). */
  ending: (DecisionView & { kind: 'terminated' | 'suspended' }) | null;
  uploads: UploadStatus;
  /** A proctor is watching the live camera (WebRTC) right now. */
  liveWatching: boolean;
  /** The proctor's 'end' note, kept after it was read so the ended screen can say who ended the exam and why. */
  endNote: ProctorNote | null;
}

export const initialExamState: ExamState = {
  connection: 'connecting',
  refusal: null,
  replaced: false,
  snapshot: null,
  clockOffsetMs: 0,
  currentIndex: 0,
  answers: {},
  camera: 'idle',
  microphone: 'idle',
  deviceFailure: null,
  confirmingSubmit: false,
  fullscreenLost: false,
  busy: false,
  proctoring: { phase: 'idle', progress: 0, fps: 0, frameMs: 0, error: null },
  warning: null,
  ending: null,
  uploads: { items: 0, bytes: 0, chunks: 0, answers: 0, dropped: 0, storageError: null, quota: null, recorder: 'off' },
  liveWatching: false,
  endNote: null,
};

export const examStore = createStore<ExamState>(() => ({ ...initialExamState }));

/** Merge a server snapshot: server answers win unless a newer local revision is still on its way. */
export function applySnapshot(snapshot: ExamSnapshot, receivedAt: number): void {
  examStore.setState((s) => {
    const answers: Record<string, LocalAnswer> = {};
    for (const [id, a] of Object.entries(snapshot.answers)) answers[id] = { optionIds: a.optionIds, rev: a.rev, state: 'saved' };
    for (const [id, local] of Object.entries(s.answers)) {
      const server = answers[id];
      if (local.state !== 'saved' && (!server || local.rev > server.rev)) answers[id] = local;
    }
    const firstSnapshot = s.snapshot === null || s.snapshot.status !== snapshot.status;
    return {
      snapshot,
      clockOffsetMs: snapshot.serverNow - receivedAt,
      answers,
      currentIndex: firstSnapshot ? Math.min(snapshot.currentIndex, Math.max(0, snapshot.questions.length - 1)) : s.currentIndex,
    };
  });
}

/**
 * After a reload: answers still waiting in the outbox come back as pending (the newest revision
 * of each question wins; the centre keeps the newest too, so a resend never goes back in time).
 */
export function restorePendingAnswers(pending: ReadonlyArray<{ questionId: string; optionIds: string[]; rev: number }>): void {
  examStore.setState((s) => {
    const answers = { ...s.answers };
    for (const p of pending) {
      const current = answers[p.questionId];
      if (!current || current.rev < p.rev) answers[p.questionId] = { optionIds: p.optionIds, rev: p.rev, state: 'pending' };
    }
    return { answers };
  });
}
