import { describe, expect, it } from 'vitest';
import { clientEventSchema, type ClientEvent } from '../shared/protocol';
import { EventOutbox } from './event-outbox';

/** A real async send that records every attempt and fails while `online` is false or for chosen seqs. */
function recorder() {
  const attempts: ClientEvent[] = [];
  const failSeqs = new Set<number>();
  const send = async (e: ClientEvent) => {
    attempts.push(structuredClone(e));
    if (failSeqs.has(e.seq)) {
      failSeqs.delete(e.seq); // fails once, succeeds on the retry
      throw new Error('offline');
    }
    return { data: { seq: e.seq, duplicate: false } };
  };
  return { attempts, send, failOnce: (seq: number) => void failSeqs.add(seq) };
}

describe('EventOutbox', () => {
  it('sends nothing before the server told the next sequence number', async () => {
    const box = new EventOutbox(() => 5);
    const r = recorder();
    box.push('env.tab_hidden');
    box.push('env.tab_visible');
    await box.drain(r.send);
    expect(r.attempts).toEqual([]);
    expect(box.size).toBe(2);
  });

  it('sends in push order with consecutive seq starting at nextSeq, then empties', async () => {
    let t = 1_000;
    const box = new EventOutbox(() => t++);
    const r = recorder();
    box.push('device.camera', { state: 'on' });
    box.push('env.tab_hidden');
    box.push('exam.question_viewed', { index: 3 });
    box.setNextSeq(7);
    await box.drain(r.send);
    expect(r.attempts.map((e) => [e.seq, e.type])).toEqual([
      [7, 'device.camera'],
      [8, 'env.tab_hidden'],
      [9, 'exam.question_viewed'],
    ]);
    expect(r.attempts.map((e) => e.at)).toEqual([1_000, 1_001, 1_002]);
    expect(r.attempts[0]!.data).toEqual({ state: 'on' });
    expect('data' in r.attempts[1]!).toBe(false);
    expect(new Set(r.attempts.map((e) => e.id)).size).toBe(3);
    expect(box.size).toBe(0);
  });

  it('produces events the server schema accepts', async () => {
    const box = new EventOutbox(() => 1_700_000_000_000);
    const r = recorder();
    box.setNextSeq(1);
    box.push('device.mic', { state: 'lost' });
    box.push('env.focus_lost');
    await box.drain(r.send);
    for (const e of r.attempts) expect(clientEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
  });

  it('numbering continues after a drain: later pushes get the next seq', async () => {
    const box = new EventOutbox();
    const r = recorder();
    box.setNextSeq(1);
    box.push('env.focus_lost');
    await box.drain(r.send);
    box.push('env.focus_back');
    await box.drain(r.send);
    expect(r.attempts.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('a failed send keeps that event and the rest; the retry uses the SAME seq and id', async () => {
    const box = new EventOutbox();
    const r = recorder();
    box.setNextSeq(10);
    box.push('env.tab_hidden');
    box.push('env.tab_visible');
    box.push('env.focus_lost');
    r.failOnce(11);

    await box.drain(r.send); // #10 is acknowledged, #11 fails, #12 is not tried
    expect(r.attempts.map((e) => [e.seq, e.type])).toEqual([
      [10, 'env.tab_hidden'],
      [11, 'env.tab_visible'],
    ]);
    expect(box.size).toBe(2);

    await box.drain(r.send); // after the reconnect
    expect(r.attempts.map((e) => [e.seq, e.type])).toEqual([
      [10, 'env.tab_hidden'],
      [11, 'env.tab_visible'],
      [11, 'env.tab_visible'],
      [12, 'env.focus_lost'],
    ]);
    expect(r.attempts[2]).toEqual(r.attempts[1]); // same seq, id, type, at: the server sees a duplicate, not a new event
    expect(box.size).toBe(0);
  });

  it('a failure on the very first event sends nothing else and keeps everything', async () => {
    const box = new EventOutbox();
    const r = recorder();
    box.setNextSeq(1);
    box.push('env.fullscreen_exit');
    box.push('env.fullscreen_enter');
    r.failOnce(1);
    await box.drain(r.send);
    expect(r.attempts.map((e) => e.seq)).toEqual([1]);
    expect(box.size).toBe(2);
    await box.drain(r.send);
    expect(r.attempts.map((e) => e.seq)).toEqual([1, 1, 2]);
    expect(r.attempts[1]!.id).toBe(r.attempts[0]!.id);
  });

  it('a snapshot arriving after a failure does not renumber the event already numbered', async () => {
    const box = new EventOutbox();
    const r = recorder();
    box.setNextSeq(5);
    box.push('env.tab_hidden');
    box.push('env.tab_visible');
    r.failOnce(5);
    await box.drain(r.send);
    // The server may have stored #5 before the ack was lost: the reconnect snapshot says next is 6.
    box.setNextSeq(6);
    await box.drain(r.send);
    expect(r.attempts.map((e) => [e.seq, e.type])).toEqual([
      [5, 'env.tab_hidden'],
      [5, 'env.tab_hidden'],
      [6, 'env.tab_visible'],
    ]);
  });

  it('setNextSeq never moves backwards', async () => {
    const box = new EventOutbox();
    const r = recorder();
    box.setNextSeq(10);
    box.setNextSeq(3); // a stale snapshot
    box.push('env.focus_lost');
    await box.drain(r.send);
    box.setNextSeq(10); // stale again: 10 is already used
    box.push('env.focus_back');
    await box.drain(r.send);
    box.setNextSeq(20); // forwards is fine
    box.push('env.focus_lost');
    await box.drain(r.send);
    expect(r.attempts.map((e) => e.seq)).toEqual([10, 11, 20]);
  });

  it('a second drain while one is running sends nothing twice', async () => {
    const box = new EventOutbox();
    const attempts: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSend = async (e: ClientEvent) => {
      attempts.push(e.seq);
      await gate;
    };
    box.setNextSeq(1);
    box.push('env.tab_hidden');
    box.push('env.tab_visible');
    const first = box.drain(slowSend);
    const second = box.drain(slowSend);
    expect(await second).toBe(false); // returned at once: the first drain owns the queue
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(attempts).toEqual([1]);
    release();
    await first;
    expect(attempts).toEqual([1, 2]);
    expect(box.size).toBe(0);
  });
});

describe('EventOutbox refusals', () => {
  const refuse = (code: string) => Object.assign(new Error(code), { code });
  const action = (err: unknown) =>
    ((err as { code: string }).code === 'conflict' ? 'renumber' : (err as { code: string }).code === 'invalid' ? 'drop' : 'retry') as
      'renumber' | 'drop' | 'retry';

  it('a seq the server already holds for another event is renumbered, keeping the id and the order', async () => {
    const outbox = new EventOutbox(() => 5);
    outbox.setNextSeq(10);
    outbox.push('env.focus_lost');
    outbox.push('env.focus_back');
    const seen: Array<{ seq: number; type: string; id: string }> = [];
    let refused = false;
    await outbox.drain(async (e) => {
      seen.push({ seq: e.seq, type: e.type, id: e.id });
      if (!refused) {
        refused = true;
        throw refuse('conflict');
      }
    }, action);
    expect(seen.map((e) => [e.seq, e.type])).toEqual([
      [10, 'env.focus_lost'],
      [11, 'env.focus_lost'],
      [12, 'env.focus_back'],
    ]);
    expect(seen[0]!.id).toBe(seen[1]!.id);
    expect(outbox.size).toBe(0);
  });

  it('an event the server can never accept is dropped and counted instead of blocking the queue', async () => {
    const outbox = new EventOutbox(() => 5);
    outbox.setNextSeq(1);
    outbox.push('env.focus_lost');
    outbox.push('env.focus_back');
    const sent: string[] = [];
    await outbox.drain(async (e) => {
      if (e.type === 'env.focus_lost') throw refuse('invalid');
      sent.push(e.type);
    }, action);
    expect(sent).toEqual(['env.focus_back']);
    expect(outbox.dropped).toBe(1);
    expect(outbox.size).toBe(0);
  });

  it('without a classifier every failure is a retry (the old behaviour)', async () => {
    const outbox = new EventOutbox(() => 5);
    outbox.setNextSeq(1);
    outbox.push('env.focus_lost');
    await outbox.drain(async () => {
      throw refuse('invalid');
    });
    expect(outbox.size).toBe(1);
    expect(outbox.dropped).toBe(0);
  });
});
