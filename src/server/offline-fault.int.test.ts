/**
 * Rule 11: a browser that stays without a connection past the programme's
 * offlineFaultSec is a technical fault: the centre suspends the exam (no violation, no result).
 * A shorter outage ends nothing. And the browser's outbox report ('upload.backlog') is validated
 * and reaches the proctor's dashboard. Real SQLite, real socket.io, the test's clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { DashboardSnapshot, ExamSnapshot, LiveSession } from '../shared/protocol';
import { data, nextEvent, request, startHarness, waitUntil, type Harness } from '../testing/centre-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const LIMIT_MS = DEFAULT_PROCTORING.offlineFaultSec * 1000;
const sweeps = () => new Promise((resolve) => setTimeout(resolve, 700)); // the harness sweeps every 200 ms

async function startedExam() {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { token, sessionId, socket, snapshot };
}

describe('outage limit (rule 11)', () => {
  it('a short outage ends nothing; one past offlineFaultSec suspends the exam as a technical fault', async () => {
    expect(DEFAULT_PROCTORING.offlineFaultSec).toBeGreaterThanOrEqual(60);
    const { token, sessionId, socket } = await startedExam();
    socket.disconnect();
    await sweeps();
    h.clock.advance(LIMIT_MS - 20_000);
    await sweeps();
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    // Back before the limit: the count starts again from the next outage.
    const again = await h.candidate(token);
    await sweeps();
    again.disconnect();
    await sweeps();
    h.clock.advance(LIMIT_MS - 20_000);
    await sweeps();
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    h.clock.advance(30_000);
    await waitUntil(async () => (await h.store.getSession(sessionId))!.status === 'suspended', 5_000, 'the suspension');
    const session = (await h.store.getSession(sessionId))!;
    expect(session.result).toBeNull(); // rule 11: rescheduled, not failed
    const events = await h.store.listEvents(sessionId);
    const suspended = events.filter((e) => e.type === 'policy.suspended');
    expect(suspended).toHaveLength(1);
    expect(suspended[0]!.data).toMatchObject({ cause: 'offline', rule: '11' });
    expect(events.some((e) => e.type === 'policy.terminated' || e.type === 'policy.warning')).toBe(false);
  });

  it('a connected candidate is never suspended for an outage, however long the exam runs', async () => {
    const { sessionId } = await startedExam();
    await sweeps();
    h.clock.advance(LIMIT_MS + 60_000);
    await sweeps();
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');
  });
});

describe("the browser's backlog report", () => {
  it('is validated, logged, and shown on the live dashboard', async () => {
    const { sessionId, socket, snapshot } = await startedExam();
    const staff = await h.staff(await h.staffToken('proctor'));
    const dashboard = data(await request<DashboardSnapshot>(staff, 'dashboard:subscribe'));
    expect(dashboard.sessions.find((s) => s.sessionId === sessionId)?.backlog).toBeNull();

    const bad = await request(socket, 'event:log', {
      seq: snapshot.nextSeq,
      id: 'backlog-bad-1',
      type: 'upload.backlog',
      at: Date.now(),
      data: { items: -1, bytes: 0, chunks: 0, dropped: 0, storageFull: false },
    });
    expect('error' in bad && bad.error.code).toBe('invalid');
    const extra = await request(socket, 'event:log', {
      seq: snapshot.nextSeq,
      id: 'backlog-bad-2',
      type: 'upload.backlog',
      at: Date.now(),
      data: { items: 1, bytes: 0, chunks: 0, dropped: 0, storageFull: false, secret: 1 },
    });
    expect('error' in extra && extra.error.code).toBe('invalid');

    const update = nextEvent<LiveSession>(staff, 'session:update', (s) => s.sessionId === sessionId && s.backlog !== null);
    data(
      await request(socket, 'event:log', {
        seq: snapshot.nextSeq,
        id: 'backlog-good-1',
        type: 'upload.backlog',
        at: Date.now(),
        data: { items: 12, bytes: 2_400_000, chunks: 11, dropped: 0, storageFull: false },
      }),
    );
    const live = await update;
    expect(live.backlog).toMatchObject({ items: 12, bytes: 2_400_000, chunks: 11, storageFull: false });
    expect((await h.store.listEvents(sessionId)).filter((e) => e.type === 'upload.backlog')).toHaveLength(1);
  });
});
