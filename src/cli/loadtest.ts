/**
 * npm run loadtest -- --candidates N --seconds S [--rate R] [--url U[,U2…]] [--nodes K] [--recording-kbps B]
 *
 * Simulated candidates against a centre: each connects with its own exam link, starts the
 * exam and sends R events per second (with an answer every fifth), while one proctor client
 * on /staff receives the live feed. Prints events/s committed, p50/p99 delivery time from the
 * candidate's send to the proctor's receipt, lost events (acknowledged but never delivered),
 * and the server's CPU and memory. Without --url it starts its own centre (a temporary data
 * folder) so the figures are of a fresh server; traffic stays on this machine.
 *
 * Each candidate also reports --incidents per minute (settled incidents of a type that
 * is no violation by default, so no exam ends), timed from the report to the proctor's queue; the
 * proctor watches the first --watched cards, whose browsers then send a live thumbnail every 4 s
 * (volatile, as the real lane); and answers are timed on their own (ack round trip).
 *
 * --url may name several nodes of one centre (comma-separated): candidates connect to them in turn,
 * the proctor to the first, and each node's CPU and memory are reported. Without --url, --nodes K starts K nodes
 * of its own on PostgreSQL and Redis (TANU_TEST_POSTGRES_URL, TANU_TEST_REDIS_URL; a schema of its own, dropped
 * after). --recording-kbps B adds the recording: a chunk of real WebM every 2 s at B kbps from every candidate.
 */
import { parseArgs } from 'node:util';
import type { QueueItem } from '../shared/control-room';
import type { FeedEvent } from '../shared/protocol';
import { percentile } from './percentile';
import { api, connect, drive, newStats, recordingChunks, startCandidates, startOwnCentres } from './simulated-candidates';

const { values: args } = parseArgs({
  options: {
    candidates: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '1' },
    url: { type: 'string' },
    'admin-password': { type: 'string' },
    json: { type: 'string' },
    incidents: { type: 'string', default: '2' },
    watched: { type: 'string', default: '30' },
    nodes: { type: 'string', default: '1' },
    'recording-kbps': { type: 'string', default: '0' },
  },
});
const NODES = Math.max(1, Math.min(8, Number(args.nodes)));
const RECORDING_KBPS = Math.max(0, Math.min(4000, Number(args['recording-kbps'])));
const CHUNK_MS = 2_000;
const INCIDENTS_PER_MINUTE = Math.max(0, Math.min(60, Number(args.incidents)));
const WATCHED = Math.max(0, Math.min(200, Number(args.watched)));

const N = Math.max(1, Math.min(2000, Number(args.candidates)));
const SECONDS = Math.max(1, Math.min(3600, Number(args.seconds)));
const RATE = Math.max(0.1, Math.min(50, Number(args.rate)));
const PASSWORD = args['admin-password'] ?? 'loadtest-password';

type Metrics = { cpuUserUs: number; cpuSystemUs: number; rssBytes: number; node?: { id: string; leader: boolean; nodes: number } };

async function main(): Promise<void> {
  const own = args.url ? null : await startOwnCentres(PASSWORD, NODES);
  const nodes = (args.url?.split(',') ?? own!.urls).map((u) => u.trim().replace(/\/$/, ''));
  const base = nodes[0]!;
  try {
    const admin = await api<{ token: string }>(base, '/api/staff/login', null, { username: 'admin', password: PASSWORD });
    const proctor = await api<{ token: string }>(base, '/api/staff/login', null, { username: 'proctor', password: PASSWORD });

    // the proctor: time of receipt of every candidate event, by (session, index in the event's data), and of every queue item
    const delivered = new Map<string, number>();
    const staff = await connect(`${base}/staff`, proctor.token);
    staff.on('feed:event', (e: FeedEvent) => {
      if (e.type === 'exam.question_viewed') delivered.set(`${e.sessionId}:${(e.data as { index: number }).index}`, Date.now());
    });
    const queued = new Map<string, number>();
    staff.on('queue:item', (item: QueueItem) => {
      if (!queued.has(item.incidentId)) queued.set(item.incidentId, Date.now());
    });
    let thumbsReceived = 0;
    staff.on('thumb', () => thumbsReceived++);
    await staff.timeout(10_000).emitWithAck('dashboard:subscribe', {});

    process.stdout.write(
      `loadtest: ${N} candidates × ${RATE} events/s, ${INCIDENTS_PER_MINUTE} incidents/min, ${WATCHED} cards watched, ` +
        `${RECORDING_KBPS ? `recording at ${RECORDING_KBPS} kbps, ` : ''}for ${SECONDS} s against ${nodes.join(', ')}\n`,
    );
    const stats = newStats();
    const metrics = () => Promise.all(nodes.map((n) => api<Metrics>(n, '/api/metrics', admin.token)));
    const before = await metrics();
    const recording = RECORDING_KBPS > 0 ? { chunks: recordingChunks(RECORDING_KBPS, CHUNK_MS), chunkMs: CHUNK_MS } : undefined;
    const candidates = await startCandidates(base, admin.token, N, stats, nodes);
    const watchedIds = candidates.slice(0, WATCHED).map((c) => c.sessionId);
    await staff.timeout(10_000).emitWithAck('cards:watch', { sessionIds: watchedIds, detail: null });
    const startedAt = Date.now();
    const peakRss = before.map((m) => m.rssBytes);
    const sampler = setInterval(() => {
      metrics().then(
        (all) => all.forEach((m, i) => (peakRss[i] = Math.max(peakRss[i]!, m.rssBytes))),
        (err: unknown) => console.error('loadtest: metrics', err),
      );
    }, 1000);
    await drive(candidates, { rate: RATE, incidentsPerMinute: INCIDENTS_PER_MINUTE, until: startedAt + SECONDS * 1000, recording }, stats);
    const elapsed = (Date.now() - startedAt) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // the last events' way to the proctor
    clearInterval(sampler);
    const after = await metrics();

    const delays = (sent: Map<string, number>, received: Map<string, number>) => {
      const ms: number[] = [];
      let lost = 0;
      for (const [key, t0] of sent) {
        const t1 = received.get(key);
        if (t1 === undefined) lost++;
        else ms.push(t1 - t0);
      }
      return { ms, lost };
    };
    const events = delays(stats.sent, delivered);
    const incidents = delays(stats.incidentsSent, queued);
    const cpuS = nodes.map((_, i) => (after[i]!.cpuUserUs + after[i]!.cpuSystemUs - before[i]!.cpuUserUs - before[i]!.cpuSystemUs) / 1e6);
    const report = {
      nodes: nodes.length,
      candidates: N,
      seconds: Math.round(elapsed * 10) / 10,
      eventsPerSecond: Math.round(((stats.acked + stats.answersAcked) / elapsed) * 10) / 10,
      eventsAcked: stats.acked,
      answersAcked: stats.answersAcked,
      errors: stats.errors,
      ackMsP50: percentile(stats.ackMs, 50),
      ackMsP99: percentile(stats.ackMs, 99),
      deliveryMsP50: percentile(events.ms, 50),
      deliveryMsP99: percentile(events.ms, 99),
      lostEvents: events.lost,
      answerAckMsP50: percentile(stats.answerMs, 50),
      answerAckMsP99: percentile(stats.answerMs, 99),
      chunksAcked: stats.chunksAcked,
      recordingKbpsPerCandidate: Math.round((stats.chunkBytes * 8) / 1000 / elapsed / N),
      chunkAckMsP50: percentile(stats.chunkMs, 50),
      chunkAckMsP99: percentile(stats.chunkMs, 99),
      incidentsSent: stats.incidentsSent.size,
      incidentToQueueMsP50: percentile(incidents.ms, 50),
      incidentToQueueMsP95: percentile(incidents.ms, 95),
      incidentsLost: incidents.lost,
      watchedCards: watchedIds.length,
      thumbsSent: stats.thumbsSent,
      thumbsReceived,
      // Per node, in the order of --url (100 % is one core).
      serverCpuPercent: cpuS.map((s) => Math.round((s / elapsed) * 1000) / 10),
      serverRssMB: after.map((m) => Math.round(m.rssBytes / 1e5) / 10),
      serverRssPeakMB: after.map((m, i) => Math.round(Math.max(peakRss[i]!, m.rssBytes) / 1e5) / 10),
      leader: after.filter((m) => m.node?.leader).map((m) => m.node!.id),
      /** How many nodes each node hears (through Redis): all of them when the cluster is whole. */
      nodesHeard: after.map((m) => m.node?.nodes ?? 1),
    };
    console.table(Object.fromEntries(Object.entries(report).map(([k, v]) => [k, Array.isArray(v) ? v.join(' / ') : v])));
    if (args.json) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(args.json, JSON.stringify(report, null, 2));
    }
    candidates.forEach((c) => c.socket.close());
    staff.close();
    if (events.lost > 0 || stats.errors > 0 || incidents.lost > 0) process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`loadtest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
