/**
 * npm run loadtest -- --candidates N --seconds S [--rate R] [--url U]
 *
 * Simulated candidates against a centre: each connects with its own exam link, starts the
 * exam and sends R events per second (with an answer every fifth), while one proctor client
 * on /staff receives the live feed. Prints events/s committed, p50/p99 delivery time from the
 * candidate's send to the proctor's receipt, lost events (acknowledged but never delivered),
 * and the server's CPU and memory. Without --url it starts its own centre (a temporary data
 * folder) so the figures are of a fresh server; traffic stays on this machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { ExamSnapshot, FeedEvent, Response } from '../shared/protocol';
import { PROJECT_ROOT } from '../server/config';
import { takePrestartSteps } from '../testing/prestart-steps';
import { percentile } from './percentile';

const { values: args } = parseArgs({
  options: {
    candidates: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '1' },
    url: { type: 'string' },
    'admin-password': { type: 'string' },
    json: { type: 'string' },
  },
});
const N = Math.max(1, Math.min(2000, Number(args.candidates)));
const SECONDS = Math.max(1, Math.min(3600, Number(args.seconds)));
const RATE = Math.max(0.1, Math.min(50, Number(args.rate)));
const PASSWORD = args['admin-password'] ?? 'loadtest-password';

async function api<T>(base: string, route: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await res.json()) as Response<T>;
  if ('error' in payload) throw new Error(`${route}: ${payload.error.message}`);
  return payload.data;
}

async function startOwnCentre(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tanu-load-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/main.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TANU_DATA_DIR: dataDir, TANU_DEMO_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the centre exited (${code}) before it was ready`)));
  });
  return { url, child, dataDir };
}

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function main(): Promise<void> {
  const own = args.url ? null : await startOwnCentre();
  const base = (args.url ?? own!.url).replace(/\/$/, '');
  try {
    const admin = await api<{ token: string }>(base, '/api/staff/login', null, { username: 'admin', password: PASSWORD });
    const proctor = await api<{ token: string }>(base, '/api/staff/login', null, { username: 'proctor', password: PASSWORD });
    const roster = await api<{ candidates: Array<{ id: string }>; programmes: Array<{ id: string }> }>(base, '/api/roster', admin.token);
    const candidateId = roster.candidates[0]!.id;
    const programmeId = roster.programmes[0]!.id;

    // the proctor: time of receipt of every candidate event, by (session, index in the event's data)
    const delivered = new Map<string, number>();
    const staff = await connect(`${base}/staff`, proctor.token);
    staff.on('feed:event', (e: FeedEvent) => {
      if (e.type === 'exam.question_viewed') delivered.set(`${e.sessionId}:${(e.data as { index: number }).index}`, Date.now());
    });
    await staff.timeout(10_000).emitWithAck('dashboard:subscribe', {});

    process.stdout.write(`loadtest: ${N} candidates × ${RATE} events/s for ${SECONDS} s against ${base}\n`);
    const sent = new Map<string, number>();
    let acked = 0;
    let answersAcked = 0;
    let errors = 0;
    const ackMs: number[] = [];
    const before = await api<{ cpuUserUs: number; cpuSystemUs: number; rssBytes: number }>(base, '/api/metrics', admin.token);
    const sockets: Socket[] = [];
    for (let i = 0; i < N; i++) {
      const link = await api<{ token: string; sessionId: string }>(base, '/api/exam-links', admin.token, { candidateId, programmeId });
      const socket = await connect(`${base}/candidate`, link.token);
      sockets.push(socket);
      await socket.timeout(10_000).emitWithAck('exam:choose-language', { language: i % 2 ? 'kk' : 'ru' });
      await takePrestartSteps(socket, 10_000); // issue 4: the centre starts no exam before these
      const snap = (await socket.timeout(10_000).emitWithAck('exam:start', {})) as Response<ExamSnapshot>;
      if ('error' in snap) throw new Error(snap.error.message);
      (socket as Socket & { exam?: { snap: ExamSnapshot; sessionId: string } }).exam = { snap: snap.data, sessionId: link.sessionId };
    }
    const startedAt = Date.now();
    const maxMemory = { rss: before.rssBytes };
    const sampler = setInterval(() => {
      api<{ rssBytes: number }>(base, '/api/metrics', admin.token).then((m) => (maxMemory.rss = Math.max(maxMemory.rss, m.rssBytes)), () => undefined);
    }, 1000);
    await Promise.all(
      sockets.map(async (socket, i) => {
        const { snap, sessionId } = (socket as Socket & { exam: { snap: ExamSnapshot; sessionId: string } }).exam;
        let seq = snap.nextSeq;
        let k = 0;
        await new Promise((r) => setTimeout(r, (i / N) * (1000 / RATE))); // spread the candidates over one period
        while (Date.now() - startedAt < SECONDS * 1000) {
          const index = k++;
          const t0 = Date.now();
          sent.set(`${sessionId}:${index}`, t0);
          const res = (await socket.timeout(10_000).emitWithAck('event:log', { seq: seq++, id: `lt${i}x${index}xxxx`, type: 'exam.question_viewed', at: t0, data: { index } }).catch(() => ({ error: {} }))) as Response<unknown>;
          if ('error' in res) errors++;
          else {
            acked++;
            ackMs.push(Date.now() - t0);
          }
          if (index % 5 === 4) {
            const q = snap.questions[index % snap.questions.length]!;
            const r = (await socket.timeout(10_000).emitWithAck('answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: index + 1 }).catch(() => ({ error: {} }))) as Response<unknown>;
            if ('error' in r) errors++;
            else answersAcked++;
          }
          const wait = t0 + 1000 / RATE - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      }),
    );
    const elapsed = (Date.now() - startedAt) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // the last events' way to the proctor
    clearInterval(sampler);
    const after = await api<{ cpuUserUs: number; cpuSystemUs: number; rssBytes: number }>(base, '/api/metrics', admin.token);

    const latencies: number[] = [];
    let lost = 0;
    for (const [key, t0] of sent) {
      const t1 = delivered.get(key);
      if (t1 === undefined) lost++;
      else latencies.push(t1 - t0);
    }
    const cpuS = (after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs) / 1e6;
    const report = {
      candidates: N,
      seconds: Math.round(elapsed * 10) / 10,
      eventsPerSecond: Math.round(((acked + answersAcked) / elapsed) * 10) / 10,
      eventsAcked: acked,
      answersAcked,
      errors,
      ackMsP50: percentile(ackMs, 50),
      ackMsP99: percentile(ackMs, 99),
      deliveryMsP50: percentile(latencies, 50),
      deliveryMsP99: percentile(latencies, 99),
      lostEvents: lost,
      serverCpuPercent: Math.round((cpuS / elapsed) * 1000) / 10,
      serverRssMB: Math.round(after.rssBytes / 1e5) / 10,
      serverRssPeakMB: Math.round(Math.max(maxMemory.rss, after.rssBytes) / 1e5) / 10,
    };
    console.table(report);
    if (args.json) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(args.json, JSON.stringify(report, null, 2));
    }
    sockets.forEach((s) => s.close());
    staff.close();
    if (lost > 0 || errors > 0) process.exitCode = 1;
  } finally {
    if (own) {
      own.child.kill('SIGTERM');
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(`loadtest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
