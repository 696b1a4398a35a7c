/**
 * The candidate's exam state (vanilla zustand: usable outside React). Per-frame data
 * never goes here; only facts the screens show.
 */
import { createStore } from 'zustand/vanilla';
import type { MediaFailure } from '../devices/media-errors';
import type { ConnectionStatus } from '../session/candidate-connection';
import type { Incident } from '../shared/incidents';
import type { ExamSnapshot } from '../shared/protocol';

export type AnswerState = 'saved' | 'saving' | 'pending';
export interface LocalAnswer {
  optionIds: string[];
  rev: number;
  state: AnswerState;
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
