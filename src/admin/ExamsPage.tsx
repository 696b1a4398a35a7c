/**
 * Schedule a candidate's exam in a time window and issue the one-time link (shown once, with a
 * copy button; a new link ends the older unused one), and the list of who has not started, each revocable.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { IssuedExam, NotStartedExam } from '../shared/admin';
import type { LocalisedText } from '../shared/programme';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { adminApi, errorCode } from './admin-api';
import { formatDateTime } from './admin-format';
import { errorKey } from './message-keys';
import { useCentreZone } from '../stores/centre-zone';
import { zoneDay, zoneWallToInstant } from '../shared/centre-time';

interface Roster {
  candidates: { id: string; name: string }[];
  programmes: { id: string; code: string; profession: LocalisedText; durationMinutes: number }[];
}

function IssuedLink(props: { issued: IssuedExam; name: string }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [copied, setCopied] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  /** The Clipboard API exists only on https:// and localhost; on a plain-http centre network the selected text is copied the old way. */
  const copyBySelection = () => {
    field.current?.select();
    setCopied(document.execCommand('copy'));
  };
  const copy = () => {
    if (navigator.clipboard) void navigator.clipboard.writeText(props.issued.url).then(() => setCopied(true), copyBySelection);
    else copyBySelection();
  };
  return (
    <div className="admin-link" role="region" aria-labelledby="issued-title" data-testid="issued-link">
      <h3 id="issued-title">{t('admin.exams.linkTitle', { name: props.name })}</h3>
      <p>{t('admin.exams.linkOnce', { until: formatDateTime(props.issued.expiresAt, language, zone) })}</p>
      <div className="admin-inline">
        <input
          ref={field}
          readOnly
          value={props.issued.url}
          aria-label={t('admin.exams.linkTitle', { name: props.name })}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="issued-url"
        />
        <button type="button" className="primary" onClick={copy}>
          {t('admin.exams.copy')}
        </button>
        <span role="status" className="ok">
          {copied ? t('admin.exams.copied') : ''}
        </span>
      </div>
      {props.issued.revoked.length > 0 ? <p className="hint">{t('admin.exams.revokedOld')}</p> : null}
    </div>
  );
}

export function ExamsPage(props: { token: string }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [roster, setRoster] = useState<Roster | null>(null);
  const [waiting, setWaiting] = useState<NotStartedExam[]>([]);
  const [issued, setIssued] = useState<{ exam: IssuedExam; name: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [revokedNotice, setRevokedNotice] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ candidateId: '', programmeId: '', date: zoneDay(Date.now(), zone), from: '09:00', to: '18:00' });

  const reload = useCallback(() => {
    adminApi<NotStartedExam[]>('/api/admin/exams/not-started', props.token).then(setWaiting, () => setWaiting([]));
  }, [props.token]);
  useEffect(() => {
    adminApi<Roster>('/api/roster', props.token).then(
      (r) => {
        setRoster(r);
        setForm((f) => ({ ...f, programmeId: f.programmeId || r.programmes[0]?.id || '' }));
      },
      (e: unknown) => setFailure(errorCode(e)),
    );
    reload();
  }, [props.token, reload]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const windowStart = zoneWallToInstant(form.date, form.from, zone);
    const windowEnd = zoneWallToInstant(form.date, form.to, zone);
    if (windowStart === null || windowEnd === null) return setFailure('date');
    setBusy(true);
    setFailure(null);
    setRevokedNotice(false);
    adminApi<IssuedExam>('/api/admin/exams', props.token, {
      method: 'POST',
      body: { candidateId: form.candidateId, programmeId: form.programmeId, windowStart, windowEnd },
    })
      .then(
        (exam) => {
          setIssued({ exam, name: roster?.candidates.find((c) => c.id === form.candidateId)?.name ?? '' });
          reload();
        },
        (err: unknown) => setFailure(errorCode(err)),
      )
      .finally(() => setBusy(false));
  };
  const revoke = (sessionId: string) =>
    adminApi(`/api/admin/exams/${sessionId}/revoke`, props.token, { method: 'POST', body: {} }).then(
      () => {
        setRevokedNotice(true);
        if (issued?.exam.sessionId === sessionId) setIssued(null);
        reload();
      },
      (err: unknown) => setFailure(errorCode(err)),
    );
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  return (
    <>
      <section className="card admin-wide" aria-labelledby="exams-title">
        <h2 id="exams-title">{t('admin.exams.title')}</h2>
        <form onSubmit={submit} className="admin-grid">
          <label className="admin-field">
            <span>{t('admin.exams.candidate')}</span>
            <select required value={form.candidateId} onChange={set('candidateId')} name="candidate">
              <option value="">{t('admin.exams.choose')}</option>
              {roster?.candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="admin-field">
            <span>{t('admin.exams.programme')}</span>
            <select required value={form.programmeId} onChange={set('programmeId')} name="programme">
              {roster?.programmes.map((p) => (
                <option key={p.id} value={p.id}>{`${p.code}: ${p.profession[language]}`}</option>
              ))}
            </select>
          </label>
          <label className="admin-field">
            <span>{t('admin.exams.date')}</span>
            <input type="date" required value={form.date} onChange={set('date')} name="date" />
          </label>
          <label className="admin-field">
            <span>{t('admin.exams.from')}</span>
            <input type="time" required value={form.from} onChange={set('from')} name="from" />
          </label>
          <label className="admin-field">
            <span>{t('admin.exams.to')}</span>
            <input type="time" required value={form.to} onChange={set('to')} name="to" />
          </label>
          <div className="admin-actions admin-span">
            <button type="submit" className="primary" disabled={busy || !form.candidateId}>
              {t('admin.exams.issue')}
            </button>
          </div>
        </form>
        {failure ? (
          <p role="alert" className="error">
            {t(errorKey(failure))}
          </p>
        ) : null}
        {issued ? <IssuedLink issued={issued.exam} name={issued.name} /> : null}
      </section>
      <section className="card admin-wide" aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('admin.exams.waiting')}</h2>
        {revokedNotice ? (
          <p role="status" className="ok">
            {t('admin.exams.revoked')}
          </p>
        ) : null}
        {waiting.length === 0 ? (
          <p>{t('admin.exams.noneWaiting')}</p>
        ) : (
          <table className="admin-table" data-testid="not-started">
            <thead>
              <tr>
                <th scope="col">{t('admin.exams.candidate')}</th>
                <th scope="col">{t('admin.exams.programme')}</th>
                <th scope="col">{t('admin.exams.window')}</th>
                <th scope="col">{t('admin.exams.issued')}</th>
                <th scope="col">
                  <span className="sr-only">{t('admin.exams.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((w) => (
                <tr key={w.sessionId}>
                  <th scope="row">{w.candidateName}</th>
                  <td>{w.programmeCode}</td>
                  <td>
                    {w.window
                      ? `${formatDateTime(w.window.start, language, zone)} – ${formatDateTime(w.window.end, language, zone)}`
                      : t('admin.exams.noWindow', { until: formatDateTime(w.expiresAt, language, zone) })}
                  </td>
                  <td>{formatDateTime(w.createdAt, language, zone)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void revoke(w.sessionId)}
                      aria-label={t('admin.exams.revokeOf', { name: w.candidateName })}
                    >
                      {t('admin.exams.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
