/**
 * GET /api/sessions against the real centre and a real SQLite store with 120 seeded sessions:
 * who may list and who sees IINs (route × role), every filter, the search, sorting and paging compared
 * with the seed plan computed independently here, and refusals of malformed queries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionOutcome, type SessionListPage, type SessionListRow } from '../shared/session-list';
import { startHarness, type Harness } from '../testing/centre-harness';
import { testDatabase } from '../testing/test-database';
import { seedSessions, type SeededSession } from '../testing/session-list-seed';

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const COUNT = 120;
let h: Harness;
let seeded: SeededSession[];
let tokens: Record<'proctor' | 'reviewer' | 'admin', string>;

beforeAll(async () => {
  h = await startHarness();
  seeded = await seedSessions(h.store, testDatabase(h.dataDir), COUNT, T0);
  tokens = { proctor: await h.staffToken('proctor'), reviewer: await h.staffToken('reviewer'), admin: await h.staffToken('admin') };
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function list(query: Record<string, string | number>, token: string | null = tokens.reviewer) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await h.http<SessionListPage>('GET', `/api/sessions${qs ? `?${qs}` : ''}`, token);
  return res;
}
async function page(query: Record<string, string | number>, token?: string): Promise<SessionListPage> {
  const res = await list(query, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { data: SessionListPage }).data;
}
/** Every row the filters match, over all pages. */
async function all(query: Record<string, string | number>, token?: string): Promise<SessionListRow[]> {
  const rows: SessionListRow[] = [];
  for (let p = 1; ; p++) {
    const got = await page({ ...query, page: p, size: 100 }, token);
    rows.push(...got.rows);
    if (rows.length >= got.total || got.rows.length === 0) {
      expect(rows).toHaveLength(got.total);
      return rows;
    }
  }
}
const ids = (rows: Array<{ sessionId: string }>) => rows.map((r) => r.sessionId).sort();

describe('GET /api/sessions', () => {
  it('route × role: staff may list; only reviewers and admins see and search IINs; others are refused', async () => {
    const { token: examToken } = await h.issueToken();
    expect((await list({}, null)).status).toBe(401);
    expect((await list({}, examToken)).status).toBe(401); // a candidate's exam token is not a staff log-in
    const target = seeded[17]!;
    for (const role of ['reviewer', 'admin'] as const) {
      const got = await page({ q: target.iin }, tokens[role]);
      expect(got.iinSearch).toBe(true);
      expect(got.rows.map((r) => [r.sessionId, r.iin])).toEqual([[target.sessionId, target.iin]]);
    }
    const byProctor = await page({ size: 100 }, tokens.proctor);
    expect(byProctor.iinSearch).toBe(false);
    expect(byProctor.rows.length).toBe(100);
    expect(byProctor.rows.every((r) => !('iin' in r))).toBe(true);
    const text = JSON.stringify(await all({}, tokens.proctor));
    expect(seeded.filter((s) => text.includes(s.iin))).toEqual([]);
    // A proctor's digits never match an IIN: a search cannot tell whose number it is.
    expect((await page({ q: target.iin }, tokens.proctor)).total).toBe(0);
    expect((await page({ q: target.iin.slice(0, 6) }, tokens.proctor)).total).toBe(0);
  });

  it('filters by status, outcome, programme, verdict and date range exactly as the seed says', async () => {
    const created = (await h.store.listSessions()).length;
    expect((await page({})).total).toBe(created);
    const mine = (f: (s: SeededSession) => boolean) => ids(seeded.filter(f));
    const only = (rows: SessionListRow[]) => ids(rows.filter((r) => seeded.some((s) => s.sessionId === r.sessionId)));
    expect(only(await all({ status: 'terminated' }))).toEqual(mine((s) => s.status === 'terminated'));
    for (const outcome of ['admitted', 'not_admitted', 'terminated', 'suspended'] as const) {
      expect(only(await all({ outcome })), outcome).toEqual(mine((s) => sessionOutcome(s.status, s.result) === outcome));
    }
    const programme = seeded[1]!.programmeId;
    expect(only(await all({ programme }))).toEqual(mine((s) => s.programmeId === programme));
    for (const verdict of ['no_violation', 'violation_confirmed', 'termination_overturned'] as const) {
      expect(only(await all({ verdict })), verdict).toEqual(mine((s) => s.verdict === verdict));
    }
    expect(only(await all({ verdict: 'none' }))).toEqual(mine((s) => s.verdict === null));
    const [from, to] = [T0 + 10 * 60_000, T0 + 40 * 60_000];
    expect(only(await all({ from, to }))).toEqual(
      mine((s) => (s.status !== 'issued' ? s.at >= from && s.at < to : s.at - 3_600_000 >= from && s.at - 3_600_000 < to)),
    );
    // Filters combine.
    const combined = await all({ status: 'submitted', outcome: 'admitted', verdict: 'no_violation' });
    expect(only(combined)).toEqual(mine((s) => s.status === 'submitted' && s.result?.admitted === true && s.verdict === 'no_violation'));
  });

  it('each row carries what the list shows: a terminated exam has no score, incidents are counted by the log', async () => {
    const rows = await all({});
    for (const s of seeded) {
      const row = rows.find((r) => r.sessionId === s.sessionId)!;
      expect(row).toMatchObject({
        candidateName: s.candidateName,
        iin: s.iin,
        status: s.status,
        incidentCount: s.incidents,
        verdict: s.verdict,
        outcome: sessionOutcome(s.status, s.result),
      });
      expect(row.percent).toBe(s.status === 'submitted' || s.status === 'expired' ? s.result!.percent : null);
      expect(row.credibility).toBeGreaterThanOrEqual(0);
      expect(row.credibility).toBeLessThanOrEqual(100);
    }
    // The list's score is the session page's score (one formula, src/shared/credibility.ts), and incidents lower it.
    const sample = [0, 1, 2, 3, 4].map((k) => seeded.find((s) => s.incidents === k && s.verdict === null)!).filter(Boolean);
    expect(sample.length).toBeGreaterThanOrEqual(3);
    const scores: number[] = [];
    for (const s of sample) {
      const detail = await h.http<{ credibility: { score: number } }>('GET', `/api/sessions/${s.sessionId}`, tokens.reviewer);
      const onPage = (detail.body as { data: { credibility: { score: number } } }).data.credibility.score;
      expect(rows.find((r) => r.sessionId === s.sessionId)!.credibility, s.sessionId).toBe(onPage);
      scores.push(onPage);
    }
    expect(scores[0]).toBe(100);
    expect(scores.at(-1)!).toBeLessThan(scores[0]!);
  });

  it('searches names in any case, Kazakh and Russian letters included, ё as е, and IINs from their start', async () => {
    const names = (rows: SessionListRow[]) => rows.map((r) => r.candidateName);
    const seededIds = new Set(seeded.map((s) => s.sessionId));
    expect((await all({ q: 'сейтқали' })).filter((r) => seededIds.has(r.sessionId)).length).toBe(
      seeded.filter((s) => s.candidateName.startsWith('Сейтқали')).length,
    );
    expect(names(await all({ q: 'ЕЛКИНА' })).every((n) => n.startsWith('Ёлкина'))).toBe(true);
    expect((await all({ q: 'ЕЛКИНА' })).length).toBeGreaterThan(0);
    expect(names(await all({ q: 'smith john' })).every((n) => /^Smith John/.test(n))).toBe(true);
    expect((await page({ q: '%' })).total).toBe(0); // LIKE wildcards are text
    const prefix = seeded[3]!.iin.slice(0, 6);
    expect(ids(await all({ q: prefix }))).toEqual(ids(seeded.filter((s) => s.iin.startsWith(prefix))));
  });

  it('sorts on each column both ways and pages without gaps or repeats', async () => {
    const byIncidents = await all({ sort: 'incidents', dir: 'asc' });
    expect(byIncidents.map((r) => r.incidentCount)).toEqual([...byIncidents.map((r) => r.incidentCount)].sort((a, b) => a - b));
    const byDate = await all({});
    expect(byDate.map((r) => r.at)).toEqual([...byDate.map((r) => r.at)].sort((a, b) => b - a));
    const byName = (await all({ sort: 'candidate', dir: 'asc' })).map((r) => r.candidateName.split(' ')[0]!);
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const sort of ['programme', 'status', 'outcome'] as const) expect((await all({ sort, dir: 'asc' })).length).toBe(byDate.length);
    const pages = [1, 2, 3, 4, 5].map((p) => page({ size: 25, page: p, sort: 'incidents' }));
    const got = (await Promise.all(pages)).flatMap((p) => p.rows);
    expect(new Set(got.map((r) => r.sessionId)).size).toBe(got.length);
    expect(ids(got)).toEqual(ids(byDate));
    expect((await page({ page: 99 })).rows).toEqual([]);
  });

  it('refuses a malformed query with a code, never runs it', async () => {
    for (const bad of [
      { size: 7 },
      { sort: 'surname; DROP TABLE exam_sessions' },
      { page: 0 },
      { status: 'lost' },
      { from: 'yesterday' },
      { from: T0 + 1, to: T0 },
      { q: 'x'.repeat(101) },
      { unknown: 1 },
    ]) {
      const res = await list(bad as unknown as Record<string, string | number>);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid' } });
    }
    expect((await page({})).total).toBeGreaterThanOrEqual(COUNT);
  });
});
