/**
 * The window an admin schedules holds at the centre. Before its start the candidate may do
 * the steps before the exam (language, system check, consent), but the first question waits: exam:start
 * is refused 'not_yet_open' by the centre's clock, whatever the browser's clock says, and the snapshot
 * tells the browser when it opens. After the start it goes; after the end the link has expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedExam } from '../shared/admin';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, type Harness } from '../testing/centre-harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.staffToken('admin');
});
afterAll(async () => {
  await h.close();
});

async function schedule(startInMs: number, lengthMs: number): Promise<IssuedExam> {
  const now = h.clock.now();
  const res = await h.http<IssuedExam>('POST', '/api/admin/exams', admin, {
    candidateId: h.candidateId,
    programmeId: h.programmeId,
    windowStart: now + startInMs,
    windowEnd: now + startInMs + lengthMs,
  });
  if (!('data' in res.body)) throw new Error(JSON.stringify(res.body));
  return res.body.data;
}

describe('the exam window', () => {
  it('before the window opens the steps can be done but the exam does not start; at the start it does', async () => {
    const issued = await schedule(30 * 60_000, 2 * 3600_000);
    const socket = await h.candidate(issued.url.split('#t=')[1]!);
    const first = data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language: 'kk' }));
    expect(first.opensAt).toBe(issued.window!.start);
    await h.passPrestart(socket);
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'not_yet_open' } });
    expect((await h.store.getSession(issued.sessionId))!.status).toBe('issued');
    h.clock.advance(29 * 60_000);
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'not_yet_open' } });
    h.clock.advance(60_000);
    const started = data(await request<ExamSnapshot>(socket, 'exam:start'));
    expect(started.status).toBe('in_progress');
    expect(started.questions.length).toBeGreaterThan(0);
    socket.close();
  });

  it('a link issued without a window (the seed, the API) opens at once; one past its window has expired', async () => {
    const { token } = await h.issueToken();
    const socket = await h.candidate(token);
    expect(data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language: 'ru' })).opensAt).toBeNull();
    socket.close();

    const issued = await schedule(60_000, 3600_000);
    h.clock.advance(2 * 3600_000);
    await expect(h.candidate(issued.url.split('#t=')[1]!)).rejects.toThrow(/expired/);
  });
});
