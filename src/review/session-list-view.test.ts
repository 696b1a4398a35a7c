import { describe, expect, it } from 'vitest';
import { sessionListParams, sessionListQuerySchema } from '../shared/session-list';
import { dayStart, listQuery, nextSort, NO_FILTERS, pageCount } from './session-list-view';

describe('sessions list view logic', () => {
  it('turns the form into a query the centre accepts; "to" covers its whole day; a reversed range is swapped', () => {
    const q = listQuery({ ...NO_FILTERS, from: '2026-01-05', to: '2026-01-05', status: 'terminated', q: '  Ким ' }, 'date', 'desc', 2, 50);
    expect(q.to! - q.from!).toBe(24 * 3600_000);
    expect(q.from).toBe(new Date(2026, 0, 5).getTime());
    expect(q).toMatchObject({ status: 'terminated', q: 'Ким', page: 2, size: 50 });
    expect(sessionListQuerySchema.safeParse(Object.fromEntries(sessionListParams(q))).success).toBe(true);
    const swapped = listQuery({ ...NO_FILTERS, from: '2026-02-01', to: '2026-01-01' }, 'date', 'desc', 1, 25);
    expect(swapped.from).toBe(new Date(2026, 0, 1).getTime());
    expect(swapped.to).toBe(new Date(2026, 1, 2).getTime());
    expect(listQuery(NO_FILTERS, 'date', 'desc', 1, 25)).toEqual({ sort: 'date', dir: 'desc', page: 1, size: 25 });
    expect(sessionListParams(listQuery(NO_FILTERS, 'date', 'desc', 1, 25)).toString()).toBe('');
  });
  it('reads only whole dates', () => {
    expect(dayStart('')).toBeNull();
    expect(dayStart('2026-13-45x')).toBeNull();
  });
  it('sorting by a header flips the same column and starts a new one in its natural order', () => {
    expect(nextSort({ sort: 'date', dir: 'desc' }, 'date')).toEqual({ sort: 'date', dir: 'asc' });
    expect(nextSort({ sort: 'date', dir: 'desc' }, 'candidate')).toEqual({ sort: 'candidate', dir: 'asc' });
    expect(nextSort({ sort: 'candidate', dir: 'asc' }, 'incidents')).toEqual({ sort: 'incidents', dir: 'desc' });
  });
  it('counts pages, at least one', () => {
    expect([pageCount(0, 25), pageCount(25, 25), pageCount(26, 25), pageCount(10_000, 100)]).toEqual([1, 1, 2, 100]);
  });
});
