/**
 * `npm run bench:sessions`: the reviewers' sessions list with 10,000 sessions in a real store.
 * Seeds the sessions (candidates, started and finished exams, logged incidents, verdicts) into a fresh
 * SQLite file of a real centre on a random port, then asks GET /api/sessions as a reviewer the way the
 * list screen does (first page, each filter, name and IIN searches, each sort, deep pages), one request
 * at a time, and prints p50 / p95 / max per kind and overall. The target: overall p95 ≤ 200 ms; the
 * process exits 1 when it is missed.
 * Options: --sessions 10000 --rounds 20.
 */
import { parseArgs } from 'node:util';
import { startHarness } from '../testing/centre-harness';
import { testDatabase } from '../testing/test-database';
import { seedSessions } from '../testing/session-list-seed';
import { percentile } from './percentile';

const { values: args } = parseArgs({
  options: { sessions: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '20' } },
});
const SESSIONS = Number(args.sessions);
const ROUNDS = Number(args.rounds);
const TARGET_P95_MS = 200;

async function main(): Promise<void> {
  const h = await startHarness();
  try {
    const t0 = Date.UTC(2026, 0, 5, 6, 0, 0);
    const seedStart = performance.now();
    const seeded = await seedSessions(h.store, testDatabase(h.dataDir), SESSIONS, t0, 500);
    console.log(`seeded ${seeded.length} sessions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const reviewer = await h.staffToken('reviewer');
    const programme = seeded[1]!.programmeId;
    const middle = t0 + Math.floor(SESSIONS / 2) * 60_000;
    const kinds: Record<string, Record<string, string | number>> = {
      'first page': {},
      'page 200 of 25': { page: 200 },
      'last page of 100': { page: Math.ceil(SESSIONS / 100), size: 100 },
      status: { status: 'terminated' },
      outcome: { outcome: 'not_admitted' },
      programme: { programme },
      verdict: { verdict: 'violation_confirmed' },
      'no verdict yet': { verdict: 'none' },
      'a week': { from: middle, to: middle + 7 * 86_400_000 },
      'name search': { q: 'нұрланова' },
      'IIN search': { q: seeded[4321 % seeded.length]!.iin.slice(0, 8) },
      'sort by candidate': { sort: 'candidate', dir: 'asc' },
      'sort by incidents': { sort: 'incidents' },
      'sort by outcome, page 50': { sort: 'outcome', page: 50 },
      'filters combined': { status: 'submitted', outcome: 'admitted', programme, sort: 'incidents' },
    };
    const times: Record<string, number[]> = {};
    let rows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [kind, query] of Object.entries(kinds)) {
        const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
        const started = performance.now();
        const res = await fetch(`${h.url}/api/sessions${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${reviewer}` } });
        const body = (await res.json()) as { data?: { rows: unknown[]; total: number } };
        const ms = performance.now() - started;
        if (res.status !== 200 || !body.data) throw new Error(`${kind}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        if (round > 0) (times[kind] ??= []).push(ms); // the first round warms the statement cache
        rows += body.data.rows.length;
      }
    }
    const fmt = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
    console.log(`GET /api/sessions with ${SESSIONS} sessions, ${ROUNDS - 1} measured rounds (${rows} rows returned in all)`);
    console.log(`${'query'.padEnd(26)}      p50       p95       max`);
    for (const [kind, v] of Object.entries(times))
      console.log(`${kind.padEnd(26)}${fmt(percentile(v, 50))} ${fmt(percentile(v, 95))} ${fmt(Math.max(...v))}`);
    const everything = Object.values(times).flat();
    const p95 = percentile(everything, 95);
    console.log(`${'all'.padEnd(26)}${fmt(percentile(everything, 50))} ${fmt(p95)} ${fmt(Math.max(...everything))}`);
    console.log(
      p95 <= TARGET_P95_MS
        ? `OK: p95 ${p95.toFixed(1)} ms ≤ ${TARGET_P95_MS} ms`
        : `MISSED: p95 ${p95.toFixed(1)} ms > ${TARGET_P95_MS} ms`,
    );
    if (p95 > TARGET_P95_MS) process.exitCode = 1;
  } finally {
    await h.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
