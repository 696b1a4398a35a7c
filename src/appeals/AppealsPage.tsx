/**
 * The appeal commission's screen (rules 20-23): the appeals with the day each must be decided
 * by (rule 22), one appeal's text, files and the decision it contests, and the decision with its reasons
 * (upheld issues the document on recognition, rule 23), then its PDF to download.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { AppealDetail, AppealSummary } from '../shared/appeal';
import type { Deadline } from '../shared/procedure';
import { api, ApiError } from '../session/staff-api';
import { formatDay } from '../ui/day-format';
import { useT, useUiLanguage, type MessageKey, type Translate } from '../ui/i18n/i18n';
import { formatPercent } from '../ui/number-format';

async function download(token: string, path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stateText = (t: Translate, d: Deadline) => t(d.due === null ? 'appeals.state.calendar' : (`appeals.state.${d.state}` as MessageKey));

function AppealView({ token, id, onBack }: { token: string; id: string; onBack: () => void }) {
  const t = useT();
  const lang = useUiLanguage();
  const reasonsId = useId();
  const [a, setA] = useState<AppealDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<AppealDetail>(`/api/appeals/${encodeURIComponent(id)}`, token).then(setA, (e: Error) =>
      setError(t('appeals.error', { message: e.message })),
    );
  }, [id, token, t]);
  // The decision, or the document of an upheld appeal asked for again: the answer carries the appeal as it now stands.
  const post = (what: 'decision' | 'document', body?: { decision: string; reasons: string }) => {
    setBusy(true);
    api<AppealDetail & { issueError: { code: string } | null }>(`/api/appeals/${encodeURIComponent(id)}/${what}`, token, {
      method: 'POST',
      ...(body ? { body } : {}),
    })
      .then(
        (d) => {
          setA(d);
          setError(d.issueError ? t('appeals.issueError') : null);
        },
        (err: unknown) => setError(t('appeals.error', { message: err instanceof ApiError ? err.message : String(err) })),
      )
      .finally(() => setBusy(false));
  };
  const decide = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    post('decision', { decision: String(form.get('decision')), reasons: String(form.get('reasons') ?? '') });
  };
  const pdf = (documentId: string, language: 'kk' | 'ru', name: string) =>
    void download(
      token,
      `/api/appeals/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}?lang=${language}`,
      `${name}-${language}.pdf`,
    ).catch(() => setError(t('doc.downloadFailed')));
  const docButtons = (documentId: string | null | undefined, kind: string, number: string) =>
    documentId ? (
      <li key={documentId}>
        {t(`doc.kind.${kind}` as MessageKey)} № {number}{' '}
        <button type="button" onClick={() => pdf(documentId, 'kk', `${kind}-${number}`)}>
          {t('doc.download', { language: t('lang.kk') })}
        </button>{' '}
        <button type="button" onClick={() => pdf(documentId, 'ru', `${kind}-${number}`)} data-testid={`appeal-doc-${kind}-ru`}>
          {t('doc.download', { language: t('lang.ru') })}
        </button>
      </li>
    ) : null;
  return (
    <section className="card" aria-labelledby="appeal-detail-title" data-testid="appeal-detail">
      <button type="button" onClick={onBack}>
        {t('appeals.back')}
      </button>
      {!a ? (
        <p role="status">{error ?? t('common.loading')}</p>
      ) : (
        <>
          <h2 id="appeal-detail-title">{t('appeal.number', { number: a.number, date: formatDay(a.registeredOn, lang) })}</h2>
          <p>
            {a.candidateName}, {a.programme.profession[lang] ?? a.programme.profession.ru}
          </p>
          <p>
            {t('appeals.contested', { number: a.protocol.number, date: a.protocol.signedOn ? formatDay(a.protocol.signedOn, lang) : '—' })}
          </p>
          <p>{t('appeals.outcome', { reason: t(`appeals.reason.${a.protocol.reason ?? 'theory'}` as MessageKey) })}</p>
          {a.theory ? (
            <p>
              {t('appeals.theory', { correct: a.theory.correct, total: a.theory.total, percent: formatPercent(a.theory.percent, lang) })}
            </p>
          ) : null}
          {a.practical ? (
            <p>
              {t('appeals.practical', {
                decision: t(a.practical.decision === 'passed' ? 'appeals.practical.passed' : 'appeals.practical.failed'),
              })}
            </p>
          ) : null}
          <p>
            {t('appeals.col.due')}: {a.deadline.due ? formatDay(a.deadline.due, lang) : '—'} ({stateText(t, a.deadline)})
          </p>
          <h3>{t('appeals.text')}</h3>
          <p className="appeal-text" data-testid="appeal-text">
            {a.text}
          </p>
          <h3>{t('appeals.files')}</h3>
          {a.files.length ? (
            <ul>
              {a.files.map((f) => (
                <li key={f.index}>
                  <button
                    type="button"
                    onClick={() =>
                      void download(token, `/api/appeals/${encodeURIComponent(id)}/files/${f.index}`, f.name).catch(() =>
                        setError(t('doc.downloadFailed')),
                      )
                    }
                  >
                    {t('appeals.file', { name: f.name, size: Math.max(1, Math.round(f.bytes / 1024)) })}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t('appeals.noFiles')}</p>
          )}
          <h3>{t('appeals.documents')}</h3>
          <ul>
            {docButtons(a.protocol.documentId, 'protocol', a.protocol.number)}
            {a.notice ? docButtons(a.notice.id, 'failure-notice', a.notice.number) : null}
            {a.decision ? docButtons(a.decision.documentId, 'appeal-decision', a.number) : null}
            {a.recognition ? docButtons(a.recognition.id, 'recognition', a.recognition.number) : null}
          </ul>
          <h3>{t('appeals.decide')}</h3>
          {a.decision ? (
            <p role="status" data-testid="appeal-decided">
              {t('appeals.decided', {
                decision: t(a.decision.decision === 'upheld' ? 'appeal.upheld' : 'appeal.rejected'),
                date: formatDay(a.decision.decidedOn, lang),
                name: a.decision.by,
              })}
              <br />
              {t('appeal.reasons', { reasons: a.decision.reasons })}
            </p>
          ) : null}
          {a.decision?.decision === 'upheld' && !a.recognition ? (
            <p data-testid="appeal-document-missing">
              {t('appeals.documentMissing')}{' '}
              <button type="button" onClick={() => post('document')} disabled={busy}>
                {t('appeals.issueDocument')}
              </button>
            </p>
          ) : null}
          {a.decision ? null : (
            <form onSubmit={decide} data-testid="appeal-decide">
              <fieldset>
                <legend>{t('appeals.decide')}</legend>
                <label>
                  <input type="radio" name="decision" value="upheld" required /> {t('appeals.decision.upheld')}
                </label>
                <label>
                  <input type="radio" name="decision" value="rejected" required /> {t('appeals.decision.rejected')}
                </label>
              </fieldset>
              <label htmlFor={reasonsId}>{t('appeals.reasonsLabel')}</label>
              <textarea id={reasonsId} name="reasons" rows={4} required maxLength={4000} />
              <button type="submit" className="primary" disabled={busy}>
                {t('appeals.submit')}
              </button>
            </form>
          )}
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

export function AppealsPage({ token }: { token: string }) {
  const t = useT();
  const lang = useUiLanguage();
  const [rows, setRows] = useState<AppealSummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    api<AppealSummary[]>('/api/appeals', token).then(
      (r) => (setRows(r), setFailed(false)),
      () => setFailed(true),
    );
  }, [token]);
  useEffect(load, [load]);
  if (open) return <AppealView token={token} id={open} onBack={() => (setOpen(null), load())} />;
  return (
    <section className="card wide" aria-labelledby="appeals-title" data-testid="appeals">
      <h1 id="appeals-title">{t('appeals.title')}</h1>
      {failed ? (
        <p role="alert" className="error">
          {t('after.loadFailed')}
        </p>
      ) : !rows ? (
        <p role="status">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('appeals.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('appeals.col.number')}</th>
              <th scope="col">{t('appeals.col.candidate')}</th>
              <th scope="col">{t('appeals.col.programme')}</th>
              <th scope="col">{t('appeals.col.registered')}</th>
              <th scope="col">{t('appeals.col.due')}</th>
              <th scope="col">{t('appeals.col.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.attention ? 'attention' : undefined} data-testid="appeal-row">
                <td>
                  <button type="button" onClick={() => setOpen(r.id)} aria-label={t('appeals.open', { number: r.number })}>
                    {r.number}
                  </button>
                </td>
                <td>{r.candidateName}</td>
                <td>{r.programme.profession[lang] ?? r.programme.profession.ru}</td>
                <td>{formatDay(r.registeredOn, lang)}</td>
                <td>{r.deadline.due ? formatDay(r.deadline.due, lang) : '—'}</td>
                <td className={r.attention ? 'error' : undefined}>{stateText(t, r.deadline)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
