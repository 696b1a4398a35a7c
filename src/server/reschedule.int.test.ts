/**
 * Rule 11 at the centre: an exam suspended for a technical fault becomes a reschedule task that
 * proctors and admins see, with the reason and the time; nobody else does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RescheduleTask } from '../shared/protocol';
import { data, startHarness, type Harness } from '../testing/centre-harness';
import { suspendedExam as takeSuspendedExam } from '../testing/procedure-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const suspendedExam = () => takeSuspendedExam(h);

describe('GET /api/reschedule-tasks', () => {
  it('lists suspended exams with the reason and the time for proctors and admins, without personal data beyond the name', async () => {
    const running = await h.issueToken(); // an exam that is not suspended is not a task
    const { sessionId } = await suspendedExam();
    for (const role of ['proctor', 'admin'] as const) {
      const res = await h.http<RescheduleTask[]>('GET', '/api/reschedule-tasks', await h.staffToken(role));
      expect(res.status, role).toBe(200);
      const tasks = data(res.body);
      expect(tasks.map((t) => t.sessionId)).toEqual([sessionId]);
      expect(tasks[0]).toMatchObject({
        candidateName: 'Сейтқали Айгерім Нұрланқызы',
        reason: 'tech.camera_lost',
        suspendedAt: expect.any(Number),
      });
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
