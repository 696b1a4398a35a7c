/**
 * The whole session's per-second signals, sent by the browser in the log ('signals.seconds', validated and
 * bounded) and read by reviewers and admins only (route × role). A 2-hour session (7,200 seconds) is read back whole.
 * Real SQLite, real socket.io client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardSnapshot, ExamSnapshot, FeedEvent, SessionDetail } from '../shared/protocol';
import { encodeSeconds, type SecondSample } from '../shared/signal-seconds';
import { data, request, startHarness, type Harness } from '../testing/centre-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const T = 1_750_000_000_000;
const second = (i: number): SecondSample => ({
  t: T + i * 1000,
  faces: i % 7 === 0 ? 2 : 1,
  yaw: (i % 40) - 20,
  pitch: -5,
  levelDb: -50 + (i % 10),
  speech: (i % 5) / 5,
  fps: 8,
});

describe('GET /api/sessions/:id/signals', () => {
  it('route × role, validation, and a 2-hour session read back in order, each second once', async () => {
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'ru' }));
    await h.passPrestart(socket);
    const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
    let seq = snap.nextSeq - 1;
    const send = (samples: SecondSample[]) =>
      request(socket, 'event:log', {
        seq: ++seq,
        id: `signals-${String(seq).padStart(6, '0')}`,
        type: 'signals.seconds',
        at: Date.now(),
        data: encodeSeconds(samples),
      });

    // Refused at the boundary: out of range, unordered, too many.
    expect(await send([{ ...second(0), fps: 1_000 }])).toMatchObject({ error: { code: 'invalid' } });
    seq--;
    expect(await send([second(1), second(0)])).toMatchObject({ error: { code: 'invalid' } });
    seq--;
    expect(await send(Array.from({ length: 61 }, (_, i) => second(i)))).toMatchObject({ error: { code: 'invalid' } });
    seq--;

    // Two hours in 120 entries of 60 seconds, paced under the per-session event limit; one batch resent overlapping.
    for (let b = 0; b < 120; b++) {
      data(await send(Array.from({ length: 60 }, (_, i) => second(b * 60 + i))));
      if (b % 40 === 39) await new Promise((r) => setTimeout(r, 2_100));
    }
    data(await send([second(10), second(11)]));

    const route = `/api/sessions/${sessionId}/signals`;
    expect((await h.http('GET', route, null)).status).toBe(401);
    expect((await h.http('GET', route, token)).status).toBe(401);
    expect((await h.http('GET', route, await h.staffToken('proctor'))).status).toBe(403);
    for (const role of ['reviewer', 'admin'] as const) {
      const staff = await h.staffToken(role);
      const started = performance.now();
      const res = await h.http<{ samples: SecondSample[] }>('GET', route, staff);
      const ms = performance.now() - started;
      expect(res.status, role).toBe(200);
      const samples = 'data' in res.body ? res.body.data.samples : [];
      expect(samples).toHaveLength(7_200);
      expect(samples[0]).toEqual(second(0));
      expect(samples.at(-1)).toEqual(second(7_199));
      expect(samples.every((s, i) => i === 0 || s.t > samples[i - 1]!.t)).toBe(true);
      console.log(`[signals] ${role}: 7,200 seconds read in ${ms.toFixed(0)} ms`);
    }
    expect((await h.http('GET', '/api/sessions/00000000-0000-4000-8000-000000000000/signals', await h.staffToken('reviewer'))).status).toBe(
      404,
    );
    // The proctor's feed and drill-down are not flooded with them; the log keeps them, chained.
    const proctor = await h.staff(await h.staffToken('proctor'));
    const dash = data(await request<DashboardSnapshot>(proctor, 'dashboard:subscribe', {}));
    expect(dash.feed.filter((e) => e.sessionId === sessionId).map((e) => e.type)).not.toContain('signals.seconds');
    expect(dash.feed.some((e) => e.sessionId === sessionId && e.type === 'session.started')).toBe(true);
    const drill = data(await request<SessionDetail>(proctor, 'session:detail', { sessionId }));
    expect(drill.events.map((e) => e.type)).not.toContain('signals.seconds');
    proctor.close();
    const feed = (await h.http<FeedEvent[]>('GET', `/api/sessions/${sessionId}/events`, await h.staffToken('reviewer'))).body;
    expect('data' in feed && feed.data.filter((e) => e.type === 'signals.seconds').length).toBe(121);
    expect(await h.verifyLog(sessionId)).toMatchObject({ status: 'intact' });
  }, 60_000);
});
