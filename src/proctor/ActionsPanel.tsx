/**
 * What a proctor can do to a candidate's exam, each logged with who, when and why: message, warning (rule 13),
 * pause / resume, extra time, end (violation: rule 13, or technical: rule 11), reinstatement, and the identity
 * decision after failed tries (rule 2.8.6). Only the actions that fit the exam's state are offered; each
 * opens a small form; the centre's refusal is shown in plain words.
 */
import { useState, type FormEvent } from 'react';
import type { ProctorAction } from '../shared/control-room';
import { MAX_ADDED_MINUTES } from '../shared/limits';
import { INCIDENT_TYPES, type IncidentType } from '../shared/incidents';
import type { SessionDetail } from '../shared/protocol';
import { applySession } from '../stores/staff-store';
import { formatClock } from '../ui/time-format';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { useControlRoom } from './control-room-context';
import { availableActions, type ActionForm } from './control-room-logic';
import { useErrorText } from './IncidentQueue';

const REASON_MIN = 3;

export function ActionsPanel(props: { detail: SessionDetail; onDone(): void }) {
  const t = useT();
  const room = useControlRoom();
  const errorText = useErrorText();
  const { session } = props.detail;
  const [form, setForm] = useState<ActionForm | null>(null);
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('5');
  const [incidentType, setIncidentType] = useState<IncidentType>('face.multiple');
  const [cause, setCause] = useState<'violation' | 'technical'>('violation');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const actions = availableActions(session, props.detail.reinstatableMs);

  const choose = (a: ActionForm) => {
    setForm(form === a ? null : a);
    setText('');
    setError(null);
    setDone(null);
  };

  const build = (): ProctorAction | string => {
    const reason = text.trim();
    const needsReason = form !== 'message' && form !== 'resume';
    if (form === 'message' && reason.length === 0) return t('cr.act.needText');
    if (needsReason && reason.length < REASON_MIN) return t('cr.act.needReason', { min: REASON_MIN });
    switch (form) {
      case 'message':
        return { kind: 'message', text: reason };
      case 'warn':
        return { kind: 'warn', incidentType, reason };
      case 'pause':
        return { kind: 'pause', reason };
      case 'resume':
        return { kind: 'resume' };
      case 'add-time': {
        const n = Number(minutes);
        if (!Number.isInteger(n) || n < 1 || n > MAX_ADDED_MINUTES) return t('cr.act.needMinutes', { max: MAX_ADDED_MINUTES });
        return { kind: 'add-time', minutes: n, reason };
      }
      case 'end':
        return { kind: 'end', cause, reason };
      case 'reinstate':
        return { kind: 'reinstate', reason };
      case 'identity-approve':
        return { kind: 'identity', decision: 'approve', reason };
      case 'identity-reject':
        return { kind: 'identity', decision: 'reject', reason };
      default:
        return t('cr.error.other');
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!room.link || !form) return;
    const action = build();
    if (typeof action === 'string') {
      setError(action);
      return;
    }
    setBusy(true);
    setError(null);
    const acted = form;
    room.link
      .send('proctor:act', { sessionId: session.sessionId, action })
      .then(
        (s) => {
          applySession(s);
          setForm(null);
          setText('');
          setDone(t('cr.act.done', { action: t(`cr.act.${acted}` as MessageKey) }));
          props.onDone();
        },
        (err: unknown) => setError(errorText(err)),
      )
      .finally(() => setBusy(false));
  };

  const reasonLabel = form === 'message' ? t('cr.act.text') : t('cr.act.reason');
  return (
    <section className="actions" data-testid="actions" aria-labelledby="actions-title">
      <h3 id="actions-title">{t('cr.act.title')}</h3>
      {actions.length === 0 ? <p className="hint">{t('cr.act.none')}</p> : null}
      <div className="button-row">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            className={a === 'end' || a === 'identity-reject' || a === 'warn' ? 'danger' : undefined}
            aria-expanded={form === a}
            aria-controls="action-form"
            data-testid={`act-${a}`}
            onClick={() => choose(a)}
          >
            {t(`cr.act.${a}` as MessageKey)}
          </button>
        ))}
      </div>
      {form ? (
        <form id="action-form" className="action-form" onSubmit={submit} aria-label={t(`cr.act.${form}` as MessageKey)} noValidate>
          <p className="hint">{t(`cr.act.${form}.explain` as MessageKey)}</p>
          {form === 'reinstate' && props.detail.reinstatableMs !== null ? (
            <p>{t('cr.act.reinstateLeft', { time: formatClock(props.detail.reinstatableMs) })}</p>
          ) : null}
          {form === 'warn' ? (
            <label className="field">
              {t('cr.act.incidentType')}
              <select
                value={incidentType}
                onChange={(e) => setIncidentType(e.target.value as IncidentType)}
                data-testid="act-incident-type"
              >
                {INCIDENT_TYPES.filter((x) => !x.startsWith('tech.')).map((x) => (
                  <option key={x} value={x}>
                    {t(`incident.${x}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {form === 'add-time' ? (
            <label className="field">
              {t('cr.act.minutes', { max: MAX_ADDED_MINUTES })}
              <input
                type="number"
                min={1}
                max={MAX_ADDED_MINUTES}
                step={1}
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
                data-testid="act-minutes"
              />
            </label>
          ) : null}
          {form === 'end' ? (
            <fieldset className="field">
              <legend>{t('cr.act.cause')}</legend>
              <label className="inline">
                <input
                  type="radio"
                  name="cause"
                  value="violation"
                  checked={cause === 'violation'}
                  onChange={() => setCause('violation')}
                  data-testid="act-cause-violation"
                />{' '}
                {t('cr.act.causeViolation')}
              </label>
              <label className="inline">
                <input
                  type="radio"
                  name="cause"
                  value="technical"
                  checked={cause === 'technical'}
                  onChange={() => setCause('technical')}
                  data-testid="act-cause-technical"
                />{' '}
                {t('cr.act.causeTechnical')}
              </label>
            </fieldset>
          ) : null}
          {form !== 'resume' ? (
            <label className="field">
              {reasonLabel}
              <textarea value={text} maxLength={500} rows={2} onChange={(e) => setText(e.target.value)} data-testid="act-text" />
            </label>
          ) : null}
          {error ? (
            <p role="alert" className="error" data-testid="act-error">
              {error}
            </p>
          ) : null}
          <div className="button-row">
            <button
              type="submit"
              className={form === 'end' || form === 'identity-reject' ? 'danger-solid' : 'primary'}
              disabled={busy}
              data-testid="act-submit"
            >
              {t(`cr.act.${form}` as MessageKey)}
            </button>
            <button type="button" onClick={() => setForm(null)}>
              {t('cr.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <p role="status" className="ok" data-testid="act-done">
        {done ?? ''}
      </p>
    </section>
  );
}
