/** An exam snapshot as the centre sends one, for tests of the candidate's page (every step done, nothing asked yet). */
import { INITIAL_POLICY } from '../shared/policy';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { CandidateQuestion, ExamSnapshot } from '../shared/protocol';

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
