/**
 * The reviewers' sessions list in SQL. Filters, sort and page are turned into one WHERE,
 * one ORDER BY from a fixed list of columns and LIMIT/OFFSET; no text from the request ever enters
 * the SQL itself (only bound parameters). The indexes are in the sessions list's migration: list_at
 * (started, else issued), and (status | programme | outcome | incident count, list_at).
 *
 * Name search folds case in JavaScript (SQLite's own lower() and LIKE fold only ASCII, and names
 * are Kazakh and Russian): `tanu_fold()` is registered on the connection by registerSessionListFunctions.
 */
import type Database from 'better-sqlite3';
import { fullName } from './store';
import type { SqlRunner } from './sql-database';
import type { SessionListQuery, SessionListSort, SessionOutcome, SessionVerdictKind } from '../../shared/session-list';
import type { SessionStatus } from '../../shared/limits';

export interface SessionListDbRow {
  sessionId: string;
  at: number;
  startedAt: number | null;
  finishedAt: number | null;
  candidateName: string;
  iin: string;
  programmeId: string;
  programmeCode: string;
  status: SessionStatus;
  outcome: SessionOutcome;
  percent: number | null;
  incidentCount: number;
  verdict: SessionVerdictKind | null;
  verdictIncidentIds: string[];
}

/** Case and letter-form folding for search: lower case in any script, ё as е, one space between words. */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

export function registerSessionListFunctions(db: Database.Database): void {
  db.function('tanu_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : null));
}

const ORDER: Record<SessionListSort, string> = {
  date: 's.list_at',
  candidate: 'c.surname {dir}, c.given_name',
  programme: 'p.code',
  status: 's.status',
  outcome: 's.outcome',
  incidents: 's.incident_count',
};

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

export interface BuiltListSql {
  where: string;
  params: unknown[];
  orderBy: string;
  /** The count needs these joins only when a filter reads them. */
  joinCandidates: boolean;
  joinVerdicts: boolean;
}

/** The WHERE and ORDER BY of a list query; `iinSearch`: digits in the search match IINs (only for roles that may see them). */
export function buildSessionListSql(query: SessionListQuery, options: { iinSearch: boolean }): BuiltListSql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  let joinCandidates = false;
  let joinVerdicts = false;
  if (query.from !== undefined) {
    clauses.push('s.list_at >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    clauses.push('s.list_at < ?');
    params.push(query.to);
  }
  if (query.programme !== undefined) {
    clauses.push('s.programme_id = ?');
    params.push(query.programme);
  }
  if (query.status !== undefined) {
    clauses.push('s.status = ?');
    params.push(query.status);
  }
  if (query.outcome !== undefined) {
    clauses.push('s.outcome = ?');
    params.push(query.outcome);
  }
  if (query.verdict !== undefined) {
    joinVerdicts = true;
    if (query.verdict === 'none') clauses.push('v.session_id IS NULL');
    else {
      clauses.push('v.kind = ?');
      params.push(query.verdict);
    }
  }
  const q = query.q?.trim() ?? '';
  if (q !== '') {
    joinCandidates = true;
    if (options.iinSearch && /^\d{1,12}$/.test(q)) {
      // An IIN from its start: a range on the index (digits sort before ':').
      clauses.push('c.iin >= ? AND c.iin < ?');
      params.push(q, `${q}:`);
    } else {
      clauses.push("tanu_fold(c.surname || ' ' || c.given_name || ' ' || COALESCE(c.patronymic, '')) LIKE ? ESCAPE '\\'");
      params.push(`%${likeEscape(foldForSearch(q))}%`);
    }
  }
  const dir = query.dir === 'asc' ? 'ASC' : 'DESC';
  const column = ORDER[query.sort].replace('{dir}', dir);
  const orderBy = query.sort === 'date' ? `${column} ${dir}, s.id` : `${column} ${dir}, s.list_at DESC, s.id`;
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, orderBy, joinCandidates, joinVerdicts };
}

interface RawRow {
  id: string;
  list_at: number;
  started_at: number | null;
  finished_at: number | null;
  surname: string;
  given_name: string;
  patronymic: string | null;
  iin: string;
  programme_id: string;
  code: string;
  status: SessionStatus;
  outcome: SessionOutcome;
  result_json: string | null;
  incident_count: number;
  verdict: SessionVerdictKind | null;
  verdict_incidents: string | null;
}

/** One page of the list and the number of sessions the filters match. */
export async function listSessionPage(
  db: SqlRunner,
  query: SessionListQuery,
  options: { iinSearch: boolean },
): Promise<{ rows: SessionListDbRow[]; total: number }> {
  const built = buildSessionListSql(query, options);
  const countJoins = `${built.joinCandidates ? ' JOIN candidates c ON c.id = s.candidate_id' : ''}${built.joinVerdicts ? ' LEFT JOIN session_verdicts v ON v.session_id = s.id' : ''}`;
  const total = Number((await db.get(`SELECT COUNT(*) AS n FROM exam_sessions s${countJoins} ${built.where}`, ...built.params))!.n);
  const raw = (await db.all(
    `SELECT s.id, s.list_at, s.started_at, s.finished_at, s.status, s.outcome, s.result_json, s.incident_count, s.programme_id,
       c.surname, c.given_name, c.patronymic, c.iin, p.code, v.kind AS verdict, v.incident_ids_json AS verdict_incidents
     FROM exam_sessions s
     JOIN candidates c ON c.id = s.candidate_id
     JOIN programmes p ON p.id = s.programme_id
     LEFT JOIN session_verdicts v ON v.session_id = s.id
     ${built.where}
     ORDER BY ${built.orderBy}
     LIMIT ? OFFSET ?`,
    ...built.params,
    query.size,
    (query.page - 1) * query.size,
  )) as unknown as RawRow[];
  const rows = raw.map((r): SessionListDbRow => {
    const result = r.result_json ? (JSON.parse(r.result_json) as { percent?: number } | null) : null;
    const scored = r.outcome === 'admitted' || r.outcome === 'not_admitted';
    return {
      sessionId: r.id,
      at: r.list_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      candidateName: fullName({ surname: r.surname, givenName: r.given_name, patronymic: r.patronymic }),
      iin: r.iin,
      programmeId: r.programme_id,
      programmeCode: r.code,
      status: r.status,
      outcome: r.outcome,
      // A terminated or suspended exam has no score to show as if it were a result.
      percent: scored && typeof result?.percent === 'number' ? result.percent : null,
      incidentCount: r.incident_count,
      verdict: r.verdict,
      verdictIncidentIds: r.verdict_incidents ? (JSON.parse(r.verdict_incidents) as string[]) : [],
    };
  });
  return { rows, total };
}
