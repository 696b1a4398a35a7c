/**
 * Reviewers get the exam recording as one seekable WebM (rule 14): it has a Duration and Cues,
 * ffprobe and a real <video> in Chromium find its length and seek in it, HTTP ranges return the
 * right bytes, only reviewers and admins get it, and gaps and page reloads are handled.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { data, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import {
  cutIntoChunks,
  decodeErrors,
  ffmpegWebm,
  ffprobe,
  inspectWebm,
  playInChromium,
  recordInChromium,
  type TestChunk,
} from '../testing/recording-chunks';
import { parseRange } from './recording-routes';

let h: Harness;
let chunks: TestChunk[];
let tmp: string;
beforeAll(() => {
  chunks = cutIntoChunks(ffmpegWebm(6), 6, { seconds: 6, startedAt: 1_700_000_000_000 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tanu-rec-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(async () => {
  await h?.close();
});

async function recorded(list: TestChunk[]): Promise<{ socket: CandidateSocket; sessionId: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'kk' }));
  await h.passPrestart(socket);
  data(await request(socket, 'exam:start'));
  for (const c of list) data(await request(socket, 'recording:chunk', c));
  return { socket, sessionId };
}

async function download(sessionId: string, token: string | null, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}/api/sessions/${sessionId}/recording`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

function saved(body: Buffer, name: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, body);
  return file;
}

describe('the recording for reviewers', () => {
  it('is one WebM with Duration and Cues that ffprobe measures and decodes, cached until more chunks arrive', async () => {
    h = await startHarness();
    const { socket, sessionId } = await recorded(chunks.slice(0, 5));
    const reviewer = await h.staffToken('reviewer');
    const first = await download(sessionId, reviewer);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('video/webm');
    expect(first.res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(first.res.headers.get('content-length'))).toBe(first.body.length);

    await request(socket, 'recording:chunk', chunks[5]);
    const { res, body } = await download(sessionId, reviewer);
    expect(res.headers.get('etag')).not.toBe(first.res.headers.get('etag'));
    const file = saved(body, 'whole.webm');
    expect(ffprobe(file).durationS).toBeGreaterThan(5.5);
    expect(ffprobe(file).durationS).toBeLessThan(6.5);
    expect(ffprobe(file).streams.sort()).toEqual(['opus', 'vp8']);
    expect(decodeErrors(file)).toBe('');
    const layout = inspectWebm(body);
    expect(layout).toMatchObject({ order: ['SeekHead', 'Info', 'Tracks', 'Cues'], segmentSizeKnown: true, seekHeadValid: true });
    expect(layout.cues.total).toBeGreaterThanOrEqual(5);
    expect(layout.cues.onCluster).toBe(layout.cues.total);

    // Built once per set of chunks: the same file again, the superseded one removed.
    const again = await download(sessionId, reviewer);
    expect(again.res.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(again.body.equals(body)).toBe(true);
    expect(readdirSync(path.join(h.dataDir, 'recordings', sessionId)).filter((f) => f.startsWith('seekable-'))).toHaveLength(1);
  });

  it('answers ranges with 206 and the right bytes, and 416 for ranges it cannot give', async () => {
    h = await startHarness();
    const { sessionId } = await recorded(chunks);
    const reviewer = await h.staffToken('reviewer');
    const whole = (await download(sessionId, reviewer)).body;
    const size = whole.length;
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-', 1000, size - 1],
      ['bytes=-500', size - 500, size - 1],
      [`bytes=${size - 10}-${size + 100}`, size - 10, size - 1],
    ] as const) {
      const { res, body } = await download(sessionId, reviewer, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${size}`);
      expect(body.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    for (const range of [`bytes=${size}-`, 'bytes=50-10', 'bytes=abc', 'bytes=-0', 'bytes=0-1,5-6', 'items=0-1']) {
      const { res } = await download(sessionId, reviewer, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${size}`);
    }
    const stale = await download(sessionId, reviewer, { range: 'bytes=0-9', 'if-range': '"another-version"' });
    expect(stale.res.status).toBe(200);
    expect(parseRange(undefined, 10)).toBeNull();
  });

  it('only reviewers and admins get the recording and its chunk list; a player link works without the header', async () => {
    h = await startHarness();
    const { sessionId } = await recorded(chunks);
    const { token: candidateToken } = await h.issueToken();
    const tokens = { reviewer: await h.staffToken('reviewer'), admin: await h.staffToken('admin'), proctor: await h.staffToken('proctor') };
    for (const route of ['recording', 'recording/chunks']) {
      const get = (token: string | null) =>
        fetch(`${h.url}/api/sessions/${sessionId}/${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect((await get(tokens.reviewer)).status, route).toBe(200);
      expect((await get(tokens.admin)).status, route).toBe(200);
      expect((await get(tokens.proctor)).status, route).toBe(403);
      expect((await get(candidateToken)).status, route).toBe(401);
      expect((await get(null)).status, route).toBe(401);
    }
    const list = await h.http<{ chunks: Array<{ seq: number; bytes: number; sha256: string; durationMs: number }>; missing: number[] }>(
      'GET',
      `/api/sessions/${sessionId}/recording/chunks`,
      tokens.reviewer,
    );
    expect(data(list.body).chunks.map(({ seq, bytes, sha256, durationMs }) => ({ seq, bytes, sha256, durationMs }))).toEqual(
      chunks.map((c) => ({ seq: c.seq, bytes: c.bytes.length, sha256: c.sha256, durationMs: c.durationMs })),
    );
    expect((await h.http('GET', '/api/sessions/00000000-0000-4000-8000-000000000000/recording', tokens.reviewer)).status).toBe(404);

    expect((await h.http('POST', `/api/sessions/${sessionId}/recording/link`, tokens.proctor)).status).toBe(403);
    const link = data((await h.http<{ url: string }>('POST', `/api/sessions/${sessionId}/recording/link`, tokens.reviewer)).body);
    const viaLink = await fetch(`${h.url}${link.url}`, { headers: { range: 'bytes=0-3' } });
    expect(viaLink.status).toBe(206);
    expect(Buffer.from(await viaLink.arrayBuffer()).toString('hex')).toBe('1a45dfa3');
    expect((await fetch(`${h.url}${link.url.replace(/link=[^&]+/, 'link=' + 'A'.repeat(43))}`)).status).toBe(401);
    const { sessionId: other } = await recorded(chunks.slice(0, 1));
    expect((await fetch(`${h.url}${link.url.replace(sessionId, other)}`)).status).toBe(401);
    await h.http('POST', '/api/staff/logout', tokens.reviewer);
    expect((await fetch(`${h.url}${link.url}`)).status).toBe(401);
  });

  it('plays across a missing chunk, lists the gap, and takes the late chunk into the next build', async () => {
    h = await startHarness();
    const { socket, sessionId } = await recorded(chunks.filter((c) => c.seq !== 3));
    const reviewer = await h.staffToken('reviewer');
    const list = await h.http<{ missing: number[] }>('GET', `/api/sessions/${sessionId}/recording/chunks`, reviewer);
    expect(data(list.body).missing).toEqual([3]);
    const gapBody = (await download(sessionId, reviewer)).body;
    const gap = saved(gapBody, 'gap.webm');
    expect(Math.abs(ffprobe(gap).durationS - 6)).toBeLessThan(0.5);
    expect(decodeErrors(gap)).not.toMatch(/Invalid data/);
    data(await request(socket, 'recording:chunk', chunks[2]));
    const full = (await download(sessionId, reviewer)).body;
    expect(full.length).toBeGreaterThan(gapBody.length);
    expect(Math.abs(ffprobe(saved(full, 'filled.webm')).durationS - 6)).toBeLessThan(0.5);

    // Without its first chunk (the header) a recording cannot be played yet: 409, not a broken file.
    const { sessionId: headless } = await recorded(chunks.slice(1, 3));
    const refused = await download(headless, reviewer);
    expect(refused.res.status).toBe(409);
    expect(refused.body.toString()).toMatch(/first chunk/);
  });

  it('after a page reload (a second recorder run) the two runs play one after the other on the wall clock', async () => {
    h = await startHarness();
    const before = cutIntoChunks(ffmpegWebm(3), 3, { seconds: 3, startedAt: 1_700_000_000_000 });
    const after = cutIntoChunks(ffmpegWebm(3, { tone: 660 }), 3, { seconds: 3, firstSeq: 4, startedAt: 1_700_000_005_000 });
    const { sessionId } = await recorded([...before, ...after]);
    const file = saved((await download(sessionId, await h.staffToken('reviewer'))).body, 'runs.webm');
    expect(Math.abs(ffprobe(file).durationS - 8)).toBeLessThan(0.5); // 3 s, 2 s away, 3 s
    expect(decodeErrors(file)).toBe('');
  });

  it('a real MediaRecorder recording from Chromium plays and seeks in a real <video>', { timeout: 90_000 }, async () => {
    const { chunks: real, mime } = await recordInChromium(5, 1000);
    expect(mime).toMatch(/^video\/webm/);
    expect(real.length).toBeGreaterThanOrEqual(4);
    h = await startHarness();
    const { sessionId } = await recorded(real);
    const reviewer = await h.staffToken('reviewer');
    const file = saved((await download(sessionId, reviewer)).body, 'chromium.webm');
    const probed = ffprobe(file);
    expect(Math.abs(probed.durationS - 5)).toBeLessThan(0.5);
    expect(inspectWebm((await download(sessionId, reviewer)).body).cues.total).toBeGreaterThanOrEqual(3);
    const link = data((await h.http<{ url: string }>('POST', `/api/sessions/${sessionId}/recording/link`, reviewer)).body);
    const played = await playInChromium(`${h.url}/api/health`, link.url, 3);
    expect(Math.abs(played.duration - probed.durationS)).toBeLessThan(0.1);
    expect(played.seekableEnd).toBeCloseTo(played.duration, 1);
    expect(Math.abs(played.landedAt - 3)).toBeLessThan(0.5);
  });
});
