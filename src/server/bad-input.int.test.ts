/** Malformed, oversized and out-of-protocol input: a clear error, and the connection and server stay up. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';

let h: Harness;
let socket: CandidateSocket;
let snapshot: ExamSnapshot;
beforeEach(async () => {
  h = await startHarness();
  socket = await h.candidate((await h.issueToken()).token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
});
afterEach(async () => {
  await h.close();
});

const event = (over: Record<string, unknown>) => ({ seq: 100, id: 'abcdefgh12', type: 'env.focus_lost', at: 1, ...over });

describe('bad input on the candidate socket', () => {
  it.each([
    ['null payload', null],
    ['a string', 'hello'],
    ['a number', 42],
    ['an array', [1, 2]],
    ['unknown event type', event({ type: 'exam.cheat' })],
    ['seq 0', event({ seq: 0 })],
    ['seq not an integer', event({ seq: 1.5 })],
    ['an id with spaces', event({ id: 'a b c d e f g h' })],
    ['extra keys', event({ admin: true })],
    ['data that does not fit the type', event({ type: 'device.camera', data: { state: 'exploded' } })],
    ['data where the type takes none', event({ data: { x: 1 } })],
    ['data over 4 KB', event({ type: 'exam.question_viewed', data: { index: 1, pad: 'x'.repeat(5000) } })],
  ])('event:log with %s → invalid, nothing stored', async (_name, payload) => {
    const before = (await h.store.listEvents(snapshot.sessionId)).length;
    const res = await request(socket, 'event:log', payload);
    expect(res).toMatchObject({ error: { code: 'invalid', message: expect.any(String) } });
    expect((await h.store.listEvents(snapshot.sessionId)).length).toBe(before);
  });

  it('a 300 KB payload gets a clear error and the connection stays up', async () => {
    const res = await request(socket, 'answer:save', {
      questionId: snapshot.questions[0]!.id,
      optionIds: ['a'],
      rev: 1,
      junk: 'x'.repeat(300_000),
    });
    expect(res).toMatchObject({ error: { code: 'invalid' } });
    expect(socket.connected).toBe(true);
    expect(data(await request<ExamSnapshot>(socket, 'exam:resume')).sessionId).toBe(snapshot.sessionId);
  });

  it('a message over the transport limit closes only that connection; the server keeps serving', async () => {
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    // Hostile on purpose: the typed event map would refuse this payload at compile time.
    (socket as unknown as { emit: (event: string, ...args: unknown[]) => void }).emit(
      'event:log',
      { blob: 'x'.repeat(1_200_000) },
      () => undefined,
    );
    await closed;
    const again = await h.candidate((await h.issueToken()).token);
    expect(data(await request<ExamSnapshot>(again, 'exam:resume')).status).toBe('issued');
  });

  it('a command without an acknowledgement callback is ignored without harm', async () => {
    const raw = socket as unknown as { emit: (event: string, ...args: unknown[]) => void };
    raw.emit('exam:submit');
    raw.emit('answer:save', { questionId: 'q01' });
    const snap = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(snap.status).toBe('in_progress');
  });

  it('an unknown event name is ignored and the connection stays', async () => {
    (socket as unknown as { emit: (e: string, p: unknown) => void }).emit('admin:drop-tables', {});
    expect(data(await request<ExamSnapshot>(socket, 'exam:resume')).status).toBe('in_progress');
  });
});

describe('bad input on REST', () => {
  it.each([
    ['not JSON', '{nope'],
    ['missing password', { username: 'proctor' }],
    ['extra fields', { username: 'proctor', password: 'x', role: 'admin' }],
  ])('login with %s → 400 with a message', async (_name, body) => {
    const res = await h.http('POST', '/api/staff/login', null, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('a body over 64 KB → 413', async () => {
    const res = await h.http('POST', '/api/staff/login', null, { username: 'x', password: 'y'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'too_large' } });
  });

  it('a malformed session id → 400; an unknown one → 404; an unknown route → 404 JSON', async () => {
    const reviewer = await h.staffToken('reviewer');
    expect((await h.http('GET', '/api/sessions/not-a-uuid', reviewer)).status).toBe(400);
    expect((await h.http('GET', '/api/sessions/00000000-0000-4000-8000-000000000000', reviewer)).status).toBe(404);
    expect((await h.http('GET', '/api/nothing-here', reviewer)).status).toBe(404);
  });
});
