/**
 * "a recording that cannot be played is a defect". The case as it was found: a second exam
 * link for the same candidate after a first finished exam, identity and room scan switched off, on a
 * loaded machine; the browser's outbox lost the run's first (header) chunk (`upload.backlog` said
 * `dropped: 1`) and the reviewer got 409 "no readable first chunk".
 *
 * Why a header chunk could be dropped: the outbox's database is one per exam link, so two pages of one
 * link (opened twice, as a new user does on a slow machine; the older page is replaced but still hands
 * over its recorder's last chunk) shared it, and both numbered their items from the same highest id. The
 * old page's late chunk took the id of the new page's first item (its run's header chunk), overwrote it
 * and, once acknowledged, deleted it: the new page found its header "gone from storage" and dropped it
 * (`dropped: 1`). Now ids start from the attaching page's clock (µs), so two pages never share one; a
 * run's header chunk is also kept in memory until acknowledged; a stored chunk that cannot be read back
 * is read again later instead of dropped; and the centre reads a run whose header chunk is missing with
 * the header of the next run.
 *
 * The browser side here is the real one (Delivery, DurableOutbox, RecordingUploads over real socket.io
 * connections to the real centre); the storage is the in-memory adapter shared by the two pages, and in
 * the first case one that fails a read once, as Chrome's IndexedDB can on a busy or full disk. Each case
 * fails without its fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CandidateConnection } from '../session/candidate-connection';
import { Delivery } from '../session/delivery';
import { memoryStorage, type OutboxStorage } from '../session/durable-outbox';
import { CURRENT_CONSENT } from '../shared/consent';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, waitUntil, type Harness } from '../testing/centre-harness';
import { PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';
import { cutIntoChunks, decodeErrors, ffmpegWebm, ffprobe, type TestChunk } from '../testing/recording-chunks';

let h: Harness;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tanu-header-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(async () => {
  await h?.close();
});

/** A storage whose reads fail `failures` times (the first reads), then work. */
function storageFailingReads(failures: number): OutboxStorage {
  const storage = memoryStorage();
  let left = failures;
  return {
    ...storage,
    get: async (id) => {
      if (left-- > 0) throw new DOMException('Failed to read large IndexedDB value', 'UnknownError');
      return storage.get(id);
    },
  };
}

/** One exam taken by the real browser delivery code: language, system check, consent, recording from consent, start, submit. */
async function examThroughDelivery(storage: OutboxStorage, chunks: TestChunk[]) {
  const { token, sessionId } = await h.issueToken();
  let snapshot: ExamSnapshot | null = null;
  let conn: CandidateConnection | null = null;
  const backlog: number[] = [];
  const delivery = new Delivery({
    connection: () => conn,
    examStatus: () => snapshot?.status ?? null,
    consented: () => snapshot?.prestart.consent != null,
    answerSaved: () => undefined,
    closed: () => undefined,
    status: (s) => backlog.push(s.kinds.chunk.dropped),
  });
  await delivery.box.attach(storage);
  conn = new CandidateConnection(
    token,
    {
      status: () => undefined,
      state: (s) => (snapshot = s),
      replaced: () => undefined,
      refused: () => undefined,
      connected: () =>
        void conn!.request('exam:resume').then(async (s) => {
          snapshot = s;
          await delivery.syncRecording();
          await delivery.flush();
        }),
    },
    `${h.url}/candidate`,
  );
  await waitUntil(() => conn!.connected, 5_000, 'the candidate connected');
  snapshot = await conn.request('exam:choose-language', { language: 'kk' });
  snapshot = await conn.request('exam:system-check', PASSING_SYSTEM_CHECK);
  snapshot = await conn.request('exam:consent', {
    version: CURRENT_CONSENT.version,
    textSha256: CURRENT_CONSENT.sha256.kk,
    language: 'kk',
  });
  expect(snapshot.proctoring.config.steps).toMatchObject({ identity: false, roomScan: false });
  await waitUntil(async () => (await conn!.request('recording:status')).nextSeq > 0, 5_000, 'recording status');
  await delivery.syncRecording();
  // The recorder hands over its run from consent on: the header chunk first.
  for (const [i, c] of chunks.entries()) {
    await delivery.queueChunk({
      bytes: Uint8Array.from(c.bytes),
      startedAt: c.startedAt,
      durationMs: c.durationMs,
      mime: c.mime,
      runStart: i === 0,
    });
  }
  snapshot = await conn.request('exam:start');
  await delivery.flush();
  await waitUntil(
    async () => {
      await delivery.flush();
      return delivery.box.status().kinds.chunk.items === 0;
    },
    15_000,
    'the recording backlog drained',
  );
  snapshot = await conn.request('exam:submit');
  const status = delivery.box.status();
  delivery.close();
  conn.close();
  return { sessionId, dropped: status.kinds.chunk.dropped, sent: status.kinds.chunk.sent };
}

async function download(sessionId: string) {
  const reviewer = await h.staffToken('reviewer');
  const res = await fetch(`${h.url}/api/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${reviewer}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('a recording whose header chunk is at risk', () => {
  it('second link for the same candidate after a finished exam, identity and room scan off: the header chunk survives a failed local read and the recording plays', async () => {
    h = await startHarness();
    await h.setSteps({ identity: false, roomScan: false });
    const first = await examThroughDelivery(memoryStorage(), cutIntoChunks(ffmpegWebm(3), 3, { seconds: 3 }));
    expect((await download(first.sessionId)).status).toBe(200);

    // The second link, same candidate; the first read of the outbox (the header chunk) fails once.
    const chunks = cutIntoChunks(ffmpegWebm(6, { tone: 660 }), 6, { seconds: 6 });
    const second = await examThroughDelivery(storageFailingReads(1), chunks);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second).toMatchObject({ dropped: 0, sent: 6 });
    const rows = await h.store.listRecordingChunks(second.sessionId);
    expect(rows.map((r) => `${r.seq}${r.header ? 'H' : ''}`)).toEqual(['1H', '2', '3', '4', '5', '6']);
    const { status, body } = await download(second.sessionId);
    expect(status).toBe(200);
    const file = path.join(tmp, 'second.webm');
    writeFileSync(file, body);
    expect(ffprobe(file).durationS).toBeGreaterThan(5.5);
    expect(decodeErrors(file)).toBe('');
  });

  it("the link opened twice: the replaced page's last chunk never overwrites the new page's chunks in their shared storage", async () => {
    h = await startHarness();
    await h.setSteps({ identity: false, roomScan: false });
    const { token, sessionId } = await h.issueToken();
    const shared = memoryStorage(); // one IndexedDB database per exam session: both tabs of this link open it
    let snapshot: ExamSnapshot | null = null;
    const page = (connection: () => CandidateConnection | null) =>
      new Delivery({
        connection,
        examStatus: () => snapshot?.status ?? null,
        consented: () => snapshot?.prestart.consent != null,
        answerSaved: () => undefined,
        closed: () => undefined,
        status: () => undefined,
      });
    const connect = (delivery: Delivery, replaced: () => void) => {
      const conn: CandidateConnection = new CandidateConnection(
        token,
        {
          status: () => undefined,
          state: (st) => (snapshot = st),
          replaced,
          refused: () => undefined,
          connected: () =>
            void conn.request('exam:resume').then(async (st) => {
              snapshot = st;
              await delivery.syncRecording();
              await delivery.flush();
            }),
        },
        `${h.url}/candidate`,
      );
      return conn;
    };
    let clock = Date.now();
    const realNow = Date.now;
    try {
      Date.now = () => clock; // page B opens a few seconds after page A
      let connA: CandidateConnection | null = null;
      const a = page(() => connA);
      await a.box.attach(shared);
      connA = connect(a, () => undefined);
      await waitUntil(() => connA!.connected, 5_000, 'page A connected');
      snapshot = await connA.request('exam:choose-language', { language: 'ru' });
      snapshot = await connA.request('exam:system-check', PASSING_SYSTEM_CHECK);
      snapshot = await connA.request('exam:consent', {
        version: CURRENT_CONSENT.version,
        textSha256: CURRENT_CONSENT.sha256.ru,
        language: 'ru',
      });
      const runA = cutIntoChunks(ffmpegWebm(3), 3, { seconds: 3 });
      await a.box.add(
        'chunk',
        {
          sha256: runA[0]!.sha256,
          bytes: Uint8Array.from(runA[0]!.bytes),
          startedAt: runA[0]!.startedAt,
          durationMs: runA[0]!.durationMs,
          mime: runA[0]!.mime,
        },
        10,
        { pinned: true },
      ).stored;

      clock += 5_000;
      let connB: CandidateConnection | null = null;
      const b = page(() => connB);
      await b.box.attach(shared);
      connB = connect(b, () => undefined); // page A is told it was replaced
      await waitUntil(() => connB!.connected && !connA!.connected, 5_000, 'page B took over');
      const runB = cutIntoChunks(ffmpegWebm(4, { tone: 660 }), 4, { seconds: 4 });
      for (const [i, c] of runB.entries())
        await b.queueChunk({
          bytes: Uint8Array.from(c.bytes),
          startedAt: c.startedAt,
          durationMs: c.durationMs,
          mime: c.mime,
          runStart: i === 0,
        });
      // Page A's recorder stops and hands over its last two chunks: into the same storage, never onto B's items.
      for (const c of runA.slice(1))
        await a.box.add(
          'chunk',
          { sha256: c.sha256, bytes: Uint8Array.from(c.bytes), startedAt: c.startedAt, durationMs: c.durationMs, mime: c.mime },
          10,
        ).stored;
      await waitUntil(
        async () => {
          await b.flush();
          return b.box.status().kinds.chunk.items === 0;
        },
        15_000,
        'page B drained',
      );
      const stored = new Set((await h.store.listRecordingChunks(sessionId)).map((r) => r.sha256));
      expect(runB.filter((c) => !stored.has(c.sha256)).map((c) => c.seq)).toEqual([]);
      expect(b.box.status().kinds.chunk.dropped).toBe(0);
      a.close();
      b.close();
      connA.close();
      connB.close();
    } finally {
      Date.now = realNow;
    }
  });

  it("a run whose header chunk never reached the centre is read with the next run's header (after a reload), not refused", async () => {
    h = await startHarness();
    await h.setSteps({ identity: false, roomScan: false });
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'ru' }));
    await h.passPrestart(socket);
    data(await request(socket, 'exam:start'));
    const t0 = Date.now();
    // Run 1: 8 s cut into 8 chunks; its header chunk (seq 1) is lost. Run 2 (a reload) starts 10 s later with its own header.
    const run1 = cutIntoChunks(ffmpegWebm(8), 8, { seconds: 8, startedAt: t0 });
    const run2 = cutIntoChunks(ffmpegWebm(4, { tone: 660 }), 4, { seconds: 4, firstSeq: 9, startedAt: t0 + 10_000 });
    for (const c of [...run1.slice(1), ...run2]) data(await request(socket, 'recording:chunk', c));
    const { status, body } = await download(sessionId);
    expect(status).toBe(200);
    const file = path.join(tmp, 'orphan.webm');
    writeFileSync(file, body);
    // Run 1 from its first whole cluster after the lost chunk (about 6 of its 8 s), then run 2's 4 s.
    const duration = ffprobe(file).durationS;
    expect(duration).toBeGreaterThan(9);
    expect(decodeErrors(file)).toBe('');
    // Only one run and no header anywhere: still nothing to play (and said so), never a crash.
    const lone = await h.issueToken();
    const s2 = await h.candidate(lone.token);
    data(await request(s2, 'exam:choose-language', { language: 'ru' }));
    await h.passPrestart(s2);
    data(await request(s2, 'exam:start'));
    for (const c of run1.slice(1)) data(await request(s2, 'recording:chunk', c));
    expect((await download(lone.sessionId)).status).toBe(409);
  });
});
