/**
 * The browser's delivery at the exam's end, against a real centre: the centre takes
 * no event after the end, so whatever the browser logs must reach it before the submit, and a report
 * logged as the last pass of a drain (the backlog cleared) must still be sent when nothing else comes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot, SessionStatus } from '../shared/protocol';
import { data, request, startHarness, waitUntil, type Harness } from '../testing/centre-harness';
import { CandidateConnection } from './candidate-connection';
import { Delivery } from './delivery';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function connectedDelivery(harness: Harness, opts: { connectNow: boolean }) {
  const { token, sessionId } = await harness.issueToken();
  const socket = await harness.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await harness.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  socket.close(); // the browser's own connection takes over
  let connection: CandidateConnection | null = null;
  let status: SessionStatus = 'in_progress';
  const delivery = new Delivery({
    connection: () => connection,
    examStatus: () => status,
    consented: () => true,
    answerSaved: () => undefined,
    closed: () => undefined,
    status: () => undefined,
  });
  await delivery.open(`end-${sessionId}`);
  delivery.events.setNextSeq(snap.nextSeq);
  const connect = () =>
    new Promise<void>((resolve) => {
      connection = new CandidateConnection(
        token,
        {
          status: () => undefined,
          state: () => undefined,
          replaced: () => undefined,
          refused: () => undefined,
          connected: () => resolve(),
        },
        `${harness.url}/candidate`,
      );
    });
  if (opts.connectNow) await connect();
  const events = async () => (await harness.store.listEvents(sessionId)).filter((e) => e.origin === 'client');
  return {
    delivery,
    connect,
    events,
    sessionId,
    questions: snap.questions,
    conn: () => connection!,
    setStatus: (s: SessionStatus) => (status = s),
  };
}

describe('delivery at the end of the exam', () => {
  it('the report that the backlog cleared, logged by the last pass, is sent without anything else to trigger it', async () => {
    h = await startHarness();
    const d = await connectedDelivery(h, { connectNow: false });
    // Offline: five answers wait (a notable backlog).
    d.questions.slice(0, 5).forEach((q, i) => d.delivery.queueAnswer({ questionId: q.id, optionIds: [q.options[0]!.id], rev: i + 1 }));
    await d.connect();
    await d.delivery.flush();
    await waitUntil(async () => d.delivery.box.status().items === 0, 10_000, 'the outbox to empty by itself').catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(d.delivery.box.status())}`);
    });
    const reports = (await d.events()).filter((e) => e.type === 'upload.backlog').map((e) => e.data as { items: number });
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports[0]!.items).toBe(5);
    expect(reports[reports.length - 1]!.items).toBe(0);
    d.delivery.close();
  }, 30_000);

  it('events logged just before the submit reach the centre first; nothing is logged after the end, so nothing is refused', async () => {
    h = await startHarness();
    const d = await connectedDelivery(h, { connectNow: true });
    for (let i = 0; i < 40; i++) d.delivery.logEvent('env.focus_lost');
    await d.delivery.settleBeforeSubmit();
    expect((await d.conn().request('exam:submit')).status).toBe('submitted');
    d.setStatus('submitted');
    d.delivery.submitDone();
    await d.delivery.flush();
    expect((await d.events()).filter((e) => e.type === 'env.focus_lost')).toHaveLength(40);
    const s = d.delivery.box.status();
    expect(s.kinds.event.items).toBe(0);
    expect(s.kinds.event.dropped).toBe(0);
    d.delivery.close();
  }, 30_000);
});
