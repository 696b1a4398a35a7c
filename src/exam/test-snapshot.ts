/** Fixtures for tests of the candidate's page: an exam snapshot as the centre sends one, questions, a good laptop's measurements. */
import { INITIAL_POLICY } from '../shared/policy';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { CandidateQuestion, ExamSnapshot } from '../shared/protocol';
import type { SystemCheckMeasurements } from './system-check-verdict';

/** Every step before the exam done, nothing asked yet. */
export function testSnapshot(over: Partial<ExamSnapshot> = {}): ExamSnapshot {
  return {
    sessionId: 's1',
    status: 'issued',
    language: 'kk',
    candidateName: 'Айгерім Сейтқали',
    profession: { kk: 'Электромонтер', ru: 'Электромонтёр', en: 'Electrician' },
    nqfLevel: 4,
    durationMinutes: 40,
    questionCount: 30,
    accommodations: null,
    breaksTaken: 0,
    serverNow: 1_000_000,
    startedAt: null,
    deadlineAt: null,
    currentIndex: 0,
    questions: [],
    answers: {},
    nextSeq: 1,
    result: null,
    proctoring: { config: DEFAULT_PROCTORING, policy: INITIAL_POLICY },
    prestart: {
      systemCheck: { ok: true, at: 1 },
      consent: { version: 'v1', at: 1 },
      identity: { hasReference: true, verifiedAt: 1, attempts: 1, decision: null },
      roomScan: { coverageDeg: 360, complete: true, at: 1 },
      assistant: null,
    },
    paused: null,
    notes: [],
    reference: 'TN-4F7K2Q',
    contact: {
      centre: { kk: 'Тану орталығы', ru: 'Центр признания', en: 'Recognition centre' },
      phone: '+7 717 000 00 00',
      email: 'centre@example.kz',
    },
    opensAt: null,
    ...over,
  };
}

/** Three questions: one answer, several answers, one answer. */
export const TEST_QUESTIONS: CandidateQuestion[] = [
  {
    id: 'q1',
    kind: 'single',
    text: 'Кернеуді немен өлшейді?',
    options: [
      { id: 'a', text: 'Вольтметрмен' },
      { id: 'b', text: 'Амперметрмен' },
    ],
  },
  {
    id: 'q2',
    kind: 'multiple',
    text: 'Қайсысы өткізгіш?',
    options: [
      { id: 'a', text: 'Мыс' },
      { id: 'b', text: 'Шыны' },
      { id: 'c', text: 'Алюминий' },
    ],
  },
  {
    id: 'q3',
    kind: 'single',
    text: 'Жерге тұйықтау не үшін керек?',
    options: [
      { id: 'a', text: 'Қауіпсіздік үшін' },
      { id: 'b', text: 'Сән үшін' },
    ],
  },
];

/** What a good laptop measures in the system check (the figures the fake devices give in the browser tests). */
export const GOOD_LAPTOP: SystemCheckMeasurements = {
  browser: {
    getUserMedia: true,
    mediaRecorderWebm: true,
    webAssembly: true,
    indexedDb: true,
    workers: true,
    offscreenCanvas: true,
    audioWorklet: true,
  },
  camera: { failure: null, width: 640, height: 480, fps: 30 },
  microphone: { failure: null, peakDbfs: -57 },
  network: { offline: false, kbps: 12_000, rttMs: 4 },
  models: { state: 'ready', msToReady: 6_500 },
  storage: { freeMb: 5_000 },
};
