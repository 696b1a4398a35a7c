/** The hash-chained event log in SQLite (rule 2.8.4: logging of suspicious events). */
import { describe, expect, it } from 'vitest';
import { findBrokenLink } from '../event-chain';
import { clientEvent, newSession, open, seeded, serverEvent, useStoreFixtures } from '../../testing/store-fixtures';

useStoreFixtures();

describe('appendEvent (rule 2.8.4: the suspicious-event log)', () => {
  it('appends client events, stores a resend once, refuses a different event under a used seq', async () => {
    const s = await seeded();
    const session = await newSession(s);
    const first = await s.store.appendEvent(session, clientEvent(1, 'evt-00000001', { type: 'device.camera', data: { state: 'on' } }));
    expect(first.kind).toBe('appended');
    if (first.kind !== 'appended') return;
    expect(first.event).toMatchObject({ sessionId: session, index: 0, seq: 1, eventId: 'evt-00000001', data: { state: 'on' } });

    const resend = await s.store.appendEvent(session, clientEvent(1, 'evt-00000001', { type: 'device.camera', data: { state: 'on' } }));
    expect(resend.kind).toBe('duplicate');
    if (resend.kind === 'duplicate') expect(resend.event).toEqual(first.event);

    const clash = await s.store.appendEvent(session, clientEvent(1, 'evt-99999999'));
    expect(clash.kind).toBe('conflict');

    const events = await s.store.listEvents(session);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual(first.event);
  });

  it('server events interleave with client events; indexes are contiguous and the chain verifies', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.appendEvent(session, serverEvent({ type: 'session.connected' }));
    await s.store.appendEvent(session, clientEvent(1, 'evt-00000001'));
    await s.store.appendEvent(session, serverEvent({ type: 'answer.saved', data: { questionId: 'q01', rev: 1 } }));
    await s.store.appendEvent(session, clientEvent(2, 'evt-00000002', { type: 'env.tab_visible' }));
    await s.store.appendEvent(session, clientEvent(2, 'evt-00000002', { type: 'env.tab_visible' })); // resend
    await s.store.appendEvent(session, clientEvent(3, 'evt-00000003', { type: 'exam.question_viewed', data: { index: 4 } }));
    await s.store.appendEvent(session, serverEvent({ type: 'exam.submitted' }));

    const events = await s.store.listEvents(session);
    expect(events.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.map((e) => [e.origin, e.type])).toEqual([
      ['server', 'session.connected'],
      ['client', 'env.tab_hidden'],
      ['server', 'answer.saved'],
      ['client', 'env.tab_visible'],
      ['client', 'exam.question_viewed'],
      ['server', 'exam.submitted'],
    ]);
    expect(findBrokenLink(events)).toBeNull();
    expect(await s.store.listEvents(session, 3)).toEqual(events.slice(4));
    expect(await s.store.countEvents(session, ['env.tab_hidden', 'env.tab_visible'])).toBe(2);
    expect(await s.store.countEvents(session, [])).toBe(0);
  });

  it('two stores on one database (two nodes) appending to one session at once keep one contiguous chain', async () => {
    const s = await seeded();
    const session = await newSession(s);
    const other = await open(s.dir);
    const writes = Array.from({ length: 60 }, (_, i) =>
      (i % 2 === 0 ? s.store : other).appendEvent(
        session,
        i % 3 === 0 ? serverEvent({ type: 'answer.saved', data: { n: i } }) : clientEvent(i + 1, `evt-${String(i + 1).padStart(8, '0')}`),
      ),
    );
    // The same client event sent to both nodes at once (a resend after a reconnection) is stored once.
    writes.push(
      s.store.appendEvent(session, clientEvent(500, 'evt-00000500')),
      other.appendEvent(session, clientEvent(500, 'evt-00000500')),
    );
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.kind === 'appended')).toHaveLength(61);
    expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(1);
    const events = await other.listEvents(session);
    expect(events.map((e) => e.index)).toEqual(Array.from({ length: 61 }, (_, i) => i));
    expect(findBrokenLink(events)).toBeNull();
  });

  it('counts the entries that need a look: leaving the window, a lost camera, a disconnection; not routine ones', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.appendEvent(session, clientEvent(1, 'evt-1aaaaaaa')); // env.tab_hidden
    await s.store.appendEvent(session, clientEvent(2, 'evt-2aaaaaaa', { type: 'device.camera', data: { state: 'on' } }));
    await s.store.appendEvent(session, clientEvent(3, 'evt-3aaaaaaa', { type: 'device.camera', data: { state: 'lost' } }));
    await s.store.appendEvent(session, serverEvent({ type: 'session.disconnected', data: { reason: 'transport close' } }));
    await s.store.appendEvent(session, serverEvent({ type: 'answer.saved', data: { questionId: 'q01' } }));
    await s.store.appendEvent(session, clientEvent(1, 'evt-1aaaaaaa')); // a resend is not counted twice
    expect(await s.store.countIncidents(session)).toBe(3);
  });

  it('each session has its own chain starting at index 0', async () => {
    const s = await seeded();
    const a = await newSession(s);
    const b = await newSession(s);
    await s.store.appendEvent(a, clientEvent(1, 'evt-aaaaaaaa'));
    await s.store.appendEvent(a, serverEvent());
    const inB = await s.store.appendEvent(b, clientEvent(1, 'evt-aaaaaaaa')); // same seq and id in another session is not a duplicate
    expect(inB.kind).toBe('appended');
    if (inB.kind === 'appended') expect(inB.event.index).toBe(0);
    expect(findBrokenLink(await s.store.listEvents(a))).toBeNull();
    expect(findBrokenLink(await s.store.listEvents(b))).toBeNull();
  });

  it("rule 14: editing a stored event behind the store's back is detected", async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.appendEvent(session, serverEvent());
    await s.store.appendEvent(session, clientEvent(1, 'evt-00000001', { type: 'env.tab_hidden' }));
    await s.store.appendEvent(session, clientEvent(2, 'evt-00000002', { type: 'device.camera', data: { state: 'lost' } }));
    await s.store.appendEvent(session, serverEvent({ type: 'exam.submitted' }));
    expect(findBrokenLink(await s.store.listEvents(session))).toBeNull();

    expect(
      await s.db.exec('UPDATE events SET data_json = ? WHERE session_id = ? AND idx = 2', JSON.stringify({ state: 'on' }), session),
    ).toBe(1);
    const events = await s.store.listEvents(session);
    expect(events[2]!.data).toEqual({ state: 'on' }); // the store reads the edit...
    expect(findBrokenLink(events)).toBe(2); // ...and the chain shows where
  });

  it('rule 14: deleting a stored row is detected', async () => {
    const s = await seeded();
    const session = await newSession(s);
    for (let i = 1; i <= 4; i++) await s.store.appendEvent(session, clientEvent(i, `evt-0000000${i}`));
    expect(await s.db.exec('DELETE FROM events WHERE session_id = ? AND idx = 1', session)).toBe(1);
    expect(findBrokenLink(await s.store.listEvents(session))).toBe(1);
  });

  it('nextClientSeq continues after the highest client seq, ignoring server events', async () => {
    const s = await seeded();
    const session = await newSession(s);
    expect(await s.store.nextClientSeq(session)).toBe(1);
    await s.store.appendEvent(session, clientEvent(1, 'evt-00000001'));
    await s.store.appendEvent(session, serverEvent());
    await s.store.appendEvent(session, serverEvent());
    expect(await s.store.nextClientSeq(session)).toBe(2);
    await s.store.appendEvent(session, clientEvent(5, 'evt-00000005'));
    expect(await s.store.nextClientSeq(session)).toBe(6);
    expect(await s.store.nextClientSeq(await newSession(s))).toBe(1);
  });
});
