/**
 * Exam recording uploads (rules 2.8.5 and 14) against the real centre: chunks of a real VP8 + Opus
 * WebM (made by ffmpeg, cut as MediaRecorder cuts them) go over socket.io, are acknowledged only
 * once durable, stored once, refused with clear errors, and survive a restart.
 * Downloads and playback: recording-download.int.test.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORDING_CHUNK_BYTES, type LiveSession, type RecordingStatus } from '../shared/protocol';
import { data, nextEvent, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { cutIntoChunks, ffmpegWebm, sha256, type TestChunk } from '../testing/recording-chunks';

let h: Harness;
let chunks: TestChunk[];
beforeAll(() => {
  chunks = cutIntoChunks(ffmpegWebm(6), 6, { seconds: 6 });
});
afterEach(async () => {
  await h?.close();
});

async function startedExam(harness: Harness): Promise<{ socket: CandidateSocket; sessionId: string; token: string }> {
  const { token, sessionId } = await harness.issueToken();
  const socket = await harness.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await harness.passPrestart(socket);
  data(await request(socket, 'exam:start'));
  return { socket, sessionId, token };
}
const upload = (socket: CandidateSocket, chunk: TestChunk | Record<string, unknown>) =>
  request<{ seq: number; duplicate: boolean }>(socket, 'recording:chunk', chunk);
const chunkFile = (sessionId: string, seq: number) => path.join(h.dataDir, 'recordings', sessionId, `${seq}.webm`);

describe('recording uploads', () => {
  it('stores each chunk durably before the ack, a resend is a duplicate stored once, and the dashboard hears of it', async () => {
    h = await startHarness();
    const proctor = await h.staff(await h.staffToken('proctor'));
    data(await request(proctor, 'dashboard:subscribe'));
    const { socket, sessionId } = await startedExam(h);
    for (const chunk of chunks) {
      expect(data(await upload(socket, chunk))).toEqual({ seq: chunk.seq, duplicate: false });
      // By the time of the ack the bytes are on disk and indexed.
      expect(sha256(readFileSync(chunkFile(sessionId, chunk.seq)))).toBe(chunk.sha256);
      expect(await h.store.getRecordingChunk(sessionId, chunk.seq)).toMatchObject({
        seq: chunk.seq,
        sha256: chunk.sha256,
        bytes: chunk.bytes.length,
      });
    }
    expect(data(await upload(socket, chunks[1]!))).toEqual({ seq: 2, duplicate: true });
    expect(readdirSync(path.dirname(chunkFile(sessionId, 1))).sort()).toEqual(chunks.map((c) => `${c.seq}.webm`).sort());
    expect(await h.store.listRecordingChunks(sessionId)).toHaveLength(chunks.length);
    const total = chunks.reduce((n, c) => n + c.bytes.length, 0);
    expect(data(await request<RecordingStatus>(socket, 'recording:status'))).toEqual({
      nextSeq: 7,
      chunks: 6,
      bytes: total,
      lastSeq: 6,
      missing: [],
    });
    // At most one dashboard update per few seconds, and the last one always arrives.
    const live = await nextEvent<LiveSession>(
      proctor,
      'session:update',
      (s) => s.sessionId === sessionId && s.recording?.chunks === 6,
      5_000,
    );
    expect(live.recording).toMatchObject({ chunks: 6, bytes: total, lastSeq: 6 });
    expect(live.recording!.lastAt).toBeGreaterThan(0);
  });

  it('refuses a conflict, a wrong hash, an oversized or non-WebM chunk and malformed payloads, and the connection stays up', async () => {
    h = await startHarness();
    const { socket, sessionId } = await startedExam(h);
    const [first, second] = [chunks[0]!, chunks[1]!];
    const notWebm = Buffer.from('this is not a webm file at all');
    const big = Buffer.alloc(MAX_RECORDING_CHUNK_BYTES + 1, 1);
    const matroska = Buffer.from(first.bytes.toString('latin1').replace('webm', 'mkvx'), 'latin1');
    const refusals: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['first chunk without the EBML header', { ...first, bytes: notWebm, sha256: sha256(notWebm) }, 'invalid', /EBML header/],
      ['wrong hash', { ...first, sha256: second.sha256 }, 'invalid', /hash/],
      ['oversized', { ...second, bytes: big, sha256: sha256(big) }, 'invalid', /too large/],
      ['a header that is not webm', { ...first, seq: 9, bytes: matroska, sha256: sha256(matroska) }, 'invalid', /DocType webm/],
      ['empty', { ...second, bytes: Buffer.alloc(0), sha256: sha256(Buffer.alloc(0)) }, 'invalid', /empty/],
      ['bytes as text', { ...second, bytes: second.bytes.toString('base64') }, 'invalid', /binary/],
      ['seq 0', { ...second, seq: 0 }, 'invalid', /seq/],
      ['fractional seq', { ...second, seq: 2.5 }, 'invalid', /seq/],
      ['upper-case hash', { ...second, sha256: second.sha256.toUpperCase() }, 'invalid', /sha256/],
      ['mp4', { ...second, mime: 'video/mp4' }, 'invalid', /mime/],
      ['long mime', { ...second, mime: `video/webm;codecs=${'v'.repeat(100)}` }, 'invalid', /mime/],
      ['negative duration', { ...second, durationMs: -1 }, 'invalid', /durationMs/],
      ['unknown field', { ...second, sessionId }, 'invalid', /sessionId|unrecognized/i],
      ['no startedAt', { ...second, startedAt: undefined }, 'invalid', /startedAt/],
    ];
    for (const [what, payload, code, message] of refusals) {
      const res = await upload(socket, payload);
      expect(res, what).toMatchObject({ error: { code } });
      if ('error' in res) expect(res.error.message, what).toMatch(message);
    }
    expect(await request(socket, 'recording:chunk', null)).toMatchObject({ error: { code: 'invalid' } });
    expect(socket.connected).toBe(true);
    expect(await h.store.listRecordingChunks(sessionId)).toHaveLength(0);

    data(await upload(socket, first));
    const changed = Buffer.from(first.bytes);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1);
    const other = { ...first, bytes: changed, sha256: sha256(changed) };
    expect(await upload(socket, other)).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/chunk 1/) } });
    expect(sha256(readFileSync(chunkFile(sessionId, 1)))).toBe(first.sha256);
    expect(data(await upload(socket, second))).toEqual({ seq: 2, duplicate: false });
  });

  it('takes chunks from consent on (so identity and the room scan are recorded) and the backlog for a day after the end', async () => {
    h = await startHarness();
    const { token } = await h.issueToken();
    const early = await h.candidate(token);
    expect(await upload(early, chunks[0]!)).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/not consented/) } });
    data(await request(early, 'exam:choose-language', { language: 'kk' }));
    await h.passPrestart(early); // includes consent (Appendix 1)
    expect(data(await upload(early, chunks[0]!))).toEqual({ seq: 1, duplicate: false });
    early.disconnect();

    const { socket, sessionId } = await startedExam(h);
    data(await upload(socket, chunks[0]!));
    data(await request(socket, 'exam:submit'));
    expect(data(await upload(socket, chunks[1]!))).toEqual({ seq: 2, duplicate: false }); // the backlog drains after the end
    h.clock.advance(25 * 3600_000);
    expect(await upload(socket, chunks[2]!)).toMatchObject({ error: { code: 'closed' } });
    expect(data(await upload(socket, chunks[1]!))).toEqual({ seq: 2, duplicate: true }); // a late resend still learns it arrived
    expect((await h.store.listRecordingChunks(sessionId)).map((c) => c.seq)).toEqual([1, 2]);
  });

  it('the session comes from the exam token: an unknown or expired token is refused at connect, two sessions never mix', async () => {
    h = await startHarness();
    await expect(h.candidate('x'.repeat(43))).rejects.toThrow(/unknown exam token/);
    const unused = await h.issueToken();
    h.clock.advance(15 * 24 * 3600_000);
    await expect(h.candidate(unused.token)).rejects.toThrow(/expired/);
    h.clock.advance(-15 * 24 * 3600_000);

    const a = await startedExam(h);
    const b = await startedExam(h);
    data(await upload(a.socket, chunks[0]!));
    const otherRecording = cutIntoChunks(ffmpegWebm(2, { tone: 880 }), 2, { seconds: 2 });
    data(await upload(b.socket, otherRecording[0]!));
    expect((await h.store.getRecordingChunk(a.sessionId, 1))!.sha256).toBe(chunks[0]!.sha256);
    expect((await h.store.getRecordingChunk(b.sessionId, 1))!.sha256).toBe(otherRecording[0]!.sha256);
  });

  it('after a restart everything is there, a torn temporary file is cleared, and the next chunk is taken', async () => {
    h = await startHarness();
    const { socket, sessionId, token } = await startedExam(h);
    for (const chunk of chunks.slice(0, 3)) data(await upload(socket, chunk));
    const dataDir = h.dataDir;
    await h.close({ keepData: true });
    // A crash in the middle of writing chunk 4 leaves its temporary file behind; one after writing chunk 5 but
    // before indexing it leaves a file that was never acknowledged (here with bytes the browser will not send again).
    const torn = path.join(dataDir, 'recordings', sessionId, '4.webm.0badc0ffee00.tmp');
    writeFileSync(torn, chunks[3]!.bytes.subarray(0, 100));
    writeFileSync(path.join(dataDir, 'recordings', sessionId, '5.webm'), chunks[0]!.bytes);

    h = await startHarness({ dataDir });
    expect(existsSync(torn)).toBe(false);
    const again = await h.candidate(token);
    expect(data(await request<RecordingStatus>(again, 'recording:status'))).toMatchObject({ nextSeq: 4, chunks: 3, lastSeq: 3 });
    expect(data(await upload(again, chunks[2]!))).toEqual({ seq: 3, duplicate: true });
    for (const chunk of chunks.slice(3)) expect(data(await upload(again, chunk))).toEqual({ seq: chunk.seq, duplicate: false });
    expect(readdirSync(path.join(dataDir, 'recordings', sessionId)).sort()).toEqual([
      '1.webm',
      '2.webm',
      '3.webm',
      '4.webm',
      '5.webm',
      '6.webm',
    ]);
    expect(sha256(readFileSync(chunkFile(sessionId, 5)))).toBe(chunks[4]!.sha256);
    const reviewer = await h.staffToken('reviewer');
    const res = await fetch(`${h.url}/api/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${reviewer}` } });
    expect(res.status).toBe(200);
    // ffmpeg's header has a SeekHead, padding and tags the seekable file leaves out: a little smaller than the chunks.
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0.98 * chunks.reduce((n, c) => n + c.bytes.length, 0));
  });
});
