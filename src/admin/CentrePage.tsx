/** The centre's settings: its name in kk / ru / en, accreditation number, the contact candidates see, and its time zone. */
import { useEffect, useState, type FormEvent } from 'react';
import { centreSettingsSchema, settingErrors, type CentreSettings } from '../shared/admin-staff';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { adminApi, AdminApiError, errorCode } from './admin-api';
import { errorKey } from './message-keys';
import { NqsExportPanel } from './NqsExportPanel';
import { setCentreTimeZone } from '../stores/staff-store';

const TIME_ZONES = ['Asia/Almaty', 'Asia/Aqtobe', 'Asia/Aqtau', 'Asia/Atyrau', 'Asia/Oral', 'Asia/Qostanay', 'Asia/Qyzylorda', 'UTC'];

export function CentrePage(props: { token: string }) {
  const t = useT();
  const [settings, setSettings] = useState<CentreSettings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<'idle' | 'saved' | 'refused'>('idle');
  useEffect(() => {
    adminApi<CentreSettings>('/api/admin/centre', props.token).then(setSettings, (e: unknown) => setErrors({ '(form)': errorCode(e) }));
  }, [props.token]);
  if (!settings)
    return (
      <section className="card admin-wide">
        <p>{errors['(form)'] ? t(errorKey(errors['(form)'])) : t('common.loading')}</p>
      </section>
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = centreSettingsSchema.safeParse(settings);
    if (!checked.success) {
      setErrors(settingErrors(checked.error));
      return setStatus('refused');
    }
    adminApi<CentreSettings>('/api/admin/centre', props.token, { method: 'PUT', body: checked.data }).then(
      (s) => {
        setSettings(s);
        setCentreTimeZone(s.timeZone); // this page's dates and every staff screen's follow at once
        setErrors({});
        setStatus('saved');
      },
      (err: unknown) => {
        setErrors(
          err instanceof AdminApiError && err.error.fields ? (err.error.fields as Record<string, string>) : { '(form)': errorCode(err) },
        );
        setStatus('refused');
      },
    );
  };
  const input = (path: string, value: string, onChange: (v: string) => void, type = 'text') => {
    const id = `centre-${path.replace('.', '-')}`;
    return (
      <div className={path.startsWith('name.') ? 'admin-field admin-span' : 'admin-field'} key={path}>
        <label htmlFor={id}>{t(`admin.centre.${path}` as MessageKey)}</label>
        <input
          id={id}
          type={type}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            setStatus('idle');
          }}
          aria-invalid={errors[path] ? true : undefined}
          aria-describedby={errors[path] ? `${id}-error` : undefined}
        />
        {errors[path] ? (
          <span id={`${id}-error`} className="error field-error">
            {t(errorKey(errors[path]!))}
          </span>
        ) : null}
      </div>
    );
  };
  const s = settings;
  return (
    <>
      <section className="card admin-wide" aria-labelledby="centre-title">
        <h2 id="centre-title">{t('admin.centre.title')}</h2>
        <form onSubmit={submit} noValidate className="admin-grid">
          {(['kk', 'ru', 'en'] as const).map((l) =>
            input(`name.${l}`, s.name[l], (v) => setSettings({ ...s, name: { ...s.name, [l]: v } })),
          )}
          {input('accreditationNo', s.accreditationNo, (v) => setSettings({ ...s, accreditationNo: v }))}
          {input('headName', s.headName ?? '', (v) => setSettings({ ...s, headName: v }))}
          {input('contact.phone', s.contact.phone ?? '', (v) => setSettings({ ...s, contact: { ...s.contact, phone: v || null } }), 'tel')}
          {input(
            'contact.email',
            s.contact.email ?? '',
            (v) => setSettings({ ...s, contact: { ...s.contact, email: v || null } }),
            'email',
          )}
          <div className="admin-field">
            <label htmlFor="centre-timeZone">{t('admin.centre.timeZone')}</label>
            <select id="centre-timeZone" value={s.timeZone} onChange={(e) => setSettings({ ...s, timeZone: e.target.value })}>
              {[...new Set([s.timeZone, ...TIME_ZONES])].map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
          <p className="hint admin-span">{t('admin.centre.contactHint')}</p>
          <div className="admin-actions admin-span">
            <button type="submit" className="primary">
              {t('admin.cand.save')}
            </button>
            <span role="status" className={status === 'saved' ? 'ok' : 'error'} data-testid="centre-status">
              {status === 'saved' ? t('admin.cand.saved') : status === 'refused' ? t('admin.cand.notSaved') : ''}
              {errors['(form)'] ? ` ${t(errorKey(errors['(form)']))}` : ''}
            </span>
          </div>
        </form>
      </section>
      <NqsExportPanel token={props.token} timeZone={s.timeZone} />
    </>
  );
}
