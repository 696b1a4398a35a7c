/**
 * The durable outbox's queue logic over an in-memory storage (the IndexedDB adapter is exercised
 * in the real browser by e2e/lossless.e2e.ts): order per kind, delete only after the ack, survive
 * a "reload" (a new outbox over the same storage), refusals dropped and counted, storage failures reported.
 */
import { describe, expect, it } from 'vitest';
import { DurableOutbox, memoryStorage, retryDelayMs, type OutboxItem, type OutboxStorage } from './durable-outbox';
import { EventOutbox } from './event-outbox';
import { MAX_RECORDING_CHUNK_BYTES } from '../shared/protocol';
import { MAX_CHUNK_BYTES, RecordingUploads, splitChunk } from './recording-uploads';

const refuse = (code: string) => Object.assign(new Error(code), { code });
const failureOf = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === 'invalid' ? 'drop' : code === 'closed' ? 'stop' : 'retry';
};

describe('DurableOutbox', () => {
  it('sends each kind in order and deletes an item from storage only after its ack', async () => {
    const storage = memoryStorage();
    const box = await DurableOutbox.open(storage);
    box.add('answer', 'a1');
    box.add('event', 'e1');
    box.add('answer', 'a2');
    const seenInStorage: number[] = [];
    const sent: string[] = [];
    await box.drain<string>(
      'answer',
      async (p) => {
        seenInStorage.push(storage.items.size); // still there while the send is on its way
        sent.push(p);
      },
      failureOf,
    );
    expect(sent).toEqual(['a1', 'a2']);
    expect(seenInStorage).toEqual([3, 2]);
    expect([...storage.items.values()].map((i) => i.payload)).toEqual(['e1']);
    expect(box.status().kinds.answer).toMatchObject({ items: 0, sent: 2, dropped: 0 });
  });

  it('a failed send keeps the item and everything after it, for the next drain', async () => {
    const box = await DurableOutbox.open(memoryStorage());
    for (const p of ['c1', 'c2', 'c3']) box.add('chunk', p, 100);
    let online = true;
    const sent: string[] = [];
    const send = async (p: string) => {
      if (!online || p === 'c2') {
        online = false;
        throw refuse('timeout');
      }
      sent.push(p);
    };
    expect(await box.drain('chunk', send, failureOf)).toBe(false);
    expect(sent).toEqual(['c1']);
    expect(box.status().kinds.chunk).toMatchObject({ items: 2, bytes: 200 });
    online = true;
    expect(await box.drain<string>('chunk', async (p) => void sent.push(p), failureOf)).toBe(true);
    expect(sent).toEqual(['c1', 'c2', 'c3']);
  });

  it('a new page over the same storage carries on where the last one stopped, older items first', async () => {
    const storage = memoryStorage();
    const first = new DurableOutbox();
    first.add('answer', 'before-attach');
    await first.attach(storage);
    first.add('answer', 'after-attach');
    await first.drain(
      'answer',
      async () => {
        throw refuse('offline');
      },
      failureOf,
    );

    // The reload: a fresh outbox queues at once, then attaches to the storage the old page left.
    const second = new DurableOutbox();
    second.add('answer', 'new-page');
    await second.attach(storage);
    expect(second.pending<string>('answer').map((i) => i.payload)).toEqual(['before-attach', 'after-attach', 'new-page']);
    const ids = second.pending('answer').map((i) => i.id);
    expect(new Set(ids).size).toBe(3);
    const sent: string[] = [];
    await second.drain<string>('answer', async (p) => void sent.push(p), failureOf);
    expect(sent).toEqual(['before-attach', 'after-attach', 'new-page']);
    expect(storage.items.size).toBe(0);
  });

  it('nothing is sent before the outbox has its storage', async () => {
    const box = new DurableOutbox();
    box.add('event', 'e1');
    const sent: string[] = [];
    const draining = box.drain<string>('event', async (p) => void sent.push(p), failureOf);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toEqual([]);
    await box.attach(memoryStorage());
    await draining;
    expect(sent).toEqual(['e1']);
  });

  it("'invalid' drops and counts the item; 'closed' stops and keeps it", async () => {
    const box = await DurableOutbox.open(memoryStorage());
    box.add('evidence', 'bad');
    box.add('evidence', 'good');
    box.add('answer', 'late');
    const sent: string[] = [];
    await box.drain<string>(
      'evidence',
      async (p) => {
        if (p === 'bad') throw refuse('invalid');
        sent.push(p);
      },
      failureOf,
    );
    expect(sent).toEqual(['good']);
    expect(box.status().kinds.evidence).toMatchObject({ items: 0, dropped: 1, sent: 1 });
    expect(
      await box.drain(
        'answer',
        async () => {
          throw refuse('closed');
        },
        failureOf,
      ),
    ).toBe(false);
    expect(box.status().kinds.answer).toMatchObject({ items: 1, dropped: 0 });
  });

  it('a storage that refuses writes (quota) is reported, and the items stay in memory to be sent', async () => {
    const full: OutboxStorage = {
      load: async () => [],
      get: async () => undefined,
      put: async () => {
        throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
      },
      delete: async () => undefined,
    };
    const box = await DurableOutbox.open(full);
    const statuses: Array<string | null> = [];
    box.subscribe((s) => statuses.push(s.storageError));
    box.add('chunk', 'c1', 10);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(box.status().storageError).toBe('quota');
    expect(statuses).toContain('quota');
    const sent: string[] = [];
    await box.drain<string>('chunk', async (p) => void sent.push(p), failureOf);
    expect(sent).toEqual(['c1']);
  });

  it('recording chunks leave memory once stored and are read back for their send', async () => {
    const storage = memoryStorage();
    const box = new DurableOutbox(() => 0, new Set(['chunk']));
    await box.attach(storage);
    const big = new Uint8Array(1_000).fill(7);
    const { stored } = box.add('chunk', { seq: 1, bytes: big }, big.byteLength);
    box.add('answer', 'a1');
    await stored;
    expect(box.pending('chunk')[0]!.payload).toBeNull(); // only in storage now
    expect(box.pending<string>('answer')[0]!.payload).toBe('a1'); // small kinds stay in memory
    expect(box.status().kinds.chunk.bytes).toBe(1_000);
    const sent: Array<{ seq: number; bytes: Uint8Array }> = [];
    await box.drain<{ seq: number; bytes: Uint8Array }>('chunk', async (p) => void sent.push(p), failureOf);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.bytes).toEqual(big);

    // A chunk whose stored copy vanished (site data cleared) is dropped and counted, not sent empty.
    const gone = box.add('chunk', { seq: 2, bytes: big }, 1_000);
    await gone.stored;
    storage.items.delete(gone.id);
    await box.drain('chunk', async (p) => void sent.push(p as never), failureOf);
    expect(sent).toHaveLength(1);
    expect(box.status().kinds.chunk).toMatchObject({ items: 0, dropped: 1 });
  });

  it('a stored copy that cannot be read back (busy or full disk) is read again on the next drain, never dropped', async () => {
    const storage = memoryStorage();
    let failReads = 1;
    const flaky: OutboxStorage = {
      ...storage,
      get: async (id) =>
        failReads-- > 0 ? Promise.reject(new DOMException('Failed to read large IndexedDB value', 'UnknownError')) : storage.get(id),
    };
    const box = new DurableOutbox(() => 0, new Set(['chunk']));
    await box.attach(flaky);
    const big = new Uint8Array(1_000).fill(9);
    await box.add('chunk', { seq: 1, bytes: big }, 1_000).stored;
    const sent: Uint8Array[] = [];
    expect(await box.drain<{ bytes: Uint8Array }>('chunk', async (p) => void sent.push(p.bytes), failureOf)).toBe(false);
    expect(box.status().kinds.chunk).toMatchObject({ items: 1, dropped: 0 });
    expect(await box.drain<{ bytes: Uint8Array }>('chunk', async (p) => void sent.push(p.bytes), failureOf)).toBe(true);
    expect(sent).toEqual([big]);
    expect(box.status().kinds.chunk).toMatchObject({ items: 0, dropped: 0, sent: 1 });
  });

  it("a pinned item (a run's header chunk) stays in memory until its ack, so a lost stored copy does not lose it", async () => {
    const storage = memoryStorage();
    const box = new DurableOutbox(() => 0, new Set(['chunk']));
    await box.attach(storage);
    const header = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]);
    const pinned = box.add('chunk', { bytes: header }, header.byteLength, { pinned: true });
    const other = box.add('chunk', { bytes: new Uint8Array(5) }, 5);
    await Promise.all([pinned.stored, other.stored]);
    expect(storage.items.get(pinned.id)?.payload).toEqual({ bytes: header }); // stored as well: a reload keeps it
    expect(box.pending('chunk').map((i) => i.payload === null)).toEqual([false, true]);
    storage.items.delete(pinned.id); // the stored copy is gone (evicted, cleared)
    const sent: Uint8Array[] = [];
    await box.drain<{ bytes: Uint8Array }>('chunk', async (p) => void sent.push(p.bytes), failureOf);
    expect(sent[0]).toEqual(header);
    expect(box.status().kinds.chunk).toMatchObject({ dropped: 0, sent: 2 });
    // A new page over the same storage keeps a pinned item in memory too.
    const again = box.add('chunk', { bytes: header }, header.byteLength, { pinned: true });
    await again.stored;
    const reopened = new DurableOutbox(() => 0, new Set(['chunk']));
    await reopened.attach(storage);
    expect(reopened.pending<{ bytes: Uint8Array }>('chunk')[0]!.payload.bytes).toEqual(header);
  });

  it("two pages of one exam over the same storage never overwrite or delete each other's items", async () => {
    const storage = memoryStorage();
    let clock = 1_750_000_000_000;
    const a = new DurableOutbox(() => clock, new Set(['chunk']));
    await a.attach(storage);
    for (const n of [1, 2, 3]) await a.add('chunk', { from: 'A', n }, 10).stored;
    clock += 5_000; // the link opened again in another tab: page B
    const b = new DurableOutbox(() => clock, new Set(['chunk']));
    await b.attach(storage);
    await b.add('chunk', { from: 'B', n: 1 }, 10, { pinned: true }).stored;
    await b.add('chunk', { from: 'B', n: 2 }, 10).stored;
    // Page A, replaced, still hands over its recorder's last chunk, and gets its earlier ones acknowledged.
    await a.add('chunk', { from: 'A', n: 4 }, 10).stored;
    await a.add('chunk', { from: 'A', n: 5 }, 10).stored;
    const sentByA: unknown[] = [];
    await a.drain('chunk', async (p) => void sentByA.push(p), failureOf);
    expect(sentByA).toEqual([1, 2, 3, 4, 5].map((n) => ({ from: 'A', n })));
    const sentByB: unknown[] = [];
    await b.drain('chunk', async (p) => void sentByB.push(p), failureOf);
    // B's own chunks go whole and in order (A's, already sent and removed by A, are gone from the storage: not B's to send).
    expect(sentByB.filter((p) => (p as { from: string }).from === 'B')).toEqual([
      { from: 'B', n: 1 },
      { from: 'B', n: 2 },
    ]);
    expect(storage.items.size).toBe(0);
  });

  it('retries back off from 1 s to at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('events over a reload', () => {
  it('an event numbered and sent before a reload is resent with the same seq and id by the next page', async () => {
    const storage = memoryStorage();
    const box1 = new DurableOutbox();
    await box1.attach(storage);
    const page1 = new EventOutbox(() => 1_000, box1);
    page1.setNextSeq(7);
    page1.push('env.tab_hidden');
    const attempts: Array<[number, string]> = [];
    await page1.drain(async (e) => {
      attempts.push([e.seq, e.id]);
      throw refuse('timeout'); // the centre may have stored it; the ack was lost
    });
    const stored = [...storage.items.values()] as Array<OutboxItem<{ seq?: number }>>;
    expect(stored[0]!.payload.seq).toBe(7); // numbered in storage before the send

    const box2 = new DurableOutbox();
    await box2.attach(storage);
    const page2 = new EventOutbox(() => 2_000, box2);
    page2.setNextSeq(8); // the centre stored #7 before the ack was lost
    page2.push('env.tab_visible');
    await page2.drain(async (e) => void attempts.push([e.seq, e.id]));
    expect(attempts.map(([seq]) => seq)).toEqual([7, 7, 8]);
    expect(attempts[1]![1]).toBe(attempts[0]![1]);
  });
});

describe('recording chunks', () => {
  const bytes = (n: number) => new Uint8Array(Array.from({ length: n }, (_, i) => i % 251));

  it("the browser's chunk limit is the centre's", () => {
    expect(MAX_CHUNK_BYTES).toBe(MAX_RECORDING_CHUNK_BYTES);
  });

  it('a chunk over the limit is cut into pieces under it, bytes and time shared out without loss', () => {
    const chunk = { bytes: bytes(25), startedAt: 1_000, durationMs: 3_000, mime: 'video/webm' };
    const pieces = splitChunk(chunk, 10);
    expect(pieces.map((p) => p.bytes.byteLength)).toEqual([10, 10, 5]);
    expect(Buffer.concat(pieces.map((p) => p.bytes))).toEqual(Buffer.from(chunk.bytes));
    expect(pieces.map((p) => p.startedAt)).toEqual([1_000, 2_200, 3_400]);
    expect(pieces.reduce((n, p) => n + p.durationMs, 0)).toBe(3_000);
    expect(splitChunk(chunk, 25)).toEqual([chunk]);
  });

  it("are numbered from the centre's next seq at send time, and a conflict renumbers", async () => {
    const box = await DurableOutbox.open(memoryStorage());
    const uploads = new RecordingUploads(box);
    const rec = (n: number) => ({ bytes: bytes(n), startedAt: 0, durationMs: 3_000, mime: 'video/webm', runStart: false });
    const hashes = [...(await uploads.add(rec(5))), ...(await uploads.add(rec(6)))];
    expect(hashes).toHaveLength(2);
    const sent: Array<[number, string]> = [];
    // Before recording:status told the next seq, nothing goes.
    await uploads.drain(
      async (c) => void sent.push([c.seq, c.sha256]),
      () => 'retry',
    );
    expect(sent).toEqual([]);
    uploads.setNextSeq(4);
    let conflicted = false;
    await uploads.drain(
      async (c) => {
        if (!conflicted) {
          conflicted = true;
          throw refuse('conflict');
        }
        sent.push([c.seq, c.sha256]);
      },
      (err) => ((err as { code: string }).code === 'conflict' ? 'renumber' : 'retry'),
    );
    expect(sent).toEqual([
      [5, hashes[0]],
      [6, hashes[1]],
    ]);
  });

  it("a run's header piece is pinned in memory, the pieces after it are not", async () => {
    const storage = memoryStorage();
    const box = new DurableOutbox(() => 0, new Set(['chunk']));
    await box.attach(storage);
    const uploads = new RecordingUploads(box);
    const head = new Uint8Array(MAX_CHUNK_BYTES + 10).fill(3);
    head.set([0x1a, 0x45, 0xdf, 0xa3]);
    await uploads.add({ bytes: head, startedAt: 0, durationMs: 3_000, mime: 'video/webm', runStart: true });
    await uploads.add({ bytes: bytes(5), startedAt: 3_000, durationMs: 3_000, mime: 'video/webm', runStart: false });
    expect([...storage.items.values()].map((i) => i.pinned === true)).toEqual([true, false, false]);
    expect(box.pending('chunk').map((i) => i.payload !== null)).toEqual([true, false, false]);
  });

  it('wait while the exam has not started', async () => {
    const box = await DurableOutbox.open(memoryStorage());
    const uploads = new RecordingUploads(box);
    await uploads.add({ bytes: bytes(5), startedAt: 0, durationMs: 3_000, mime: 'video/webm', runStart: true });
    uploads.setNextSeq(1);
    const sent: number[] = [];
    expect(
      await uploads.drain(
        async (c) => void sent.push(c.seq),
        () => 'retry',
        () => false,
      ),
    ).toBe(false);
    expect(sent).toEqual([]);
    await uploads.drain(
      async (c) => void sent.push(c.seq),
      () => 'retry',
      () => true,
    );
    expect(sent).toEqual([1]);
  });
});
