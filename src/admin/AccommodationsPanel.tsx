/**
 * Rules 10-11: the admin sets a candidate's accommodations before the exam, with the reason and
 * an optional supporting document. Each one says in plain words what it changes; the exams not started yet
 * run with what is saved (the centre logs it in each), an exam already running keeps what it started with.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { CERTIFICATE_TYPES } from '../shared/reschedule';
import {
  ACCOMMODATION_DOCUMENT_MAX_BYTES,
  BREAKS_MAX,
  EXTRA_TIME_MAX,
  NO_ACCOMMODATIONS,
  type AccommodationRecord,
  type Accommodations,
} from '../shared/accommodations';
import { useCentreZone } from '../stores/centre-zone';
import { FilePicker } from '../ui/components/FilePicker';
import { fileToBase64 } from '../ui/file-base64';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { adminApi } from './admin-api';
import { formatDateTime } from './admin-format';

type ExtraUnit = 'none' | 'percent' | 'minutes';

export function AccommodationsPanel(props: { token: string; candidateId: string; onSaved: () => void }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const id = useId();
  const url = `/api/admin/candidates/${encodeURIComponent(props.candidateId)}/accommodations`;
  const [record, setRecord] = useState<AccommodationRecord | null>(null);
  const [a, setA] = useState<Accommodations>(NO_ACCOMMODATIONS);
  const [unit, setUnit] = useState<ExtraUnit>('none');
  const [extra, setExtra] = useState(25);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    adminApi<AccommodationRecord | null>(url, props.token).then(
      (r) => {
        setRecord(r);
        const current = r?.accommodations ?? NO_ACCOMMODATIONS;
        setA(current);
        setUnit(current.extraTime?.unit ?? 'none');
        setExtra(current.extraTime?.value ?? 25);
        setReason(r?.reason ?? '');
      },
      () => setRecord(null),
    );
  }, [url, props.token]);

  const flag = (key: 'screenReader' | 'speech' | 'largeText' | 'highContrast', label: string) => (
    <label className="admin-check" key={key}>
      <input type="checkbox" name={key} checked={a[key]} onChange={(e) => setA({ ...a, [key]: e.target.checked })} />
      <span>{label}</span>
    </label>
  );

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('document');
    const chosen = file instanceof File && file.size > 0 ? file : null;
    if (chosen && (chosen.size > ACCOMMODATION_DOCUMENT_MAX_BYTES || !(CERTIFICATE_TYPES as readonly string[]).includes(chosen.type))) {
      return setMessage({ ok: false, text: t('acc.form.documentError') });
    }
    const accommodations: Accommodations = { ...a, extraTime: unit === 'none' ? null : { unit, value: extra } };
    setBusy(true);
    setMessage(null);
    try {
      const document = chosen ? { name: chosen.name.slice(0, 120), data: await fileToBase64(chosen) } : null;
      const saved = await adminApi<{ record: AccommodationRecord; exams: number }>(url, props.token, {
        method: 'PUT',
        body: { accommodations, reason, document },
      });
      setRecord(saved.record);
      setMessage({ ok: true, text: t('acc.form.saved', { count: saved.exams }) });
      props.onSaved();
    } catch {
      setMessage({ ok: false, text: t('acc.form.error') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} data-testid="accommodations-panel">
      <h3 id={`${id}-title`}>{t('acc.form.title')}</h3>
      {record ? (
        <p className="hint">{t('acc.form.setBy', { name: record.setBy.name, at: formatDateTime(record.setAt, language, zone) })}</p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} className="admin-form" noValidate>
        <fieldset>
          <legend>{t('acc.form.extraTime')}</legend>
          {(['none', 'percent', 'minutes'] as const).map((u) => (
            <label key={u} className="admin-check">
              <input type="radio" name="extraUnit" value={u} checked={unit === u} onChange={() => setUnit(u)} />
              <span>{t(u === 'none' ? 'acc.form.extraNone' : u === 'percent' ? 'acc.form.extraPercent' : 'acc.form.extraMinutes')}</span>
            </label>
          ))}
          {unit !== 'none' ? (
            <label>
              {t('acc.form.extraValue')}{' '}
              <input
                type="number"
                name="extraValue"
                min={1}
                max={EXTRA_TIME_MAX[unit]}
                value={extra}
                onChange={(e) => setExtra(Number(e.target.value))}
              />
            </label>
          ) : null}
        </fieldset>
        {flag('screenReader', t('acc.form.screenReader'))}
        <label className="admin-check">
          <input
            type="checkbox"
            name="assistant"
            checked={a.assistant !== null}
            onChange={(e) => setA({ ...a, assistant: e.target.checked ? { name: '' } : null })}
          />
          <span>{t('acc.form.assistant')}</span>
        </label>
        {a.assistant ? (
          <label>
            {t('acc.form.assistantName')}{' '}
            <input
              type="text"
              name="assistantName"
              value={a.assistant.name}
              maxLength={200}
              required
              onChange={(e) => setA({ ...a, assistant: { name: e.target.value } })}
            />
          </label>
        ) : null}
        {flag('speech', t('acc.form.speech'))}
        <label className="admin-check">
          <input
            type="checkbox"
            name="breaks"
            checked={a.breaks !== null}
            onChange={(e) => setA({ ...a, breaks: e.target.checked ? { count: 1, minutes: 10 } : null })}
          />
          <span>{t('acc.form.breaks')}</span>
        </label>
        {a.breaks ? (
          <span className="admin-inline">
            <label>
              {t('acc.form.breakCount')}{' '}
              <input
                type="number"
                name="breakCount"
                min={1}
                max={BREAKS_MAX.count}
                value={a.breaks.count}
                onChange={(e) => setA({ ...a, breaks: { ...a.breaks!, count: Number(e.target.value) } })}
              />
            </label>
            <label>
              {t('acc.form.breakMinutes')}{' '}
              <input
                type="number"
                name="breakMinutes"
                min={1}
                max={BREAKS_MAX.minutes}
                value={a.breaks.minutes}
                onChange={(e) => setA({ ...a, breaks: { ...a.breaks!, minutes: Number(e.target.value) } })}
              />
            </label>
          </span>
        ) : null}
        {flag('largeText', t('acc.form.largeText'))}
        {flag('highContrast', t('acc.form.highContrast'))}
        <label htmlFor={`${id}-reason`}>{t('acc.form.reason')}</label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          maxLength={1000}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <FilePicker id={`${id}-doc`} name="document" label={t('acc.form.document')} accept={CERTIFICATE_TYPES.join(',')} required={false} />
        <div className="admin-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('acc.form.save')}
          </button>
          <span role="status" className={message?.ok ? 'ok' : 'error'} data-testid="accommodations-status">
            {message?.text ?? ''}
          </span>
        </div>
      </form>
    </section>
  );
}
