/**
 * The candidate's exam against the real centre: real SQLite file, real socket.io on a
 * random port. Rule 9 (language), rule 15 (more than 70%), server-side timer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot } from '../shared/protocol';
import { data, nextEvent, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function startedExam(language: 'kk' | 'ru' = 'ru'): Promise<{ socket: CandidateSocket; snapshot: ExamSnapshot; token: string }> {
  const { token } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { socket, snapshot, token };
}

/** Answers exactly `correctCount` questions right and the rest wrong, using the key the server holds. */
async function answer(socket: CandidateSocket, snapshot: ExamSnapshot, correctCount: number): Promise<void> {
  const bank = await h.questionBank();
  let rev = 1;
  for (const [i, q] of snapshot.questions.entries()) {
    const key = bank.get(q.id)!.options;
    const optionIds = i < correctCount ? key.filter((o) => o.correct).map((o) => o.id) : [key.find((o) => !o.correct)!.id];
    const res = data(await request<{ applied: boolean }>(socket, 'answer:save', { questionId: q.id, optionIds, rev: rev++ }));
    expect(res.applied).toBe(true);
  }
}

describe('candidate exam flow', () => {
  it('chooses the language once (rule 9), draws 30 questions in it, and never sends the answer key', async () => {
    const { token } = await h.issueToken();
    const socket = await h.candidate(token);
    const before = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(before.status).toBe('issued');
    expect(before.questions).toEqual([]);
    data(await request(socket, 'exam:choose-language', { language: 'kk' }));
    await h.passPrestart(socket);
    const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
    expect(snap.status).toBe('in_progress');
    expect(snap.questions).toHaveLength(30);
    const first = (await h.questionBank()).get(snap.questions[0]!.id)!;
    expect(snap.questions[0]!.text).toBe(first.text.kk);
    expect(JSON.stringify(snap)).not.toMatch(/"correct"/);
    expect(snap.deadlineAt! - snap.startedAt!).toBe(40 * 60_000);
    const change = await request(socket, 'exam:choose-language', { language: 'ru' });
    expect(change).toMatchObject({ error: { code: 'conflict' } });
  });

  it('refuses to start before a language is chosen', async () => {
    const { token } = await h.issueToken();
    const socket = await h.candidate(token);
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'conflict' } });
  });

  it.each([
    [22, true, 73.3],
    [21, false, 70], // rule 15: exactly 70% is not more than 70%
    [30, true, 100],
    [0, false, 0],
  ])('rule 15: %i of 30 correct → admitted %s', async (correct, admitted, percent) => {
    const { socket, snapshot } = await startedExam();
    await answer(socket, snapshot, correct);
    const done = data(await request<ExamSnapshot>(socket, 'exam:submit'));
    expect(done.status).toBe('submitted');
    expect(done.result).toEqual({ correct, total: 30, percent, admitted, finishedBy: 'candidate' });
    const again = data(await request<ExamSnapshot>(socket, 'exam:submit'));
    expect(again.result).toEqual(done.result);
    expect(await request(socket, 'answer:save', { questionId: snapshot.questions[0]!.id, optionIds: [], rev: 999 })).toMatchObject({
      error: { code: 'closed' },
    });
  });

  it('a reconnect (page reload) resumes the same question, answers and deadline', async () => {
    const { socket, snapshot, token } = await startedExam();
    const q = snapshot.questions[4]!;
    data(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[1]!.id], rev: 5 }));
    data(await request(socket, 'exam:navigate', { index: 4 }));
    socket.close();
    const again = await h.candidate(token);
    const resumed = data(await request<ExamSnapshot>(again, 'exam:resume'));
    expect(resumed.currentIndex).toBe(4);
    expect(resumed.answers[q.id]).toEqual({ optionIds: [q.options[1]!.id], rev: 5 });
    expect(resumed.deadlineAt).toBe(snapshot.deadlineAt);
    expect(resumed.questions.map((x) => x.id)).toEqual(snapshot.questions.map((x) => x.id));
  });

  it('a server restart keeps every acknowledged answer, the deadline and the link', async () => {
    const { socket, snapshot, token } = await startedExam();
    await answer(socket, snapshot, 10);
    const dataDir = h.dataDir;
    await h.close({ keepData: true });
    h = await startHarness({ dataDir });
    const again = await h.candidate(token);
    const resumed = data(await request<ExamSnapshot>(again, 'exam:resume'));
    expect(resumed.status).toBe('in_progress');
    expect(Object.keys(resumed.answers)).toHaveLength(30);
    expect(resumed.deadlineAt).toBe(snapshot.deadlineAt);
  });

  it('an older answer revision arriving late never overwrites a newer one', async () => {
    const { socket, snapshot } = await startedExam();
    const q = snapshot.questions[0]!;
    data(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[2]!.id], rev: 10 }));
    const late = data(
      await request<{ applied: boolean }>(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: 9 }),
    );
    expect(late.applied).toBe(false);
    const snap = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(snap.answers[q.id]!.optionIds).toEqual([q.options[2]!.id]);
  });

  it('validates answers against the drawn question: unknown option, two options on single choice, a question not drawn', async () => {
    const { socket, snapshot } = await startedExam();
    const single = snapshot.questions.find((q) => q.kind === 'single')!;
    expect(await request(socket, 'answer:save', { questionId: single.id, optionIds: ['z'], rev: 1 })).toMatchObject({
      error: { code: 'invalid' },
    });
    expect(
      await request(socket, 'answer:save', { questionId: single.id, optionIds: single.options.slice(0, 2).map((o) => o.id), rev: 2 }),
    ).toMatchObject({ error: { code: 'invalid' } });
    const drawn = new Set(snapshot.questions.map((q) => q.id));
    const notDrawn = [...(await h.questionBank()).values()].find((q) => !drawn.has(q.id))!;
    expect(await request(socket, 'answer:save', { questionId: notDrawn.id, optionIds: ['a'], rev: 3 })).toMatchObject({
      error: { code: 'invalid' },
    });
  });

  it('the server submits by itself when time runs out, grades what was saved and tells the browser', async () => {
    const { socket, snapshot } = await startedExam();
    await answer(socket, snapshot, 25);
    const pushed = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'submitted');
    h.clock.advance(40 * 60_000 + 5_000);
    const state = await pushed; // the 200 ms sweeper found it, with no request from the browser
    expect(state.result).toMatchObject({ correct: 25, total: 30, admitted: true, finishedBy: 'timeout' });
    const events = await h.store.listEvents(snapshot.sessionId);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['exam.timeout', 'exam.submitted']));
  });

  it('a second connection with the same link replaces the first (another tab)', async () => {
    const { token } = await h.issueToken();
    const first = await h.candidate(token);
    const replaced = nextEvent(first, 'session:replaced');
    await h.candidate(token);
    await replaced;
  });

  it('client events are stored once per (session, seq); a reused seq with another id is a conflict', async () => {
    const { socket, snapshot } = await startedExam();
    const event = { seq: snapshot.nextSeq, id: 'evt-aaaaaaaa', type: 'env.tab_hidden', at: Date.now() };
    expect(data(await request(socket, 'event:log', event))).toEqual({ seq: snapshot.nextSeq, duplicate: false });
    expect(data(await request(socket, 'event:log', event))).toEqual({ seq: snapshot.nextSeq, duplicate: true });
    expect(await request(socket, 'event:log', { ...event, id: 'evt-bbbbbbbb' })).toMatchObject({ error: { code: 'conflict' } });
    const stored = (await h.store.listEvents(snapshot.sessionId)).filter((e) => e.type === 'env.tab_hidden');
    expect(stored).toHaveLength(1);
    const resumed = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(resumed.nextSeq).toBe(snapshot.nextSeq + 1);
  });
});
