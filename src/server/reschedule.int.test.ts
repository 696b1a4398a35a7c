/**
 * Rule 11 at the centre: an exam suspended for a technical fault becomes a reschedule task that
 * proctors and admins see, with the reason and the time; nobody else does.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot, RescheduleTask } from '../shared/protocol';
import { data, nextEvent, request, startHarness, type Harness } from '../testing/centre-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** A started exam whose camera is lost and stays lost past technicalFaultSec (rule 11), judged by the centre's sweeper. */
async function suspendedExam(): Promise<{ sessionId: string; token: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  const lost = { id: randomBytes(9).toString('base64url'), type: 'tech.camera_lost', start: Date.now(), end: null, confidence: 1, detail: {} };
  data(await request(socket, 'event:log', { seq: snap.nextSeq, id: `ev-${lost.id}`, type: 'incident.open', at: lost.start + 2_000, data: { incident: lost } }));
  const suspended = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'suspended');
  h.clock.advance((snap.proctoring.config.technicalFaultSec + 1) * 1000);
  await suspended;
  socket.close();
  return { sessionId, token };
}

describe('GET /api/reschedule-tasks', () => {
  it('lists suspended exams with the reason and the time for proctors and admins, without personal data beyond the name', async () => {
    const running = await h.issueToken(); // an exam that is not suspended is not a task
    const { sessionId } = await suspendedExam();
    for (const role of ['proctor', 'admin'] as const) {
      const res = await h.http<RescheduleTask[]>('GET', '/api/reschedule-tasks', await h.staffToken(role));
      expect(res.status, role).toBe(200);
      const tasks = data(res.body);
      expect(tasks.map((t) => t.sessionId)).toEqual([sessionId]);
      expect(tasks[0]).toMatchObject({ candidateName: 'Сейтқали Айгерім Нұрланқызы', reason: 'tech.camera_lost', suspendedAt: expect.any(Number) });
      expect(tasks[0]!.lastedMs).toBeGreaterThanOrEqual(120_000);
      expect(tasks.some((t) => t.sessionId === running.sessionId)).toBe(false);
      const candidate = (await h.store.getCandidate(h.candidateId))!;
      expect(JSON.stringify(tasks)).not.toContain(candidate.iin);
      expect(JSON.stringify(tasks)).not.toMatch(/iin/i);
    }
  });

  it('is refused to reviewers (403), without a log-in (401) and with a candidate’s exam token (401)', async () => {
    const { token } = await suspendedExam();
    expect((await h.http('GET', '/api/reschedule-tasks', await h.staffToken('reviewer'))).status).toBe(403);
    expect((await h.http('GET', '/api/reschedule-tasks', null)).status).toBe(401);
    expect((await h.http('GET', '/api/reschedule-tasks', token)).status).toBe(401);
  });

  it('is empty when nothing was suspended', async () => {
    expect(data((await h.http<RescheduleTask[]>('GET', '/api/reschedule-tasks', await h.staffToken('proctor'))).body)).toEqual([]);
  });
});
