/**
 * Issue 12: "a recording that cannot be played is a defect". The case as it was found: a second exam
 * link for the same candidate after a first finished exam, identity and room scan switched off, on a
 * loaded machine; the browser's outbox lost the run's first (header) chunk (`upload.backlog` said
 * `dropped: 1`) and the reviewer got 409 "no readable first chunk".
 *
 * The browser side here is the real one (Delivery, DurableOutbox, RecordingUploads over a real
 * socket.io connection to the real centre); its local storage is the in-memory adapter with one read
 * that fails, as Chrome's IndexedDB can fail to read a large value back on a busy or full disk. Before
 * the fix that read dropped the header chunk for good; now the header is kept in memory until the
 * centre acknowledged it and a failed read is retried. The centre side: a run whose header chunk is
 * missing anyway (never reached the centre) is read with the header of the next run.
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
  conn = new CandidateConnection(token, {
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
  }, `${h.url}/candidate`);
  await waitUntil(() => conn!.connected, 5_000, 'the candidate connected');
  snapshot = await conn.request('exam:choose-language', { language: 'kk' });
  snapshot = await conn.request('exam:system-check', PASSING_SYSTEM_CHECK);
  snapshot = await conn.request('exam:consent', { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256.kk, language: 'kk' });
  expect(snapshot.proctoring.config.steps).toMatchObject({ identity: false, roomScan: false });
  await waitUntil(async () => (await conn!.request('recording:status')).nextSeq > 0, 5_000, 'recording status');
  await delivery.syncRecording();
  // The recorder hands over its run from consent on: the header chunk first.
  for (const [i, c] of chunks.entries()) {
    await delivery.queueChunk({ bytes: Uint8Array.from(c.bytes), startedAt: c.startedAt, durationMs: c.durationMs, mime: c.mime, runStart: i === 0 });
  }
  snapshot = await conn.request('exam:start');
  await delivery.flush();
  await waitUntil(async () => {
    await delivery.flush();
    return delivery.box.status().kinds.chunk.items === 0;
  }, 15_000, 'the recording backlog drained');
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

describe('a recording whose header chunk is at risk (issue 12)', () => {
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

  it('a run whose header chunk never reached the centre is read with the next run\'s header (after a reload), not refused', async () => {
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
