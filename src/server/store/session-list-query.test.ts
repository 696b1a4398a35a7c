/** The list's SQL is built from a fixed vocabulary; the request's text only ever travels as bound parameters. */
import { describe, expect, it } from 'vitest';
import { sessionListQuerySchema } from '../../shared/session-list';
import { buildSessionListSql, foldForSearch } from './session-list-query';

const q = (input: Record<string, unknown>) => sessionListQuerySchema.parse(input);

describe('buildSessionListSql', () => {
  it('puts every filter in WHERE as a bound parameter, in order', () => {
    const built = buildSessionListSql(
      q({ from: 10, to: 20, programme: 'ELEC-4', status: 'submitted', outcome: 'admitted', verdict: 'no_violation' }),
      { iinSearch: true },
    );
    expect(built.where).toBe(
      'WHERE s.list_at >= ? AND s.list_at < ? AND s.programme_id = ? AND s.status = ? AND s.outcome = ? AND v.kind = ?',
    );
    expect(built.params).toEqual([10, 20, 'ELEC-4', 'submitted', 'admitted', 'no_violation']);
    expect(built).toMatchObject({ joinCandidates: false, joinVerdicts: true });
  });

  it('searches IINs by a range from their start only for roles that may see them; otherwise names, folded, wildcards escaped', () => {
    expect(buildSessionListSql(q({ q: '950315' }), { iinSearch: true })).toMatchObject({
      where: 'WHERE c.iin >= ? AND c.iin < ?',
      params: ['950315', '950315:'],
    });
    const asName = buildSessionListSql(q({ q: '950315' }), { iinSearch: false });
    expect(asName.where).toContain('tanu_fold(');
    expect(asName.params).toEqual(['%950315%']);
    expect(buildSessionListSql(q({ q: '  ЁЛКИНА   50%_x ' }), { iinSearch: true }).params).toEqual(['%елкина 50\\%\\_x%']);
  });

  it('orders by a fixed column for each sort, then by date and id; "verdict: none" looks for no verdict', () => {
    const table: Array<[Record<string, unknown>, string]> = [
      [{}, 's.list_at DESC, s.id'],
      [{ dir: 'asc' }, 's.list_at ASC, s.id'],
      [{ sort: 'candidate', dir: 'asc' }, 'c.surname ASC, c.given_name ASC, s.list_at DESC, s.id'],
      [{ sort: 'incidents', dir: 'desc' }, 's.incident_count DESC, s.list_at DESC, s.id'],
      [{ sort: 'outcome', dir: 'asc' }, 's.outcome ASC, s.list_at DESC, s.id'],
    ];
    for (const [input, orderBy] of table) expect(buildSessionListSql(q(input), { iinSearch: false }).orderBy).toBe(orderBy);
    expect(buildSessionListSql(q({ verdict: 'none' }), { iinSearch: false })).toMatchObject({
      where: 'WHERE v.session_id IS NULL',
      params: [],
    });
  });

  it('folds case in any script and ё as е', () => {
    expect(foldForSearch('СЕЙТҚАЛИ  Айгерім')).toBe('сейтқали айгерім');
    expect(foldForSearch('Ёлкина')).toBe('елкина');
    expect(foldForSearch('ÄBENOV')).toBe('äbenov');
  });
});
