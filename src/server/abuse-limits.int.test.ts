/**
 * Abuse limits and operational hygiene, each attack replayed against a real centre:
 * an event flood, concurrent wrong log-ins, locking another person's account, a stalled request
 * body, a second connection with the same token, file modes, caching of personal data and
 * sockets parked on the root namespace.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot, FeedEvent, Response } from '../shared/protocol';
import { describeEvent } from '../ui/event-text';
import { translator } from '../ui/i18n/i18n';
import { Delivery } from '../session/delivery';
import { CandidateConnection } from '../session/candidate-connection';
import {
  data,
  nextEvent,
  request,
  startHarness,
  TEST_PASSWORD,
  waitUntil,
  type CandidateSocket,
  type Harness,
} from '../testing/centre-harness';
import { cutIntoChunks, ffmpegWebm } from '../testing/recording-chunks';
import { DEFAULT_CANDIDATE_RATE_LIMITS } from './rate-limit';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function startedExam(harness: Harness): Promise<{ socket: CandidateSocket; sessionId: string; token: string; snap: ExamSnapshot }> {
  const { token, sessionId } = await harness.issueToken();
  const socket = await harness.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await harness.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { socket, sessionId, token, snap };
}

const clientEvents = async (harness: Harness, sessionId: string) =>
  (await harness.store.listEvents(sessionId)).filter((e) => e.origin === 'client');

/** A POST from a chosen local address (the whole of 127/8 is loopback): another computer, as far as the centre can tell. */
function postFrom(
  url: string,
  localAddress: string,
  route: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const target = new URL(route, url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(out) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('abuse limits', () => {
  it('an event flood: 2,000 event:log at once are limited per session (too_many with a retry hint, nothing stored) and /api/health keeps answering', async () => {
    h = await startHarness();
    const { socket, sessionId, snap } = await startedExam(h);
    const before = (await clientEvents(h, sessionId)).length;
    let healthAnswered = 0;
    let flooding = true;
    const health = (async () => {
      while (flooding) {
        const res = await fetch(`${h!.url}/api/health`);
        if (res.status === 200) healthAnswered++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        request(socket, 'event:log', { seq: snap.nextSeq + i, id: `flood-${i}`, type: 'env.focus_lost', at: Date.now() }, 30_000),
      ),
    );
    const elapsedS = (Date.now() - started) / 1000;
    flooding = false;
    await health;
    const refused = answers.filter((a): a is Extract<Response<unknown>, { error: unknown }> => 'error' in a);
    const accepted = answers.length - refused.length;
    // (A few later events are refused as out of order: the seq gap the refused ones left.)
    const tooMany = refused.filter((r) => r.error.code === 'too_many');
    expect(tooMany.length).toBeGreaterThan(1000);
    for (const r of tooMany) expect(r.error.retryAfterMs).toBeGreaterThan(0);
    // The limit: the burst and the sustained rate over the flood's time, no more; refused events are not stored.
    const { burst, perSecond } = DEFAULT_CANDIDATE_RATE_LIMITS.events;
    expect(accepted).toBeLessThanOrEqual(burst + Math.ceil(perSecond * elapsedS) + 1);
    expect((await clientEvents(h, sessionId)).length - before).toBe(accepted);
    expect(healthAnswered).toBeGreaterThan(0);
    expect(socket.connected).toBe(true);
  }, 60_000);

  it('the real client backs off on too_many and sends again when told: nothing is lost', async () => {
    h = await startHarness({ config: { candidateRateLimits: { ...DEFAULT_CANDIDATE_RATE_LIMITS, events: { perSecond: 50, burst: 10 } } } });
    const { socket, sessionId, token, snap } = await startedExam(h);
    socket.close(); // the browser's own connection takes over below
    let connection: CandidateConnection | null = null;
    const delivery = new Delivery({
      connection: () => connection,
      examStatus: () => 'in_progress',
      consented: () => true,
      answerSaved: () => undefined,
      closed: () => undefined,
      status: () => undefined,
    });
    await delivery.open(`flood-${sessionId}`);
    await new Promise<void>((resolve) => {
      connection = new CandidateConnection(
        token,
        {
          status: () => undefined,
          state: () => undefined,
          replaced: () => undefined,
          refused: () => undefined,
          connected: () => resolve(),
        },
        `${h!.url}/candidate`,
      );
    });
    const refusals: number[] = [];
    const send = connection!.request.bind(connection!) as (cmd: string, payload: unknown) => Promise<unknown>;
    connection!.request = (async (cmd: string, payload: unknown) =>
      send(cmd, payload).catch((err: { code?: string; retryAfterMs?: number }) => {
        if (err.code === 'too_many') refusals.push(err.retryAfterMs ?? -1);
        throw err;
      })) as never;
    delivery.events.setNextSeq(snap.nextSeq); // as the exam runtime does from exam:resume
    for (let i = 0; i < 150; i++) delivery.logEvent('env.focus_lost');
    // 150 events at 50/s take about 3 s; the outage backoff (1, 2, 4, 8 … 30 s) would take minutes.
    const focus = async () => (await clientEvents(h!, sessionId)).filter((e) => e.type === 'env.focus_lost');
    await waitUntil(async () => (await focus()).length === 150, 12_000, 'all 150 events stored').catch(async (err: Error) => {
      throw new Error(
        `${err.message}: ${(await focus()).length} stored, ${refusals.length} refusals, outbox ${JSON.stringify(delivery.box.status())}`,
      );
    });
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((ms) => ms > 0)).toBe(true);
    expect(new Set((await focus()).map((e) => e.seq)).size).toBe(150);
    delivery.close();
  }, 30_000);

  it('24 concurrent wrong log-ins: password checks are bounded and throttled per address (429), and another candidate’s chunks are still stored', async () => {
    h = await startHarness();
    const { socket } = await startedExam(h);
    const chunks = cutIntoChunks(ffmpegWebm(2), 2, { seconds: 2 });
    const logins = Promise.all(
      Array.from({ length: 24 }, (_, i) => h!.http('POST', '/api/staff/login', null, { username: `user${i}`, password: 'wrong-password' })),
    );
    for (const chunk of chunks) expect(data(await request(socket, 'recording:chunk', chunk, 20_000))).toMatchObject({ seq: chunk.seq });
    const answers = await logins;
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const a of throttled) expect(a.body).toMatchObject({ error: { code: 'too_many' } });
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
  }, 60_000);

  it('wrong passwords from one address slow that address (backoff), never lock the account: the reviewer logs in from another address', async () => {
    h = await startHarness();
    const attacker = '127.0.0.9';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await postFrom(h.url, attacker, '/api/staff/login', { username: 'reviewer', password: `guess-${i}` })).status);
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toContain(429);
    const slowed = await postFrom(h.url, attacker, '/api/staff/login', { username: 'reviewer', password: TEST_PASSWORD });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    const real = await postFrom(h.url, '127.0.0.1', '/api/staff/login', { username: 'reviewer', password: TEST_PASSWORD });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ data: { role: 'reviewer' } });
  }, 30_000);

  it('a stalled request body is cut off by the request timeout', async () => {
    h = await startHarness({
      config: { httpTimeouts: { requestMs: 500, connectionMs: 10_000, keepAliveMs: 5_000, checkIntervalMs: 100 } },
    });
    const { port } = new URL(h.url);
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => {
        s.write('POST /api/staff/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":');
      });
      let out = '';
      s.on('data', (c: Buffer) => (out += c.toString()));
      s.on('close', () => resolve(out));
      setTimeout(() => {
        resolve('still open');
        s.destroy();
      }, 5_000);
    });
    expect(outcome).not.toBe('still open');
    expect(outcome === '' || outcome.startsWith('HTTP/1.1 408')).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 20_000);

  it('a second connection with the same token takes over: the proctor is told who (address and browser), in kk, ru and en', async () => {
    h = await startHarness();
    const proctor = await h.staff(await h.staffToken('proctor'));
    data(await request(proctor, 'dashboard:subscribe'));
    const { token, sessionId } = await h.issueToken();
    const first = await h.candidate(token);
    const told = nextEvent(first, 'session:replaced');
    const feed = nextEvent<FeedEvent>(proctor, 'feed:event', (e) => e.sessionId === sessionId && e.type === 'session.replaced');
    const second = io(`${h.url}/candidate`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { 'user-agent': 'Other Browser/1.0' },
    });
    try {
      await told;
      const event = await feed;
      expect(event.level).toBe('incident');
      expect(event.data).toMatchObject({ address: expect.stringContaining('127.0.0.1'), userAgent: 'Other Browser/1.0' });
      for (const lang of ['kk', 'ru', 'en'] as const) {
        const text = describeEvent(translator(lang), event);
        expect(text, lang).toContain('127.0.0.1');
        expect(text, lang).toContain('Other Browser/1.0');
      }
    } finally {
      second.close();
    }
  });

  it('the database file (SQLite), the recordings folder and chunk files are owner-only', async () => {
    h = await startHarness();
    const { socket, sessionId } = await startedExam(h);
    const [chunk] = cutIntoChunks(ffmpegWebm(1), 1, { seconds: 1 });
    data(await request(socket, 'recording:chunk', chunk));
    const mode = (p: string) => statSync(p).mode & 0o777;
    // SQLite's file is the centre's own; PostgreSQL's files are the database server's, under its own grants.
    if (h.database.engine === 'sqlite') expect(mode(path.join(h.dataDir, 'tanu.sqlite')).toString(8)).toBe('600');
    expect(mode(path.join(h.dataDir, 'recordings')).toString(8)).toBe('700');
    expect(mode(path.join(h.dataDir, 'recordings', sessionId)).toString(8)).toBe('700');
    expect(mode(path.join(h.dataDir, 'recordings', sessionId, `${chunk!.seq}.webm`)).toString(8)).toBe('600');
  });

  it('responses with personal data are Cache-Control: no-store (session detail, lists, evidence)', async () => {
    h = await startHarness();
    const { socket, sessionId } = await startedExam(h);
    // 64x64: the centre keeps evidence only when it decodes as an image of at least 32x32.
    const photo = Buffer.from(jpeg.encode({ width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4, 128) }, 80).data);
    const incidentId = 'abuse-evidence-1';
    data(await request(socket, 'evidence:upload', { incidentId, sha256: createHash('sha256').update(photo).digest('hex'), jpeg: photo }));
    const reviewer = await h.staffToken('reviewer');
    const admin = await h.staffToken('admin');
    const routes: Array<[string, string]> = [
      [`/api/sessions/${sessionId}`, reviewer],
      ['/api/sessions', reviewer],
      [`/api/sessions/${sessionId}/evidence/${incidentId}`, reviewer],
      [`/api/sessions/${sessionId}/events`, reviewer],
      ['/api/roster', admin],
    ];
    for (const [route, token] of routes) {
      const res = await fetch(`${h.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, route).toBe(200);
      expect(res.headers.get('cache-control'), route).toBe('no-store');
    }
  });

  it('the root socket namespace refuses every connection', async () => {
    h = await startHarness();
    const root = io(h.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const outcome = await new Promise<string>((resolve) => {
        root.on('connect', () => resolve('connected'));
        root.on('connect_error', (err) => resolve(`refused: ${err.message}`));
      });
      expect(outcome).toMatch(/^refused/);
      expect(h.centre.io.of('/').sockets.size).toBe(0);
    } finally {
      root.close();
    }
  });
});
