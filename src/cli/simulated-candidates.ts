/**
 * Simulated candidates for the load test and the control-room bench: each has its own exam link,
 * takes the steps before the exam through the real commands, starts, and then sends what a real
 * browser sends: events, answers, settled incidents (of a type that is no violation by default,
 * so no exam ends) and, while the centre asks for them, live thumbnails on the volatile lane.
 * Traffic stays on this machine.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROJECT_ROOT } from '../server/config';
import type { ThumbRequest } from '../shared/control-room';
import type { ExamSnapshot, Response } from '../shared/protocol';
import { takePrestartSteps } from '../testing/prestart-steps';
import { repeatPhaseMs } from '../session/thumbnail-lane';
import { ffmpegWebm, sha256 } from '../testing/recording-chunks';
import { dropScratch, SCRATCH_POSTGRES_URL, SCRATCH_REDIS_URL } from '../testing/scratch-cluster';

/** A stand-in thumbnail of a real one's size (about 8 KB): the centre checks only that it is a JPEG ≤ 15 KB. */
const THUMB = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Uint8Array(8 * 1024).fill(0x55), 0xff, 0xd9]);

/** A fresh centre of its own (`npm start`'s server in a temporary data folder), so figures are of a fresh server. */
export async function startOwnCentre(
  password: string,
  env: Record<string, string> = {},
): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tanu-load-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/main.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TANU_DATA_DIR: dataDir, TANU_DEMO_PASSWORD: password, ...env },
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
  return {
    url,
    dataDir,
    /** Stops the centre and, once it has exited (its last log checkpoint written), removes its data. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `count` nodes of one centre of its own. One node: SQLite in a temporary folder, as `npm start`. Several:
 * PostgreSQL (a schema of their own) and Redis, one recordings folder, the same log secret; all removed by stop().
 */
export async function startOwnCentres(password: string, count: number): Promise<{ urls: string[]; stop(): Promise<void> }> {
  if (count === 1) {
    const one = await startOwnCentre(password);
    return { urls: [one.url], stop: () => one.stop() };
  }
  const schema = `load_${randomBytes(5).toString('hex')}`;
  const shared = mkdtempSync(path.join(os.tmpdir(), 'tanu-load-shared-'));
  const env = (i: number) => ({
    TANU_DATABASE_URL: SCRATCH_POSTGRES_URL,
    TANU_DATABASE_SCHEMA: schema,
    TANU_REDIS_URL: SCRATCH_REDIS_URL,
    TANU_NODE_ID: `node-${i + 1}`,
    TANU_RECORDINGS_DIR: path.join(shared, 'recordings'),
    TANU_LOG_SECRET: randomBytes(32).toString('hex'),
  });
  const secret = env(0).TANU_LOG_SECRET;
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) => startOwnCentre(password, { ...env(i), TANU_LOG_SECRET: secret })),
  );
  return {
    urls: started.map((c) => c.url),
    async stop() {
      await Promise.all(started.map((c) => c.stop()));
      await dropScratch(schema);
      rmSync(shared, { recursive: true, force: true });
    },
  };
}

export async function api<T>(base: string, route: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await res.json()) as Response<T>;
  if ('error' in payload) throw new Error(`${route}: ${payload.error.message}`);
  return payload.data;
}

export function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

export interface SimulatedCandidate {
  socket: Socket;
  sessionId: string;
  snapshot: ExamSnapshot;
  index: number;
}

export interface Traffic {
  /** Client events per second per candidate. */
  rate: number;
  /** The recording's chunks as the browser sends them (a 2 s chunk at this bitrate), or none. */
  recording?: { chunks: readonly RecordingLoadChunk[]; chunkMs: number };
  incidentsPerMinute: number;
  /** Until this time (ms since the epoch). */
  until: number;
}

/** A recording chunk's bytes for the load: the first carries a real WebM header. */
export interface RecordingLoadChunk {
  bytes: Uint8Array;
  sha256: string;
  mime: string;
}

export interface TrafficStats {
  acked: number;
  answersAcked: number;
  chunksAcked: number;
  chunkBytes: number;
  chunkMs: number[];
  errors: number;
  thumbsSent: number;
  ackMs: number[];
  answerMs: number[];
  /** When each event's send started, by "session:index" (exam.question_viewed) and by incident id. */
  sent: Map<string, number>;
  incidentsSent: Map<string, number>;
}

export function newStats(): TrafficStats {
  return {
    acked: 0,
    answersAcked: 0,
    chunksAcked: 0,
    chunkBytes: 0,
    chunkMs: [],
    errors: 0,
    thumbsSent: 0,
    ackMs: [],
    answerMs: [],
    sent: new Map(),
    incidentsSent: new Map(),
  };
}

/**
 * Exam links for `n` candidates under the first programme, each connected, through the steps and started.
 * `nodes`: the addresses candidates connect to, in turn (a load balancer's round robin); default `base`.
 */
export async function startCandidates(
  base: string,
  adminToken: string,
  n: number,
  stats: TrafficStats,
  nodes: readonly string[] = [base],
): Promise<SimulatedCandidate[]> {
  const roster = await api<{ candidates: Array<{ id: string }>; programmes: Array<{ id: string }> }>(base, '/api/roster', adminToken);
  const candidateId = roster.candidates[0]!.id;
  const programmeId = roster.programmes[0]!.id;
  const out: SimulatedCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const link = await api<{ token: string; sessionId: string }>(base, '/api/exam-links', adminToken, { candidateId, programmeId });
    const socket = await connect(`${nodes[i % nodes.length]}/candidate`, link.token);
    await socket.timeout(10_000).emitWithAck('exam:choose-language', { language: i % 2 ? 'kk' : 'ru' });
    await takePrestartSteps(socket, 10_000); // The centre starts no exam before these
    const snap = (await socket.timeout(10_000).emitWithAck('exam:start', {})) as Response<ExamSnapshot>;
    if ('error' in snap) throw new Error(snap.error.message);
    // The live thumbnail lane, as the browser runs it: while the centre asks, a still every intervalMs, volatile.
    let lane: NodeJS.Timeout | null = null;
    // As the browser's lane does (src/session/thumbnail-lane.ts): a still at once, then repeating from a phase of its own.
    const stopLane = () => {
      if (lane) {
        clearTimeout(lane);
        clearInterval(lane);
      }
      lane = null;
    };
    socket.on('thumbs:set', (r: ThumbRequest) => {
      stopLane();
      if (!(r.intervalMs > 0)) return;
      const send = () => (stats.thumbsSent++, socket.volatile.emit('thumb:frame', { jpeg: THUMB }));
      send();
      lane = setTimeout(() => {
        send();
        lane = setInterval(send, r.intervalMs);
      }, repeatPhaseMs(r.intervalMs));
    });
    socket.on('disconnect', stopLane);
    out.push({ socket, sessionId: link.sessionId, snapshot: snap.data, index: i });
  }
  return out;
}

/** Drives every candidate until `traffic.until`: events, an answer every fifth, incidents at their rate. */
export async function drive(candidates: readonly SimulatedCandidate[], traffic: Traffic, stats: TrafficStats): Promise<void> {
  const period = 1000 / traffic.rate;
  const incidentEvery =
    traffic.incidentsPerMinute > 0 ? Math.max(1, Math.round((60 * traffic.rate) / traffic.incidentsPerMinute)) : Infinity;
  const ask = async (socket: Socket, event: string, payload: unknown): Promise<boolean> => {
    const res = (await socket
      .timeout(10_000)
      .emitWithAck(event, payload)
      .catch(() => ({ error: {} }))) as Response<unknown>;
    if ('error' in res) stats.errors++;
    return !('error' in res);
  };
  // Each candidate's recording: a chunk every chunkMs from its own phase, in order, each waiting for its acknowledgement.
  const record = async ({ socket, index: i }: SimulatedCandidate) => {
    const recording = traffic.recording;
    if (!recording) return;
    await new Promise((r) => setTimeout(r, (i / candidates.length) * recording.chunkMs));
    for (let seq = 1; Date.now() < traffic.until; seq++) {
      const t0 = Date.now();
      // The header chunk once, then the stream's other chunks over and over (the centre joins chunks by bytes).
      const chunk = recording.chunks[seq === 1 ? 0 : 1 + ((seq - 2) % (recording.chunks.length - 1))]!;
      const payload = {
        seq,
        sha256: chunk.sha256,
        bytes: chunk.bytes,
        startedAt: t0 - recording.chunkMs,
        durationMs: recording.chunkMs,
        mime: chunk.mime,
      };
      if (await ask(socket, 'recording:chunk', payload)) {
        stats.chunksAcked++;
        stats.chunkBytes += chunk.bytes.byteLength;
        stats.chunkMs.push(Date.now() - t0);
      }
      const wait = t0 + recording.chunkMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  await Promise.all([
    ...candidates.map(record),
    ...candidates.map(async ({ socket, snapshot, sessionId, index: i }) => {
      let seq = snapshot.nextSeq;
      let k = 0;
      await new Promise((r) => setTimeout(r, (i / candidates.length) * period)); // spread the candidates over one period
      while (Date.now() < traffic.until) {
        const index = k++;
        const t0 = Date.now();
        stats.sent.set(`${sessionId}:${index}`, t0);
        if (
          await ask(socket, 'event:log', { seq: seq++, id: `lt${i}x${index}xxxx`, type: 'exam.question_viewed', at: t0, data: { index } })
        ) {
          stats.acked++;
          stats.ackMs.push(Date.now() - t0);
        }
        if (index % 5 === 4) {
          const q = snapshot.questions[index % snapshot.questions.length]!;
          const ta = Date.now();
          if (await ask(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: index + 1 })) {
            stats.answersAcked++;
            stats.answerMs.push(Date.now() - ta);
          }
        }
        // Each candidate's incidents come at a phase of its own: real candidates do not all turn away in the same second.
        if ((index + i) % incidentEvery === incidentEvery - 1) {
          const incidentId = `lt${i}i${index}xxxx`;
          const ti = Date.now();
          stats.incidentsSent.set(incidentId, ti);
          const incident = { id: incidentId, type: 'body.motion', start: ti - 3_000, end: null, confidence: 0.8, detail: {} };
          await ask(socket, 'event:log', { seq: seq++, id: `${incidentId}e`, type: 'incident.open', at: ti, data: { incident } });
        }
        const wait = t0 + period - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  ]);
}

/** A real WebM stream (VP8 + Opus, from ffmpeg) cut into chunks of `kbps` × `chunkMs`: what a browser recording at that rate sends. */
export function recordingChunks(kbps: number, chunkMs: number): RecordingLoadChunk[] {
  const size = Math.round((kbps * 1000 * chunkMs) / 1000 / 8);
  const stream = ffmpegWebm(Math.max(12, Math.ceil((size * 8 * 6) / 300_000)));
  const out: RecordingLoadChunk[] = [];
  for (let at = 0; at + size <= stream.length; at += size) {
    const bytes = new Uint8Array(stream.subarray(at, at + size));
    out.push({ bytes, sha256: sha256(bytes), mime: 'video/webm;codecs=vp8,opus' });
  }
  if (out.length < 2) throw new Error(`a ${kbps} kbps chunk of ${chunkMs} ms is larger than the test stream`);
  return out;
}
