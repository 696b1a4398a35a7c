/**
 * `npm run bench:flood`: what one abusive client does to everybody else at a real centre.
 *  1. flood: one candidate sends 2,000 event:log at once; /api/health is polled every 10 ms meanwhile
 *     and its latency reported (p50 / p99 / max); target p99 ≤ 50 ms.
 *  2. logins: 24 concurrent wrong staff log-ins while another candidate uploads recording chunks;
 *     the chunk ack latency is reported.
 * `--no-limits` runs the same with the limits lifted (effectively the centre without its abuse limits), for the before figure.
 * TANU_BENCH_DEBUG=1 also prints each /api/health answer slower than 10 ms with its time from the flood's start.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import type { ExamSnapshot } from '../shared/protocol';
import { DEFAULT_CANDIDATE_RATE_LIMITS, type CandidateRateLimits } from '../server/rate-limit';
import { data, request, startHarness, type Harness } from '../testing/centre-harness';
import { cutIntoChunks, ffmpegWebm } from '../testing/recording-chunks';
import { percentile } from './percentile';

const { values: args } = parseArgs({
  options: {
    'no-limits': { type: 'boolean', default: false },
    events: { type: 'string', default: '2000' },
    logins: { type: 'string', default: '24' },
    // Internal: the flooding candidate runs in its own process, so its own sending does not stall the centre's loop being measured.
    'flood-client': { type: 'string' },
  },
});
const unlimited = args['no-limits'];
const lifted = { perSecond: 1e9, burst: 1e9 };

async function startedExam(h: Harness) {
  const { token } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { socket, snap };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const summary = (label: string, v: number[]) =>
  console.log(`  ${label}: n=${v.length} p50=${ms(percentile(v, 50))} p99=${ms(percentile(v, 99))} max=${ms(Math.max(...v))}`);

async function flood(h: Harness, count: number): Promise<void> {
  const { socket, snap } = await startedExam(h);
  const latencies: number[] = [];
  const at: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${h.url}/api/health`).then((r) => r.arrayBuffer());
      latencies.push(performance.now() - t0);
      at.push(t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 100)); // a baseline before the flood
  const token = (socket.auth as { token: string }).token;
  socket.close();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--flood-client', JSON.stringify({ url: h.url, token, seq: snap.nextSeq, count })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => child.on('exit', r));
  const took = performance.now() - t0;
  const answers = JSON.parse(out) as Array<{ data?: unknown; error?: { code: string } }>;
  await new Promise((r) => setTimeout(r, 100));
  running = false;
  await poll;
  const refused = answers.filter((a) => a.error?.code === 'too_many').length;
  console.log(
    `flood: ${count} event:log at once (from another process) took ${ms(took)} with its start-up; accepted ${answers.filter((a) => 'data' in a).length}, too_many ${refused}`,
  );
  summary('/api/health latency during the flood', latencies);
  if (process.env.TANU_BENCH_DEBUG)
    console.log(latencies.map((l, i) => [Math.round(at[i]! - t0), Math.round(l)]).filter(([, l]) => l! > 10));
}

async function logins(h: Harness, count: number): Promise<void> {
  const { socket } = await startedExam(h);
  const chunks = cutIntoChunks(ffmpegWebm(8), 8, { seconds: 8 });
  const baseline: number[] = [];
  const upload = async (chunk: (typeof chunks)[number], into: number[]) => {
    const t0 = performance.now();
    data(await request(socket, 'recording:chunk', chunk, 60_000));
    into.push(performance.now() - t0);
  };
  for (const c of chunks.slice(0, 2)) await upload(c, baseline);
  const during: number[] = [];
  const statuses: number[] = [];
  const logins = Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${h.url}/api/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `user${i}`, password: 'wrong-password' }),
      }).then((r) => statuses.push(r.status)),
    ),
  );
  for (const c of chunks.slice(2)) await upload(c, during);
  await logins;
  const by = statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
  console.log(`logins: ${count} concurrent wrong log-ins answered ${JSON.stringify(by)}`);
  summary('chunk ack before', baseline);
  summary('chunk ack during the log-ins', during);
  socket.close();
}

async function floodClient(spec: { url: string; token: string; seq: number; count: number }): Promise<void> {
  const socket = io(`${spec.url}/candidate`, { auth: { token: spec.token }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  const answers = await Promise.all(
    Array.from({ length: spec.count }, (_, i) =>
      request(socket, 'event:log', { seq: spec.seq + i, id: `flood-${i}`, type: 'env.focus_lost', at: Date.now() }, 120_000),
    ),
  );
  socket.close();
  process.stdout.write(JSON.stringify(answers));
}

async function main(): Promise<void> {
  if (args['flood-client']) return floodClient(JSON.parse(args['flood-client']) as never);
  const limits: CandidateRateLimits = unlimited
    ? (Object.fromEntries(Object.keys(DEFAULT_CANDIDATE_RATE_LIMITS).map((k) => [k, lifted])) as CandidateRateLimits)
    : DEFAULT_CANDIDATE_RATE_LIMITS;
  const h = await startHarness({
    config: { candidateRateLimits: limits, ...(unlimited ? { loginLimits: { concurrency: 1000, queue: 1000, perAddress: lifted } } : {}) },
  });
  console.log(`flood bench (${unlimited ? 'limits lifted: the centre without its abuse limits' : 'limits on'})`);
  try {
    await flood(h, Number(args.events));
    await logins(h, Number(args.logins));
  } finally {
    await h.close();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
