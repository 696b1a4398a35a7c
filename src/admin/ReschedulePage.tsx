/**
 * Rules 6, 7, 11: the admin's reschedule tasks. Open tasks (a technical fault: the exam suspended; a sick
 * leave: filed here with the certificate) each with the certificate to look at, the form for the new date
 * and time window (a new exam link for the same candidate and programme, shown once to send: Tanu sends no
 * e-mail), or a refusal with its reason.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { NotStartedExam } from '../shared/admin';
import { zoneDay, zoneWallToInstant } from '../shared/centre-time';
import type { RescheduleTaskView } from '../shared/reschedule';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { useCentreZone } from '../stores/centre-zone';
import { adminApi, errorCode } from './admin-api';
import { formatDateTime } from './admin-format';
import { FilePicker } from '../ui/components/FilePicker';
import { errorKey } from './message-keys';
import { fileToBase64 } from '../ui/file-base64';

function TaskRow(props: { task: RescheduleTaskView; token: string; onDone: (url: string | null) => void }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [form, setForm] = useState({ date: zoneDay(Date.now() + 86_400_000, zone), from: '09:00', to: '18:00', reason: '' });
  const [failure, setFailure] = useState<string | null>(null);
  const task = props.task;

  const showCertificate = async () => {
    const res = await fetch(`/api/admin/reschedule-tasks/${task.id}/certificate`, { headers: { Authorization: `Bearer ${props.token}` } });
    if (!res.ok) return setFailure('not_found');
    window.open(URL.createObjectURL(await res.blob()), '_blank', 'noopener');
  };
  const reschedule = (e: FormEvent) => {
    e.preventDefault();
    const windowStart = zoneWallToInstant(form.date, form.from, zone);
    const windowEnd = zoneWallToInstant(form.date, form.to, zone);
    if (windowStart === null || windowEnd === null) return setFailure('date');
    adminApi<{ url: string }>(`/api/admin/reschedule-tasks/${task.id}/reschedule`, props.token, {
      method: 'POST',
      body: { windowStart, windowEnd },
    }).then(
      (r) => props.onDone(r.url),
      (err: unknown) => setFailure(errorCode(err)),
    );
  };
  const refuse = () => {
    if (!form.reason.trim()) return setFailure('required');
    adminApi(`/api/admin/reschedule-tasks/${task.id}/refuse`, props.token, { method: 'POST', body: { reason: form.reason } }).then(
      () => props.onDone(null),
      (err: unknown) => setFailure(errorCode(err)),
    );
  };
  const id = (name: string) => `resched-${task.id}-${name}`;
  return (
    <tr data-testid="reschedule-task">
      <td>
        {task.candidateName}
        <br />
        <span className="hint">{task.programmeCode}</span>
      </td>
      <td>
        {t(`admin.resched.cause.${task.cause}` as MessageKey)}
        <br />
        <span className="hint">{formatDateTime(task.openedAt, language, zone)}</span>
      </td>
      <td>
        {task.cause === 'sick_leave' ? <p>{task.note}</p> : null}
        {task.certificate ? (
          <button type="button" onClick={() => void showCertificate()}>
            {t('admin.resched.certificate')}
          </button>
        ) : null}
      </td>
      <td>
        <form onSubmit={reschedule} className="admin-inline">
          <label htmlFor={id('date')}>{t('admin.exams.date')}</label>
          <input id={id('date')} type="date" value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />
          <label htmlFor={id('from')}>{t('admin.exams.from')}</label>
          <input id={id('from')} type="time" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
          <label htmlFor={id('to')}>{t('admin.exams.to')}</label>
          <input id={id('to')} type="time" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
          <button type="submit" className="primary">
            {t('admin.resched.setDate')}
          </button>
        </form>
        <div className="admin-inline">
          <label htmlFor={id('reason')}>{t('admin.resched.reason')}</label>
          <input id={id('reason')} value={form.reason} maxLength={500} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          <button type="button" onClick={refuse}>
            {t('admin.resched.refuse')}
          </button>
        </div>
        <span role="alert" className="error">
          {failure ? t(errorKey(failure)) : ''}
        </span>
      </td>
    </tr>
  );
}

export function ReschedulePage(props: { token: string }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [tasks, setTasks] = useState<RescheduleTaskView[] | null>(null);
  const [waiting, setWaiting] = useState<NotStartedExam[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; code: string } | null>(null);
  const [sick, setSick] = useState({ sessionId: '', note: '' });

  const reload = useCallback(() => {
    adminApi<RescheduleTaskView[]>('/api/admin/reschedule-tasks', props.token).then(setTasks, (e: unknown) =>
      setStatus({ ok: false, code: errorCode(e) }),
    );
    adminApi<NotStartedExam[]>('/api/admin/exams/not-started', props.token).then(setWaiting, () => setWaiting([]));
  }, [props.token]);
  useEffect(reload, [reload]);

  const fileSickLeave = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = (e.currentTarget.elements.namedItem('certificate') as HTMLInputElement | null)?.files?.[0];
    if (!sick.sessionId || !sick.note.trim() || !file) return setStatus({ ok: false, code: 'required' });
    try {
      await adminApi('/api/admin/reschedule-tasks/sick-leave', props.token, {
        method: 'POST',
        body: { sessionId: sick.sessionId, note: sick.note, certificate: await fileToBase64(file) },
      });
      setSick({ sessionId: '', note: '' });
      setStatus({ ok: true, code: '' });
      reload();
    } catch (err) {
      setStatus({ ok: false, code: errorCode(err) });
    }
  };

  return (
    <section className="card admin-wide" aria-labelledby="resched-title">
      <h2 id="resched-title">{t('admin.resched.title')}</h2>
      <p className="hint">{t('admin.resched.hint')}</p>
      {link ? (
        <div className="admin-link" role="status" data-testid="reschedule-link">
          <p>{t('admin.resched.linkHint')}</p>
          <input readOnly value={link} aria-label={t('admin.resched.linkHint')} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
      {tasks === null ? (
        <p>{t('common.loading')}</p>
      ) : tasks.length === 0 ? (
        <p>{t('admin.resched.none')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.exams.candidate')}</th>
              <th scope="col">{t('admin.resched.cause')}</th>
              <th scope="col">{t('admin.resched.evidence')}</th>
              <th scope="col">{t('admin.resched.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <TaskRow
                key={task.id}
                task={task}
                token={props.token}
                onDone={(url) => {
                  setLink(url);
                  reload();
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <h3 id="sick-title">{t('admin.resched.sickTitle')}</h3>
      <form onSubmit={(e) => void fileSickLeave(e)} noValidate className="admin-grid" aria-labelledby="sick-title">
        <div className="admin-field">
          <label htmlFor="sick-exam">{t('admin.resched.exam')}</label>
          <select id="sick-exam" value={sick.sessionId} onChange={(e) => setSick({ ...sick, sessionId: e.target.value })}>
            <option value="">{t('admin.exams.choose')}</option>
            {waiting.map((w) => (
              <option
                key={w.sessionId}
                value={w.sessionId}
              >{`${w.candidateName} · ${w.programmeCode} · ${formatDateTime(w.window?.start ?? w.expiresAt, language, zone)}`}</option>
            ))}
          </select>
        </div>
        <div className="admin-field">
          <label htmlFor="sick-note">{t('admin.resched.note')}</label>
          <input id="sick-note" value={sick.note} maxLength={500} onChange={(e) => setSick({ ...sick, note: e.target.value })} />
        </div>
        <div className="admin-field admin-span">
          <FilePicker
            id="sick-certificate"
            name="certificate"
            label={t('admin.resched.file')}
            accept="application/pdf,image/jpeg,image/png"
          />
        </div>
        <div className="admin-actions admin-span">
          <button type="submit" className="primary">
            {t('admin.resched.file.submit')}
          </button>
          <span role="status" className={status?.ok ? 'ok' : 'error'}>
            {status ? (status.ok ? t('admin.resched.filed') : t(errorKey(status.code))) : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
