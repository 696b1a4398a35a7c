/**
 * A candidate's Appendix 1 record, new or edited. The same zod schema as the centre's route
 * checks it before sending; each field's error is a code translated here. Below an existing record:
 * the reference photo and the audit trail of changes.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  CANDIDATE_FIELDS,
  candidateFieldErrors,
  candidateInputSchema,
  type CandidateField,
  type CandidateRecord,
} from '../shared/candidate-record';
import type { AuditView, CandidateDetail } from '../shared/admin';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { adminApi, AdminApiError, errorCode } from './admin-api';
import { formatDateTime } from './admin-format';
import { errorKey, fieldKey } from './message-keys';
import { ReferencePhotoPanel } from './ReferencePhotoPanel';
import { AccommodationsPanel } from './AccommodationsPanel';
import { useCentreZone } from '../stores/centre-zone';

type Values = Record<Exclude<CandidateField, 'consent' | 'nqfLevel'>, string> & { nqfLevel: string; consent: boolean };
type Errors = Partial<Record<CandidateField | '(form)', string>>;

const EMPTY: Values = {
  surname: '',
  givenName: '',
  patronymic: '',
  iin: '',
  birthDate: '',
  address: '',
  email: '',
  phone: '',
  profession: '',
  nqfLevel: '',
  consent: false,
};

const INPUT_TYPES: Partial<Record<CandidateField, string>> = { birthDate: 'date', email: 'email', phone: 'tel', nqfLevel: 'number' };
const AUTOCOMPLETE: Partial<Record<CandidateField, string>> = { surname: 'off', givenName: 'off', email: 'off', phone: 'off' };

function valuesOf(c: CandidateRecord): Values {
  return {
    surname: c.surname,
    givenName: c.givenName,
    patronymic: c.patronymic ?? '',
    iin: c.iin,
    birthDate: c.birthDate,
    address: c.address,
    email: c.email ?? '',
    phone: c.phone,
    profession: c.profession,
    nqfLevel: c.nqfLevel ? String(c.nqfLevel) : '',
    consent: c.consentAt !== null,
  };
}

const inputOf = (v: Values) => ({ ...v, nqfLevel: v.nqfLevel === '' ? undefined : Number(v.nqfLevel) });

function History(props: { audit: AuditView[] }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  if (props.audit.length === 0) return null;
  const show = (v: unknown) => (v === null || v === '' ? t('admin.cand.empty') : String(v));
  return (
    <section aria-labelledby="cand-history">
      <h3 id="cand-history">{t('admin.cand.history')}</h3>
      <ul className="admin-history">
        {props.audit.map((e) => {
          const fields = Object.entries(e.changes).filter(([k]) => (CANDIDATE_FIELDS as readonly string[]).includes(k)) as [
            string,
            { from: unknown; to: unknown },
          ][];
          const what =
            e.action === 'candidate.updated' && fields.length
              ? fields
                  .map(([k, c]) => t('admin.cand.fieldChanged', { field: t(fieldKey(k)), from: show(c.from), to: show(c.to) }))
                  .join('; ')
              : t(`admin.audit.${e.action}` as MessageKey);
          return (
            <li key={e.id}>
              {t('admin.cand.historyLine', {
                when: formatDateTime(e.at, language, zone),
                who: e.actor.name,
                role: t(`role.${e.actor.role}` as MessageKey),
                what,
              })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function CandidateForm(props: {
  token: string;
  candidateId: string | null;
  onSaved: (c: CandidateRecord) => void;
  onPhoto: () => void;
}) {
  const t = useT();
  const formId = useId();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<'idle' | 'busy' | 'saved' | 'refused'>('idle');
  const [detail, setDetail] = useState<CandidateDetail | null>(null);
  const [version, setVersion] = useState(0);
  /** Set by a save: the reload that follows keeps the "saved" message. */
  const justSaved = useRef(false);

  useEffect(() => {
    if (!justSaved.current) {
      setErrors({});
      setStatus('idle');
    }
    justSaved.current = false;
    if (!props.candidateId) {
      setValues(EMPTY);
      setDetail(null);
      return;
    }
    adminApi<CandidateDetail>(`/api/admin/candidates/${props.candidateId}`, props.token).then(
      (d) => {
        setDetail(d);
        setValues(valuesOf(d.candidate));
      },
      (e: unknown) => setErrors({ '(form)': errorCode(e) }),
    );
  }, [props.candidateId, props.token, version]);

  const set = (field: CandidateField, value: string | boolean) => setValues((v) => ({ ...v, [field]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = candidateInputSchema.safeParse(inputOf(values));
    if (!checked.success) {
      setErrors(candidateFieldErrors(checked.error));
      setStatus('refused');
      return;
    }
    setStatus('busy');
    const id = props.candidateId;
    adminApi<CandidateRecord>(id ? `/api/admin/candidates/${id}` : '/api/admin/candidates', props.token, {
      method: id ? 'PUT' : 'POST',
      body: inputOf(values),
    }).then(
      (saved) => {
        setErrors({});
        setStatus('saved');
        justSaved.current = true;
        setVersion((n) => n + 1);
        props.onSaved(saved);
      },
      (err: unknown) => {
        const fields = err instanceof AdminApiError ? err.error.fields : undefined;
        setErrors(fields ? (fields as Errors) : { '(form)': errorCode(err) });
        setStatus('refused');
      },
    );
  };

  const name = detail ? [detail.candidate.surname, detail.candidate.givenName, detail.candidate.patronymic].filter(Boolean).join(' ') : '';
  const field = (f: Exclude<CandidateField, 'consent'>) => {
    const id = `${formId}-${f}`;
    const error = errors[f];
    return (
      <div key={f} className="admin-field">
        <label htmlFor={id}>{t(fieldKey(f))}</label>
        <input
          id={id}
          name={f}
          type={INPUT_TYPES[f] ?? 'text'}
          value={values[f]}
          autoComplete={AUTOCOMPLETE[f]}
          inputMode={f === 'iin' ? 'numeric' : undefined}
          min={f === 'nqfLevel' ? 1 : undefined}
          max={f === 'nqfLevel' ? 8 : undefined}
          required={f !== 'patronymic' && f !== 'email'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => set(f, e.target.value)}
        />
        {error ? (
          <span id={`${id}-error`} className="error field-error">
            {t(errorKey(error))}
          </span>
        ) : null}
      </div>
    );
  };

  return (
    <section className="card admin-wide" aria-labelledby={`${formId}-title`} data-testid="candidate-form">
      <h2 id={`${formId}-title`}>{props.candidateId ? t('admin.cand.editTitle', { name }) : t('admin.cand.newTitle')}</h2>
      <form onSubmit={submit} noValidate className="admin-form">
        <div className="admin-grid">
          {(['surname', 'givenName', 'patronymic', 'iin', 'birthDate', 'phone', 'email', 'profession', 'nqfLevel'] as const).map(field)}
          <div className="admin-span">{field('address')}</div>
        </div>
        <label htmlFor={`${formId}-consent`} className="admin-check">
          <input
            id={`${formId}-consent`}
            type="checkbox"
            name="consent"
            checked={values.consent}
            onChange={(e) => set('consent', e.target.checked)}
            aria-invalid={errors.consent ? true : undefined}
            aria-describedby={errors.consent ? `${formId}-consent-error` : undefined}
          />
          <span>{t('admin.field.consent')}</span>
        </label>
        {errors.consent ? (
          <p id={`${formId}-consent-error`} className="error field-error">
            {t(errorKey(errors.consent))}
          </p>
        ) : null}
        <div className="admin-actions">
          <button type="submit" className="primary" disabled={status === 'busy'}>
            {t('admin.cand.save')}
          </button>
          <span role="status" className={status === 'saved' ? 'ok' : 'error'} data-testid="candidate-status">
            {status === 'saved' ? t('admin.cand.saved') : status === 'refused' ? t('admin.cand.notSaved') : ''}
            {errors['(form)'] ? ` ${t(errorKey(errors['(form)']))}` : ''}
          </span>
        </div>
      </form>
      {props.candidateId && detail ? (
        <ReferencePhotoPanel
          token={props.token}
          candidateId={props.candidateId}
          name={name}
          hasPhoto={detail.candidate.hasReferencePhoto}
          onSaved={() => {
            setVersion((n) => n + 1);
            props.onPhoto();
          }}
        />
      ) : (
        <p className="hint">{t('admin.photo.saveFirst')}</p>
      )}
      {props.candidateId && detail ? (
        <AccommodationsPanel token={props.token} candidateId={props.candidateId} onSaved={() => setVersion((n) => n + 1)} />
      ) : null}
      {detail ? <History audit={detail.audit} /> : null}
    </section>
  );
}
