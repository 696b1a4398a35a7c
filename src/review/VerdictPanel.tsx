/**
 * The credibility score with its parts (advice), and the reviewer's verdict (a person's): no violation,
 * violation confirmed on named incidents, or an automatic termination overturned (the centre then reschedules, rule 11).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../session/staff-api';
import type { Credibility } from '../shared/credibility';
import type { SessionStatus } from '../shared/protocol';
import { VERDICT_KINDS, type SessionVerdict } from '../shared/review-verdict';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { centreDateTime, figure } from '../ui/centre-time-format';
import type { TrackMark } from './timeline-marks';
import { useCentreZone } from '../stores/centre-zone';

export function CredibilityPanel(props: { credibility: Credibility }) {
  const t = useT();
  const language = useUiLanguage();
  const c = props.credibility;
  return (
    <section aria-labelledby="rv-cred-title" className="rv-credibility">
      <h3 id="rv-cred-title">{t('rv.credibility')}</h3>
      <p className="rv-score" data-testid="rv-credibility">
        <strong>{figure(c.score, language, 0)}</strong> / {figure(100, language, 0)}
      </p>
      <p className="hint">{t('rv.credibilityHelp')}</p>
      {c.parts.length ? (
        <table className="rv-parts">
          <thead>
            <tr>
              <th scope="col">{t('rv.part.incident')}</th>
              <th scope="col">{t('rv.part.count')}</th>
              <th scope="col">{t('rv.part.decision')}</th>
              <th scope="col">{t('rv.part.points')}</th>
            </tr>
          </thead>
          <tbody>
            {c.parts.map((p) => (
              <tr key={`${p.type} ${p.decision}`}>
                <td>{t(`incident.${p.type}` as MessageKey)}</td>
                <td>{figure(p.count, language, 0)}</td>
                <td>
                  {t(`rv.decision.${p.decision}` as MessageKey)} (×{figure(p.factor, language, 1)})
                </td>
                <td>−{figure(p.points, language, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('rv.nothingTaken')}</p>
      )}
    </section>
  );
}

const ERROR_KEYS: Record<number, MessageKey> = {
  400: 'rv.error.invalid',
  403: 'rv.error.forbidden',
  404: 'rv.error.notFound',
  409: 'rv.error.conflict',
};

export function VerdictPanel(props: {
  sessionId: string;
  token: string;
  status: SessionStatus;
  verdict: SessionVerdict | null;
  incidents: TrackMark[];
  onSaved(): void;
}) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [kind, setKind] = useState<SessionVerdict['kind']>('no_violation');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [saved, setSaved] = useState(false);
  const finished = props.status !== 'issued' && props.status !== 'in_progress';
  const kinds = VERDICT_KINDS.filter((k) => k !== 'termination_overturned' || props.status === 'terminated');
  const ids = props.incidents.map((m) => m.incidentId).filter((id): id is string => id !== null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const comment = String(new FormData(e.currentTarget).get('comment') ?? '');
    setBusy(true);
    setError(null);
    setSaved(false);
    api(`/api/sessions/${props.sessionId}/verdict`, props.token, {
      method: 'POST',
      body: { kind, incidentIds: kind === 'no_violation' ? [] : [...chosen], comment },
    })
      .then(
        () => {
          setSaved(true);
          props.onSaved();
        },
        (err: unknown) => setError(err instanceof ApiError ? (ERROR_KEYS[err.status] ?? 'rv.error.other') : 'rv.error.other'),
      )
      .finally(() => setBusy(false));
  };
  const v = props.verdict;
  return (
    <section aria-labelledby="rv-verdict-title" className="rv-verdict">
      <h3 id="rv-verdict-title">{t('rv.verdict')}</h3>
      {v ? (
        <p data-testid="rv-verdict-current" className={v.kind === 'violation_confirmed' ? 'error' : 'ok'}>
          {t(`rv.verdict.${v.kind}` as MessageKey)} · {v.by.name} · {centreDateTime(v.at, language, zone)}
          <br />
          {v.comment}
        </p>
      ) : (
        <p>{t('rv.noVerdict')}</p>
      )}
      {finished ? (
        <form onSubmit={submit} data-testid="rv-verdict-form">
          <fieldset>
            <legend>{t('rv.verdictKind')}</legend>
            {kinds.map((k) => (
              <label key={k} className="rv-radio">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
                {t(`rv.verdict.${k}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          {kind !== 'no_violation' && ids.length ? (
            <fieldset>
              <legend>{kind === 'violation_confirmed' ? t('rv.restsOn') : t('rv.overturnedOn')}</legend>
              {props.incidents.map((m) =>
                m.incidentId ? (
                  <label key={m.key} className="rv-check">
                    <input
                      type="checkbox"
                      checked={chosen.has(m.incidentId)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(m.incidentId!);
                        else next.delete(m.incidentId!);
                        setChosen(next);
                      }}
                    />{' '}
                    {m.incidentType ? t(`incident.${m.incidentType}` as MessageKey) : ''} ({t(`rv.level.${m.level}` as MessageKey)})
                  </label>
                ) : null,
              )}
            </fieldset>
          ) : null}
          <label>
            {t('rv.comment')}
            <textarea name="comment" required maxLength={2000} rows={3} />
          </label>
          {error ? (
            <p role="alert" className="error">
              {t(error)}
            </p>
          ) : null}
          {saved ? (
            <p role="status" className="ok">
              {t('rv.saved')}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy || (kind === 'violation_confirmed' && chosen.size === 0)}>
            {t('rv.save')}
          </button>
        </form>
      ) : (
        <p>{t('rv.notFinished')}</p>
      )}
    </section>
  );
}
