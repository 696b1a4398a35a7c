/**
 * The sessions list's own logic, pure: the form's filters turned into the API query (dates
 * as the start of a day in the browser's zone, "to" inclusive), sorting by a column header, paging.
 */
import type { SessionListQuery, SessionListSort } from '../shared/session-list';

export interface ListFilters {
  /** <input type="date"> values, "YYYY-MM-DD" or "". */
  from: string;
  to: string;
  programme: string;
  status: string;
  outcome: string;
  verdict: string;
  q: string;
}

export const NO_FILTERS: ListFilters = { from: '', to: '', programme: '', status: '', outcome: '', verdict: '', q: '' };

/** The start of a calendar day in this browser's time zone, ms since epoch; null for an empty or malformed value. */
export function dayStart(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isFinite(at) ? at : null;
}

/** The API query for filters, sort and page ("to" takes the whole day; a reversed range is swapped). */
export function listQuery(
  filters: ListFilters,
  sort: SessionListSort,
  dir: 'asc' | 'desc',
  page: number,
  size: number,
): Partial<SessionListQuery> {
  let from = dayStart(filters.from);
  const toDay = dayStart(filters.to);
  let to = toDay === null ? null : new Date(new Date(toDay).setDate(new Date(toDay).getDate() + 1)).getTime();
  if (from !== null && to !== null && from >= to)
    [from, to] = [dayStart(filters.to), new Date(new Date(from).setDate(new Date(from).getDate() + 1)).getTime()];
  const q = filters.q.trim();
  return {
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to } : {}),
    ...(filters.programme ? { programme: filters.programme } : {}),
    ...(filters.status ? { status: filters.status as SessionListQuery['status'] } : {}),
    ...(filters.outcome ? { outcome: filters.outcome as SessionListQuery['outcome'] } : {}),
    ...(filters.verdict ? { verdict: filters.verdict as SessionListQuery['verdict'] } : {}),
    ...(q ? { q } : {}),
    sort,
    dir,
    page,
    size,
  };
}

/** A click on a column header: the same column flips the direction; a new one starts descending (newest, most first), names ascending. */
export function nextSort(
  current: { sort: SessionListSort; dir: 'asc' | 'desc' },
  column: SessionListSort,
): { sort: SessionListSort; dir: 'asc' | 'desc' } {
  if (current.sort === column) return { sort: column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: column, dir: column === 'candidate' || column === 'programme' ? 'asc' : 'desc' };
}

export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}
