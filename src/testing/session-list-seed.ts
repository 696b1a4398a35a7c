/**
 * Many exam sessions in a real store, for the sessions list's tests and `npm run bench:sessions`.
 * Everything goes through the Store's own methods (candidates, sessions, start, finish, logged incident
 * events, so the incident count comes from the real trigger), except the reviewer's verdicts, written
 * into session_verdicts directly (the table the review page writes). Deterministic: the n-th session
 * is always the same.
 */
import type { TestDatabase } from './test-database';
import { randomUUID } from 'node:crypto';
import { hashToken } from '../server/auth';
import type { Store } from '../server/store/store';
import { iinCheckDigit } from '../shared/iin';
import type { ExamResult, SessionStatus } from '../shared/protocol';
import type { SessionVerdictKind } from '../shared/session-list';

const SURNAMES = ['Сейтқали', 'Иванова', 'Әбенов', 'Ким', 'Нұрланова', 'Петров', 'Жақсылықов', 'Ёлкина', 'Smith', 'Оспанова'];
const GIVEN = ['Айгерім', 'Мария', 'Ерлан', 'Дмитрий', 'Гүлнар', 'Алексей', 'Нұржан', 'Ольга', 'John', 'Дана'];

/** A valid IIN (src/shared/iin.ts's checksum) from a 1-based number: birth date 1990-01-01 + n days. */
export function syntheticIin(n: number): string {
  const d = new Date(Date.UTC(1990, 0, 1) + (n % 9000) * 86_400_000);
  const yymmdd = `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  for (let serial = n % 10_000; ; serial = (serial + 1) % 10_000) {
    const base = `${yymmdd}${n % 2 === 0 ? 4 : 3}${String(serial).padStart(4, '0')}`;
    const check = iinCheckDigit(base);
    if (check !== null) return `${base}${check}`;
  }
}

export interface SeededSession {
  sessionId: string;
  candidateName: string;
  iin: string;
  at: number;
  status: SessionStatus;
  result: ExamResult | null;
  incidents: number;
  verdict: SessionVerdictKind | null;
  programmeId: string;
}

/** The n-th session's plan (0-based). */
export function planSession(n: number, t0: number): Omit<SeededSession, 'sessionId' | 'programmeId'> {
  const statuses: SessionStatus[] = ['submitted', 'submitted', 'submitted', 'terminated', 'suspended', 'expired', 'in_progress', 'issued'];
  const status = statuses[n % statuses.length]!;
  const correct = (n * 7) % 31;
  const finished = status === 'submitted' || status === 'expired' || status === 'terminated';
  const result: ExamResult | null = finished
    ? {
        correct,
        total: 30,
        percent: Math.round((correct / 30) * 1000) / 10,
        admitted: correct * 10 > 30 * 7,
        finishedBy: status === 'terminated' ? 'terminated' : status === 'expired' ? 'timeout' : 'candidate',
      }
    : null;
  const verdicts: Array<SessionVerdictKind | null> = [
    null,
    null,
    'no_violation',
    null,
    'violation_confirmed',
    null,
    'termination_overturned',
  ];
  return {
    candidateName: `${SURNAMES[n % SURNAMES.length]} ${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]} ${n}`,
    iin: syntheticIin(n + 1),
    at: t0 + n * 60_000,
    status,
    result,
    incidents: n % 5,
    verdict: status === 'issued' || status === 'in_progress' ? null : verdicts[n % verdicts.length]!,
  };
}

/**
 * Seeds `count` sessions (one candidate each) for the store's first centre, alternating between its
 * programmes; `db` is the store's database (the verdicts are written beside the store). Writes go in parallel batches so the
 * store commits them together.
 */
export async function seedSessions(store: Store, db: TestDatabase, count: number, t0: number, batch = 250): Promise<SeededSession[]> {
  const centre = await store.getCentre();
  const programmes = await store.listProgrammes();
  if (!centre || programmes.length === 0) throw new Error('seed the demo centre first');
  const questionIds = (await store.getQuestions(programmes[0]!.id)).slice(0, 30).map((q) => q.id);
  const out: SeededSession[] = [];
  for (let from = 0; from < count; from += batch) {
    const part = Array.from({ length: Math.min(batch, count - from) }, (_, i) => from + i);
    out.push(
      ...(await Promise.all(
        part.map(async (n) => {
          const plan = planSession(n, t0);
          const [surname, givenName, patronymic] = plan.candidateName.split(' ');
          const candidateId = randomUUID();
          const sessionId = randomUUID();
          const programmeId = programmes[n % programmes.length]!.id;
          await store.createCandidate({
            id: candidateId,
            centreId: centre.id,
            surname: surname!,
            givenName: givenName!,
            patronymic: patronymic ?? null,
            iin: plan.iin,
            email: null,
          });
          await store.createExamSession({
            id: sessionId,
            candidateId,
            programmeId,
            tokenHash: hashToken(`seed-${sessionId}`),
            tokenExpiresAt: plan.at + 86_400_000,
            createdAt: plan.at - 3_600_000,
          });
          // The deadline lies in the future, or the centre's sweep could end the exam (as expired) before it is finished here.
          const deadline = Date.now() + 7 * 86_400_000;
          if (plan.status !== 'issued') await store.startSession(sessionId, plan.at, deadline, questionIds);
          for (let i = 0; i < plan.incidents; i++) {
            const incident = {
              id: `seed-${n}-${i}`,
              type: 'face.absent',
              start: plan.at + i * 1000,
              end: null,
              confidence: 0.9,
              evidence: null,
            };
            await store.appendEvent(sessionId, {
              origin: 'client',
              seq: i + 1,
              eventId: `seed-${n}-e${i}`,
              type: 'incident.open',
              clientAt: plan.at + i * 1000,
              serverAt: plan.at + i * 1000,
              data: { incident },
            });
          }
          if (
            plan.status !== 'issued' &&
            plan.status !== 'in_progress' &&
            !(await store.finishSession(sessionId, plan.status, plan.at + 30 * 60_000, plan.result))
          ) {
            throw new Error(`seeded session ${n} could not be finished as ${plan.status}`);
          }
          return { ...plan, sessionId, programmeId };
        }),
      )),
    );
  }
  await db.execMany(
    `INSERT INTO session_verdicts (session_id, kind, incident_ids_json, comment, by_json, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET kind = excluded.kind, at = excluded.at`,
    out
      .filter((s) => s.verdict)
      .map((s) => [s.sessionId, s.verdict, '[]', 'seeded', JSON.stringify({ role: 'reviewer', name: 'seed' }), s.at + 40 * 60_000]),
  );
  return out;
}
