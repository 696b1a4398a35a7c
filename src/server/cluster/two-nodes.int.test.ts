/**
 * Two centre nodes, each its own process (`src/server/main.ts`), on one PostgreSQL database (a schema of
 * this test's own) and one Redis (socket.io's Redis Streams adapter), with one recordings folder. A proctor
 * connected to one node sees and acts on candidates connected to either; a node killed with SIGKILL mid-exam
 * loses nothing (its candidate's browser reconnects through the load balancer to the other node and the durable
 * outbox carries on: events, answers and recording chunks, counted as lossless.e2e.ts counts them) and its timers
 * fire on the survivor (rule 11's outage limit).
 * PostgreSQL and Redis must be running (.ci/run starts them): without them this test fails, it never skips.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThumbRequest } from '../../shared/control-room';
import type { ExamSnapshot, LiveSession, SessionStatus } from '../../shared/protocol';
import { CandidateConnection } from '../../session/candidate-connection';
import { Delivery } from '../../session/delivery';
import { data, nextEvent, request, waitUntil } from '../../testing/centre-harness';
import { freePort, startCentreProcess, startProxy, type CentreProcess } from '../../testing/centre-process';
import { takePrestartSteps } from '../../testing/prestart-steps';
import { cutIntoChunks, ffmpegWebm, ffprobe, sha256 } from '../../testing/recording-chunks';
import { dropScratch, SCRATCH_POSTGRES_URL as TEST_POSTGRES_URL, SCRATCH_REDIS_URL } from '../../testing/scratch-cluster';
import { toRecordingChunk } from '../store/sql-rows';

const PASSWORD = 'two-nodes-password';
const schema = `t_nodes_${randomBytes(5).toString('hex')}`;
const shared = mkdtempSync(path.join(os.tmpdir(), 'tanu-nodes-'));
const nodes: Record<'a' | 'b', CentreProcess> = {} as never;
const urls: Record<'a' | 'b', string> = { a: '', b: '' };
const sockets: Socket[] = [];

async function startNode(name: 'a' | 'b'): Promise<void> {
  const port = await freePort();
  urls[name] = `http://127.0.0.1:${port}`;
  nodes[name] = await startCentreProcess({
    dataDir: path.join(shared, `node-${name}`),
    port,
    password: PASSWORD,
    publicUrl: urls[name],
    demoLink: false,
    env: {
      TANU_DATABASE_URL: TEST_POSTGRES_URL,
      TANU_DATABASE_SCHEMA: schema,
      TANU_REDIS_URL: SCRATCH_REDIS_URL,
      TANU_NODE_ID: `node-${name}`,
      TANU_RECORDINGS_DIR: path.join(shared, 'recordings'),
      TANU_LOG_SECRET: 'ab'.repeat(32),
    },
  });
}

async function http<T>(base: string, method: string, route: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data?: T; error?: unknown };
  if (!res.ok || json.data === undefined) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json.error)}`);
  return json.data;
}
const login = async (base: string, username: string) =>
  (await http<{ token: string }>(base, 'POST', '/api/staff/login', null, { username, password: PASSWORD })).token;

function connect(base: string, nsp: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(`${base}${nsp}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Reads the shared database beside the nodes (what they stored). */
async function query<T>(text: string, args: unknown[]): Promise<T[]> {
  const db = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
  await db.connect();
  try {
    return (await db.query(text, args)).rows as T[];
  } finally {
    await db.end();
  }
}
const stored = (sessionId: string, where: string) =>
  query<{ event_id: string | null; type: string; data_json: string }>(
    `SELECT event_id, type, data_json FROM events WHERE session_id = $1 AND ${where} ORDER BY idx`,
    [sessionId],
  );
/** A session's chunks as stored, read with the store's own mapper (pg hands a BIGINT back as a string). */
const storedChunks = async (sessionId: string) =>
  (await query<Record<string, unknown>>('SELECT * FROM recording_chunks WHERE session_id = $1 ORDER BY seq', [sessionId])).map(
    toRecordingChunk,
  );

let admin = '';
/** The nodes have found each other (heartbeats through Redis). */
async function bothHear(): Promise<void> {
  const hears = async (name: 'a' | 'b') => (await http<{ node: { nodes: number } }>(urls[name], 'GET', '/api/metrics', admin)).node.nodes;
  await waitUntil(async () => (await hears('a')) === 2 && (await hears('b')) === 2, 20_000, 'the two nodes to hear each other');
}
let candidateId = '';
let programmeId = '';
/** Which node test 2 killed, and which survived. */
let killed: 'a' | 'b' | null = null;
const up = (): 'a' | 'b' => (killed === 'a' ? 'b' : 'a');
const issueLink = async () =>
  http<{ sessionId: string; token: string }>(urls[up()], 'POST', '/api/exam-links', admin, { candidateId, programmeId });

/** A candidate at the first question, connected to `base`. */
async function startedExam(base: string, token: string): Promise<{ socket: Socket; snapshot: ExamSnapshot }> {
  const socket = await connect(base, '/candidate', token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await takePrestartSteps(socket);
  return { socket, snapshot: data(await request<ExamSnapshot>(socket, 'exam:start')) };
}

beforeAll(async () => {
  // Both nodes start at once on an empty schema: the schema is migrated and the demo centre seeded once.
  await Promise.all([startNode('a'), startNode('b')]);
  admin = await login(urls.a, 'admin');
  await bothHear();
  const roster = await http<{ candidates: Array<{ id: string }>; programmes: Array<{ id: string }> }>(urls.b, 'GET', '/api/roster', admin);
  expect(roster.candidates).toHaveLength(1);
  expect(roster.programmes).toHaveLength(1);
  candidateId = roster.candidates[0]!.id;
  programmeId = roster.programmes[0]!.id;
  // Changed on node A; node B must forget its copy (the steps switched off, rule 11's outage at its least, 30 s).
  await http(urls.b, 'GET', `/api/programmes/${programmeId}/proctoring`, admin);
  await http(urls.a, 'PUT', `/api/programmes/${programmeId}/proctoring`, admin, {
    steps: { systemCheck: false, identity: false, roomScan: false },
    offlineFaultSec: 30,
  });
}, 120_000);

afterAll(async () => {
  if (process.env.TANU_DEBUG_NODES)
    for (const [name, n] of Object.entries(nodes)) console.log(`--- node ${name}\n${n.output.slice(-4000)}`);
  for (const s of sockets) s.close();
  await Promise.all(Object.values(nodes).map((n) => n.stop()));
  await dropScratch(schema);
  rmSync(shared, { recursive: true, force: true });
});

describe('two centre nodes on PostgreSQL and Redis', () => {
  it('a proctor on node A sees candidates on both nodes in real time and acts on one connected to node B', async () => {
    const proctor = await connect(urls.a, '/staff', await login(urls.a, 'proctor'));
    data(await request(proctor, 'dashboard:subscribe', {}));
    const [one, two] = [await issueLink(), await issueLink()];
    const onA = await startedExam(urls.a, one.token);
    // Node B runs the exam with the settings changed on node A: no steps before it.
    expect(onA.snapshot.proctoring.config.steps).toEqual({ systemCheck: false, identity: false, roomScan: false });
    const seenOnline = nextEvent<LiveSession>(
      proctor,
      'session:update',
      (s) => s.sessionId === two.sessionId && s.connected && s.status === 'in_progress',
      10_000,
    );
    const onB = await startedExam(urls.b, two.token);
    expect(onB.snapshot.proctoring.config.steps.identity).toBe(false);
    await seenOnline;

    // An event the candidate on B logs reaches the proctor on A within a second.
    const fed = nextEvent<{ sessionId: string; type: string }>(
      proctor,
      'feed:event',
      (e) => e.sessionId === two.sessionId && e.type === 'env.focus_lost',
    );
    const sentAt = Date.now();
    data(
      await request(onB.socket, 'event:log', { seq: onB.snapshot.nextSeq, id: 'evt-nodes-0001', type: 'env.focus_lost', at: Date.now() }),
    );
    await fed;
    const feedMs = Date.now() - sentAt;
    expect(feedMs).toBeLessThan(1_000);

    // The proctor's message, sent on A, reaches the candidate on B.
    const told = nextEvent<ExamSnapshot>(onB.socket, 'exam:state', (s) => s.notes.length === 1);
    data(
      await request(proctor, 'proctor:act', {
        sessionId: two.sessionId,
        action: { kind: 'message', text: 'Поправьте камеру, пожалуйста.' },
      }),
    );
    expect((await told).notes[0]).toMatchObject({ kind: 'message', text: 'Поправьте камеру, пожалуйста.' });

    // Watching B's candidate from A: B asks their browser for thumbnails and relays them to the proctor on A.
    const asked = nextEvent<ThumbRequest>(onB.socket, 'thumbs:set', (r) => r.intervalMs > 0);
    data(await request(proctor, 'cards:watch', { sessionIds: [one.sessionId, two.sessionId], detail: null }));
    expect(await asked).toEqual({ intervalMs: 4_000, signals: false });
    const thumb = nextEvent<{ sessionId: string }>(proctor, 'thumb', (t) => t.sessionId === two.sessionId);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(64).fill(0), 0xff, 0xd9]);
    expect(data(await request<{ relayed: number }>(onB.socket, 'thumb:frame', { jpeg }))).toEqual({ relayed: 1 });
    await thumb;
    console.log(`[two-nodes] feed event from node B to a proctor on node A in ${feedMs} ms`);
  }, 60_000);

  it('kill -9 of the leading node mid-exam: its candidate reconnects to the other node and loses nothing; its timers fire there', async () => {
    const leader = async (name: 'a' | 'b') =>
      (await http<{ node: { id: string; leader: boolean } }>(urls[name], 'GET', '/api/metrics', admin)).node;
    await waitUntil(async () => (await leader('a')).leader !== (await leader('b')).leader, 10_000, 'one leader');
    const dying: 'a' | 'b' = (await leader('a')).leader ? 'a' : 'b';
    const survivor: 'a' | 'b' = dying === 'a' ? 'b' : 'a';
    const proctor = await connect(urls[survivor], '/staff', await login(urls[survivor], 'proctor'));
    data(await request(proctor, 'dashboard:subscribe', {}));

    // A candidate whose browser never comes back: rule 11 must suspend the exam after 30 s offline, judged by the survivor.
    const lost = await issueLink();
    await startedExam(urls[dying], lost.token);

    // A candidate behind the load balancer (a TCP proxy), on the dying node, with the browser's own delivery.
    const balancer = await startProxy(Number(new URL(urls[dying]).port));
    const link = await issueLink();
    const first = await startedExam(balancer.url, link.token);
    first.socket.close();
    let status: SessionStatus = 'in_progress';
    let connection: CandidateConnection | null = null;
    let linkStatus = 'connecting';
    const delivery = new Delivery({
      connection: () => connection,
      examStatus: () => status,
      consented: () => true,
      answerSaved: () => undefined,
      closed: () => undefined,
      status: () => undefined,
    });
    await delivery.open(`nodes-${link.sessionId}`);
    delivery.events.setNextSeq(first.snapshot.nextSeq);
    await new Promise<void>((resolve) => {
      connection = new CandidateConnection(
        link.token,
        {
          status: (s) => void (linkStatus = s),
          state: () => undefined,
          replaced: () => undefined,
          refused: () => undefined,
          // As the exam page does on every (re)connection: the recording continues after what the centre holds, then the outbox drains.
          connected: () => {
            resolve();
            void delivery
              .syncRecording()
              .catch(() => undefined)
              .then(() => delivery.flush()); // a link that drops again retries on its next connection
          },
        },
        `${balancer.url}/candidate`,
      );
    });

    // The candidate works on while the node dies under them: events and answers before, during and after.
    const questions = first.snapshot.questions;
    const logged: number[] = [];
    // 12 s of real WebM (VP8 + Opus) in 12 chunks, recorded on while the node dies.
    const recording = cutIntoChunks(ffmpegWebm(12), 12, { seconds: 12 });
    const work = async (from: number, to: number) => {
      // One chunk after another, as the recorder hands them over.
      for (const [i, c] of recording.entries()) {
        if (i * 5 >= from && i * 5 < to)
          await delivery.queueChunk({
            bytes: new Uint8Array(c.bytes),
            startedAt: c.startedAt,
            durationMs: c.durationMs,
            mime: c.mime,
            runStart: i === 0,
          });
      }
      for (let i = from; i < to; i++) {
        delivery.logEvent(i % 2 === 0 ? 'env.focus_lost' : 'env.focus_back');
        logged.push(i);
        const q = questions[i % questions.length]!;
        delivery.queueAnswer({
          questionId: q.id,
          optionIds: [q.options[i % q.options.length]!.id],
          rev: Math.floor(i / questions.length) + 1,
        });
      }
    };
    await work(0, 20);
    await delivery.flush();
    await work(20, 40); // queued, some in flight, when the node dies
    const killedAt = Date.now();
    await nodes[dying].kill9();
    killed = dying;
    balancer.retarget(Number(new URL(urls[survivor]).port));
    await work(40, 60);
    await waitUntil(() => linkStatus === 'reconnecting', 10_000, 'the browser to notice');
    await waitUntil(() => linkStatus === 'online', 30_000, 'the browser to reconnect through the balancer');
    const reconnectMs = Date.now() - killedAt;
    await delivery.flush();
    await waitUntil(async () => delivery.box.status().items === 0, 30_000, 'the outbox to empty on the survivor').catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(delivery.box.status())}\n${nodes[survivor].output.slice(-3000)}`);
    });

    // Nothing lost, nothing twice: every event once, every question's latest answer.
    const events = await stored(link.sessionId, "origin = 'client' AND type LIKE 'env.focus%'");
    expect(events).toHaveLength(logged.length);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(logged.length);
    const snapshot = await connection!.request('exam:resume');
    const latest = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const q = questions[i % questions.length]!;
      latest.set(q.id, q.options[i % q.options.length]!.id);
    }
    for (const [questionId, optionId] of latest) expect(snapshot.answers[questionId]?.optionIds, questionId).toEqual([optionId]);
    // Every chunk once, in the shared folder whichever node took it, and the whole plays for its length.
    const chunks = await storedChunks(link.sessionId);
    expect(chunks.map((c) => c.sha256)).toEqual(recording.map((c) => c.sha256));
    expect(chunks.map((c) => c.seq)).toEqual(recording.map((_, i) => i + 1));
    for (const c of chunks) expect(sha256(readFileSync(path.join(shared, 'recordings', link.sessionId, `${c.seq}.webm`)))).toBe(c.sha256);
    const reviewer = await login(urls[survivor], 'reviewer');
    const download = await fetch(`${urls[survivor]}/api/sessions/${link.sessionId}/recording`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(download.status).toBe(200);
    const whole = path.join(shared, `${link.sessionId}.webm`);
    writeFileSync(whole, Buffer.from(await download.arrayBuffer()));
    const played = ffprobe(whole);
    expect(played.streams.sort()).toEqual(['opus', 'vp8']);
    expect(played.durationS).toBeGreaterThan(11);
    expect((await connection!.request('exam:submit')).status).toBe('submitted');
    status = 'submitted';
    delivery.submitDone();
    delivery.close();
    connection!.close();
    await balancer.close();

    // The survivor leads now, and runs the dead node's timers: the candidate who never came back is suspended (rule 11).
    await waitUntil(async () => (await leader(survivor)).leader, 15_000, 'the survivor to lead');
    const suspended = nextEvent<LiveSession>(
      proctor,
      'session:update',
      (s) => s.sessionId === lost.sessionId && s.status === 'suspended',
      60_000,
    );
    await suspended;
    const suspendedMs = Date.now() - killedAt;
    const [entry] = await stored(lost.sessionId, "type = 'policy.suspended'");
    expect(JSON.parse(entry!.data_json)).toMatchObject({ cause: 'offline', rule: '11' });
    console.log(
      `[two-nodes] node ${dying} killed: reconnected in ${reconnectMs} ms, ${events.length}/${logged.length} events, ${latest.size} answers ` +
        `and ${chunks.length}/${recording.length} chunks kept (${played.durationS.toFixed(1)} s playable); ` +
        `the silent candidate suspended by node ${survivor} ${(suspendedMs / 1000).toFixed(1)} s after the kill (30 s outage limit)`,
    );
  }, 150_000);
  it('the killed node, started again, learns from the other who watches whom and asks its candidate for thumbnails', async () => {
    expect(killed).not.toBeNull();
    const dead = killed!;
    const alive = up();
    const proctor = await connect(urls[alive], '/staff', await login(urls[alive], 'proctor'));
    data(await request(proctor, 'dashboard:subscribe', {}));
    const link = await issueLink();
    // Watched while the node that will take the candidate is still down: it never saw this change.
    data(await request(proctor, 'cards:watch', { sessionIds: [link.sessionId], detail: null }));
    await nodes[dead].restart();
    killed = null;
    await bothHear();
    // Listening before connecting: the node asks at once when it already knows, or when it learns.
    const socket = connectSocket(`${urls[dead]}/candidate`, {
      auth: { token: link.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    sockets.push(socket);
    const asked = nextEvent<ThumbRequest>(socket, 'thumbs:set', (r) => r.intervalMs > 0, 20_000);
    socket.connect();
    expect(await asked).toEqual({ intervalMs: 4_000, signals: false });
  }, 60_000);
});
