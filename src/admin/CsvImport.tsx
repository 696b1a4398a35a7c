/** Many candidates from a CSV file; the centre checks each line on its own and this shows every refused line and why. */
import { useState, type FormEvent } from 'react';
import type { ImportReport } from '../shared/admin';
import { CSV_EXAMPLE } from '../shared/candidate-csv';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { adminApi, errorCode } from './admin-api';
import { formatNumber } from './admin-format';
import { FilePicker } from '../ui/components/FilePicker';
import { errorKey, fieldKey } from './message-keys';

export function CsvImport(props: { token: string; onImported: () => void }) {
  const t = useT();
  const language = useUiLanguage();
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('csv');
    if (!(file instanceof Blob) || file.size === 0) return;
    setBusy(true);
    setFailure(null);
    void file
      .text()
      .then((csv) => adminApi<ImportReport>('/api/admin/candidates/import', props.token, { method: 'POST', body: { csv } }))
      .then(
        (r) => {
          setReport(r);
          props.onImported();
        },
        (err: unknown) => {
          setReport(null);
          setFailure(errorCode(err));
        },
      )
      .finally(() => setBusy(false));
  };
  return (
    <section className="card admin-wide" aria-labelledby="import-title" data-testid="csv-import">
      <h2 id="import-title">{t('admin.import.title')}</h2>
      <p className="hint">{t('admin.import.intro')}</p>
      <figure className="admin-example">
        <figcaption>{t('admin.import.example')}</figcaption>
        <pre>
          <code>{CSV_EXAMPLE}</code>
        </pre>
      </figure>
      <form onSubmit={submit} className="admin-inline">
        <FilePicker id="import-file" name="csv" label={t('admin.import.file')} accept=".csv,text/csv" />
        <button type="submit" disabled={busy}>
          {t('admin.import.run')}
        </button>
      </form>
      {failure ? (
        <p role="alert" className="error">
          {t(errorKey(failure))}
        </p>
      ) : null}
      {report ? (
        <>
          <p role="status" data-testid="import-result">
            {t('admin.import.result', {
              created: formatNumber(report.created, language),
              refused: formatNumber(report.refused.length, language),
            })}
          </p>
          {report.refused.length > 0 ? (
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.import.line')}</th>
                  <th scope="col">{t('admin.import.who')}</th>
                  <th scope="col">{t('admin.import.why')}</th>
                </tr>
              </thead>
              <tbody>
                {report.refused.map((r) => (
                  <tr key={r.line}>
                    <td>{formatNumber(r.line, language)}</td>
                    <td>{[r.name, r.iin].filter(Boolean).join(', ')}</td>
                    <td>
                      {Object.entries(r.errors)
                        .map(([field, code]) => `${t(fieldKey(field))}: ${t(errorKey(code))}`)
                        .join(' ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
