/** The admin's candidates: find by name or IIN, open one to edit (with its photo and history), add one, or import many. */
import { useEffect, useState } from 'react';
import type { CandidateRecord } from '../shared/candidate-record';
import { useT } from '../ui/i18n/i18n';
import { adminApi } from './admin-api';
import { CandidateForm } from './CandidateForm';
import { CsvImport } from './CsvImport';

export function CandidatesPage(props: { token: string }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [list, setList] = useState<CandidateRecord[] | null>(null);
  const [selected, setSelected] = useState<string | null | 'new'>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      adminApi<CandidateRecord[]>(`/api/admin/candidates?q=${encodeURIComponent(query)}`, props.token).then(setList, () => setList([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [query, props.token, version]);

  return (
    <>
      <section className="card admin-wide" aria-labelledby="cand-title">
        <h2 id="cand-title">{t('admin.cand.title')}</h2>
        <div className="admin-inline">
          <label htmlFor="cand-search">{t('admin.cand.search')}</label>
          <input id="cand-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="button" className="primary" onClick={() => setSelected('new')}>
            {t('admin.cand.new')}
          </button>
        </div>
        {list && list.length === 0 ? <p>{t('admin.cand.none')}</p> : null}
        {list && list.length > 0 ? (
          <table className="admin-table" data-testid="candidate-list">
            <thead>
              <tr>
                <th scope="col">{t('admin.cand.name')}</th>
                <th scope="col">{t('admin.field.iin')}</th>
                <th scope="col">{t('admin.field.profession')}</th>
                <th scope="col">{t('admin.cand.photo')}</th>
                <th scope="col">
                  <span className="sr-only">{t('admin.cand.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const name = [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ');
                return (
                  <tr key={c.id} aria-current={selected === c.id ? 'true' : undefined}>
                    <th scope="row">{name}</th>
                    <td>{c.iin}</td>
                    <td>{c.profession}</td>
                    <td>{c.hasReferencePhoto ? t('admin.cand.hasPhoto') : t('admin.cand.noPhoto')}</td>
                    <td>
                      <button type="button" onClick={() => setSelected(c.id)} aria-label={`${t('admin.cand.edit')}: ${name}`}>
                        {t('admin.cand.edit')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
      {selected !== null ? (
        <CandidateForm
          token={props.token}
          candidateId={selected === 'new' ? null : selected}
          onPhoto={() => setVersion((n) => n + 1)}
          onSaved={(c) => {
            setSelected(c.id);
            setVersion((n) => n + 1);
          }}
        />
      ) : null}
      <CsvImport token={props.token} onImported={() => setVersion((n) => n + 1)} />
    </>
  );
}
