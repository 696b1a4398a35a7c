/** The proctor's live view: every candidate with status and progress, and the event feed, pushed without reload. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardSnapshot, ExamSnapshot, FeedEvent, LiveSession } from '../shared/protocol';
import { data, nextEvent, request, startHarness, waitUntil, type Harness } from '../testing/centre-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('live feed', () => {
  it('a subscribed proctor receives the candidate’s events within a second of their commit, in order', async () => {
    const proctor = await h.staff(await h.staffToken('proctor'));
    const { token, sessionId } = await h.issueToken();
    const first = data(await request<DashboardSnapshot>(proctor, 'dashboard:subscribe'));
    expect(first.sessions.find((s) => s.sessionId === sessionId)).toMatchObject({
      status: 'issued',
      connected: false,
      candidateName: 'Сейтқали Айгерім Нұрланқызы',
    });

    const received: Array<FeedEvent & { receivedAt: number }> = [];
    proctor.on('feed:event', (e) => received.push({ ...e, receivedAt: Date.now() }));
    const candidate = await h.candidate(token);
    data(await request(candidate, 'exam:choose-language', { language: 'kk' }));
    await h.passPrestart(candidate);
    const snap = data(await request<ExamSnapshot>(candidate, 'exam:start'));
    const q = snap.questions[0]!;
    data(await request(candidate, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: 1 }));
    for (const [i, type] of ['device.camera', 'env.focus_lost', 'env.tab_hidden', 'env.fullscreen_exit'].entries()) {
      const payload = type === 'device.camera' ? { state: 'on' } : undefined;
      data(
        await request(candidate, 'event:log', {
          seq: snap.nextSeq + i,
          id: `evt-${type.replace('.', '-')}`,
          type,
          at: Date.now(),
          data: payload,
        }),
      );
    }
    data(await request(candidate, 'exam:submit'));
    await waitUntil(() => received.some((e) => e.type === 'exam.submitted'), 2_000, 'exam.submitted on the feed');

    const types = received.filter((e) => e.sessionId === sessionId).map((e) => e.type);
    expect(types).toEqual([
      'session.connected',
      'language.chosen',
      'system.checked',
      'consent.given',
      'identity.verified',
      'room_scan.completed',
      'session.started',
      'answer.saved',
      'device.camera',
      'env.focus_lost',
      'env.tab_hidden',
      'env.fullscreen_exit',
      'exam.submitted',
    ]);
    const stored = await h.store.listEvents(sessionId);
    for (const e of received) {
      const row = stored.find((s) => s.index === e.index)!;
      expect(e.receivedAt - row.serverAt).toBeLessThan(1000);
    }
    expect(received.find((e) => e.type === 'env.tab_hidden')!.level).toBe('incident');
    expect(received.find((e) => e.type === 'answer.saved')!.level).toBe('info');
  });

  it('session updates carry status, progress, time left inputs, connection and incident count', async () => {
    const proctor = await h.staff(await h.staffToken('proctor'));
    data(await request(proctor, 'dashboard:subscribe'));
    const { token, sessionId } = await h.issueToken();
    const candidate = await h.candidate(token);
    data(await request(candidate, 'exam:choose-language', { language: 'ru' }));
    const started = nextEvent<LiveSession>(proctor, 'session:update', (s) => s.sessionId === sessionId && s.status === 'in_progress');
    await h.passPrestart(candidate);
    const snap = data(await request<ExamSnapshot>(candidate, 'exam:start'));
    expect(await started).toMatchObject({ connected: true, total: 30, answered: 0, deadlineAt: snap.deadlineAt, language: 'ru' });

    const progressed = nextEvent<LiveSession>(proctor, 'session:update', (s) => s.sessionId === sessionId && s.answered === 2);
    for (const [i, q] of snap.questions.slice(0, 2).entries()) {
      data(await request(candidate, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: i + 1 }));
    }
    await progressed;

    const flagged = nextEvent<LiveSession>(proctor, 'session:update', (s) => s.sessionId === sessionId && s.incidentCount === 1);
    data(await request(candidate, 'event:log', { seq: snap.nextSeq, id: 'evt-hidden-1', type: 'env.tab_hidden', at: Date.now() }));
    await flagged;

    const gone = nextEvent<LiveSession>(proctor, 'session:update', (s) => s.sessionId === sessionId && !s.connected);
    candidate.close();
    await gone;
  });

  it('a proctor who connects later gets the recent feed in the snapshot', async () => {
    const { token, sessionId } = await h.issueToken();
    const candidate = await h.candidate(token);
    data(await request(candidate, 'exam:choose-language', { language: 'ru' }));
    const proctor = await h.staff(await h.staffToken('proctor'));
    const snap = data(await request<DashboardSnapshot>(proctor, 'dashboard:subscribe'));
    expect(snap.feed.filter((e) => e.sessionId === sessionId).map((e) => e.type)).toEqual(['session.connected', 'language.chosen']);
  });
});
