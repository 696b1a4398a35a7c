/**
 * npm run loadtest -- --candidates N --seconds S [--rate R] [--url U]
 *
 * Simulated candidates against a centre: each connects with its own exam link, starts the
 * exam and sends R events per second (with an answer every fifth), while one proctor client
 * on /staff receives the live feed. Prints events/s committed, p50/p99 delivery time from the
 * candidate's send to the proctor's receipt, lost events (acknowledged but never delivered),
 * and the server's CPU and memory. Without --url it starts its own centre (a temporary data
 * folder) so the figures are of a fresh server; traffic stays on this machine.
 *
 * Issue 10: each candidate also reports --incidents per minute (settled incidents of a type that
 * is no violation by default, so no exam ends), timed from the report to the proctor's queue; the
 * proctor watches the first --watched cards, whose browsers then send a live thumbnail every 4 s
 * (volatile, as the real lane); and answers are timed on their own (ack round trip).
 */
import { parseArgs } from 'node:util';
import type { QueueItem } from '../shared/control-room';
import type { FeedEvent } from '../shared/protocol';
import { percentile } from './percentile';
import { api, connect, drive, newStats, startCandidates, startOwnCentre } from './simulated-candidates';

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
  },
});
const INCIDENTS_PER_MINUTE = Math.max(0, Math.min(60, Number(args.incidents)));
const WATCHED = Math.max(0, Math.min(200, Number(args.watched)));

const N = Math.max(1, Math.min(2000, Number(args.candidates)));
const SECONDS = Math.max(1, Math.min(3600, Number(args.seconds)));
const RATE = Math.max(0.1, Math.min(50, Number(args.rate)));
const PASSWORD = args['admin-password'] ?? 'loadtest-password';

async function main(): Promise<void> {
  const own = args.url ? null : await startOwnCentre(PASSWORD);
  const base = (args.url ?? own!.url).replace(/\/$/, '');
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

    process.stdout.write(`loadtest: ${N} candidates × ${RATE} events/s, ${INCIDENTS_PER_MINUTE} incidents/min, ${WATCHED} cards watched, for ${SECONDS} s against ${base}\n`);
    const stats = newStats();
    const before = await api<{ cpuUserUs: number; cpuSystemUs: number; rssBytes: number }>(base, '/api/metrics', admin.token);
    const candidates = await startCandidates(base, admin.token, N, stats);
    const watchedIds = candidates.slice(0, WATCHED).map((c) => c.sessionId);
    await staff.timeout(10_000).emitWithAck('cards:watch', { sessionIds: watchedIds, detail: null });
    const startedAt = Date.now();
    const maxMemory = { rss: before.rssBytes };
    const sampler = setInterval(() => {
      api<{ rssBytes: number }>(base, '/api/metrics', admin.token).then((m) => (maxMemory.rss = Math.max(maxMemory.rss, m.rssBytes)), () => undefined);
    }, 1000);
    await drive(candidates, { rate: RATE, incidentsPerMinute: INCIDENTS_PER_MINUTE, until: startedAt + SECONDS * 1000 }, stats);
    const elapsed = (Date.now() - startedAt) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // the last events' way to the proctor
    clearInterval(sampler);
    const after = await api<{ cpuUserUs: number; cpuSystemUs: number; rssBytes: number }>(base, '/api/metrics', admin.token);

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
    const cpuS = (after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs) / 1e6;
    const report = {
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
      incidentsSent: stats.incidentsSent.size,
      incidentToQueueMsP50: percentile(incidents.ms, 50),
      incidentToQueueMsP95: percentile(incidents.ms, 95),
      incidentsLost: incidents.lost,
      watchedCards: watchedIds.length,
      thumbsSent: stats.thumbsSent,
      thumbsReceived,
      serverCpuPercent: Math.round((cpuS / elapsed) * 1000) / 10,
      serverRssMB: Math.round(after.rssBytes / 1e5) / 10,
      serverRssPeakMB: Math.round(Math.max(maxMemory.rss, after.rssBytes) / 1e5) / 10,
    };
    console.table(report);
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
