/**
 * A programme's proctoring settings in a form: the steps before the exam, the thresholds and
 * windows, what counts as a violation, the rule 12 allow-list, grace and fault times; each with its default
 * beside it, checked by the centre's own schema, and the list of changes shown before it is saved.
 */
import { useEffect, useState } from 'react';
import type { IncidentType } from '../shared/incidents';
import { DEFAULT_PROCTORING, type ProctoringConfig, type ProctoringOverrides } from '../shared/proctoring-config';
import type { LocalisedText } from '../shared/programme';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { adminApi, errorCode } from './admin-api';
import { formatNumber } from './admin-format';
import { errorKey } from './message-keys';
import {
  getPath,
  invalidPaths,
  isTechnical,
  OBJECT_TYPES,
  overridesFrom,
  SCALAR_SETTINGS,
  setPath,
  settingsDiff,
  type SettingChange,
} from './programme-settings';
import { INCIDENT_TYPES } from '../shared/incidents';

interface ProgrammeOption {
  id: string;
  code: string;
  profession: LocalisedText;
}

const settingKey = (path: string): MessageKey =>
  (path.startsWith('incidents.') ? `admin.set.${path.split('.').at(-1)}` : `admin.set.${path}`) as MessageKey;
const incidentKey = (type: string): MessageKey => `incident.${type}` as MessageKey;

function useShow() {
  const t = useT();
  const language = useUiLanguage();
  return (v: unknown): string =>
    typeof v === 'boolean'
      ? t(v ? 'admin.prog.yes' : 'admin.prog.no')
      : typeof v === 'number'
        ? formatNumber(v, language)
        : Array.isArray(v)
          ? v.length
            ? v.map((x) => t(incidentKey(String(x)))).join(', ')
            : t('admin.cand.empty')
          : String(v);
}

function ChangeList(props: { changes: SettingChange[] }) {
  const t = useT();
  const show = useShow();
  return (
    <ul data-testid="programme-diff">
      {props.changes.map((c) => {
        const label = c.path.startsWith('incidents.')
          ? `${t(incidentKey(c.path.split('.').slice(1, 3).join('.')))}: ${t(settingKey(c.path))}`
          : t(settingKey(c.path));
        return (
          <li key={c.path}>
            {label}: <del>{show(c.from)}</del> → <ins>{show(c.to)}</ins>
          </li>
        );
      })}
    </ul>
  );
}

export function ProgrammesPage(props: { token: string }) {
  const t = useT();
  const language = useUiLanguage();
  const show = useShow();
  const [programmes, setProgrammes] = useState<ProgrammeOption[]>([]);
  const [programmeId, setProgrammeId] = useState('');
  const [saved, setSaved] = useState<ProctoringConfig | null>(null);
  const [config, setConfig] = useState<ProctoringConfig | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; key: MessageKey } | null>(null);

  useEffect(() => {
    adminApi<{ programmes: ProgrammeOption[] }>('/api/roster', props.token).then(
      (r) => {
        setProgrammes(r.programmes);
        setProgrammeId((id) => id || r.programmes[0]?.id || '');
      },
      (e: unknown) => setMessage({ ok: false, key: errorKey(errorCode(e)) }),
    );
  }, [props.token]);
  useEffect(() => {
    if (!programmeId) return;
    setReviewing(false);
    adminApi<{ resolved: ProctoringConfig }>(`/api/programmes/${encodeURIComponent(programmeId)}/proctoring`, props.token).then(
      (r) => {
        setSaved(r.resolved);
        setConfig(r.resolved);
      },
      (e: unknown) => setMessage({ ok: false, key: errorKey(errorCode(e)) }),
    );
  }, [programmeId, props.token]);

  if (!config || !saved)
    return (
      <section className="card admin-wide">
        <p>{t('common.loading')}</p>
      </section>
    );
  const bad = new Set(invalidPaths(config));
  const changes = settingsDiff(saved, config);
  const edit = (path: string, value: unknown) => {
    setConfig(setPath(config, path, value));
    setReviewing(false);
    setMessage(null);
  };
  const save = () =>
    adminApi<{ resolved: ProctoringConfig; overrides: ProctoringOverrides }>(
      `/api/programmes/${encodeURIComponent(programmeId)}/proctoring`,
      props.token,
      {
        method: 'PUT',
        body: overridesFrom(config),
      },
    ).then(
      (r) => {
        setSaved(r.resolved);
        setConfig(r.resolved);
        setReviewing(false);
        setMessage({ ok: true, key: 'admin.prog.saved' });
      },
      (e: unknown) => setMessage({ ok: false, key: errorKey(errorCode(e)) }),
    );

  const numberInput = (path: string, label: string, step: number) => {
    const value = getPath(config, path) as number;
    return (
      <input
        type="number"
        step={step}
        value={Number.isFinite(value) ? value : ''}
        aria-label={label}
        aria-invalid={bad.has(path) ? true : undefined}
        onChange={(e) => edit(path, e.target.value === '' ? Number.NaN : Number(e.target.value))}
        data-setting={path}
      />
    );
  };

  return (
    <section className="card admin-wide" aria-labelledby="prog-title">
      <h2 id="prog-title">{t('admin.prog.title')}</h2>
      <div className="admin-inline">
        <label htmlFor="prog-select">{t('admin.exams.programme')}</label>
        <select id="prog-select" value={programmeId} onChange={(e) => setProgrammeId(e.target.value)}>
          {programmes.map((p) => (
            <option key={p.id} value={p.id}>{`${p.code}: ${p.profession[language]}`}</option>
          ))}
        </select>
      </div>
      <p className="hint">{t('admin.prog.intro')}</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.prog.setting')}</th>
            <th scope="col">{t('admin.prog.value')}</th>
            <th scope="col">{t('admin.prog.default')}</th>
          </tr>
        </thead>
        <tbody>
          {SCALAR_SETTINGS.map((s) => {
            const label = t(settingKey(s.path));
            return (
              <tr key={s.path}>
                <th scope="row">{label}</th>
                <td>
                  {s.kind === 'bool' ? (
                    <input
                      type="checkbox"
                      aria-label={label}
                      checked={Boolean(getPath(config, s.path))}
                      onChange={(e) => edit(s.path, e.target.checked)}
                      data-setting={s.path}
                    />
                  ) : (
                    numberInput(s.path, label, s.step)
                  )}
                  {bad.has(s.path) ? <span className="error field-error"> {t('admin.prog.outOfRange')}</span> : null}
                </td>
                <td className="admin-default">{show(getPath(DEFAULT_PROCTORING, s.path))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('admin.prog.incidents')}</h3>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.prog.incident')}</th>
            <th scope="col">{t('admin.set.afterSec')}</th>
            <th scope="col">{t('admin.set.violation')}</th>
            <th scope="col">{t('admin.prog.default')}</th>
          </tr>
        </thead>
        <tbody>
          {INCIDENT_TYPES.map((type: IncidentType) => {
            const name = t(incidentKey(type));
            const def = DEFAULT_PROCTORING.incidents[type];
            return (
              <tr key={type}>
                <th scope="row">{name}</th>
                <td>
                  {numberInput(`incidents.${type}.afterSec`, `${name}: ${t('admin.set.afterSec')}`, 0.5)}
                  {bad.has(`incidents.${type}.afterSec`) ? <span className="error field-error"> {t('admin.prog.outOfRange')}</span> : null}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${name}: ${t('admin.set.violation')}`}
                    checked={config.incidents[type].violation}
                    disabled={isTechnical(type)}
                    onChange={(e) => edit(`incidents.${type}.violation`, e.target.checked)}
                  />
                </td>
                <td className="admin-default">
                  {t('admin.prog.incidentDefault', { after: show(def.afterSec), violation: show(def.violation) })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset>
        <legend>{t('admin.set.objects.allow')}</legend>
        <p className="hint">{t('admin.prog.allowHint')}</p>
        {OBJECT_TYPES.map((type) => (
          <label key={type} className="admin-check">
            <input
              type="checkbox"
              checked={config.objects.allow.includes(type)}
              onChange={(e) =>
                edit('objects.allow', e.target.checked ? [...config.objects.allow, type] : config.objects.allow.filter((x) => x !== type))
              }
            />
            <span>{t(incidentKey(type))}</span>
          </label>
        ))}
      </fieldset>
      <div className="admin-actions">
        <button type="button" disabled={changes.length === 0 || bad.size > 0} onClick={() => setReviewing(true)}>
          {t('admin.prog.review')}
        </button>
        <button
          type="button"
          onClick={() => {
            setConfig(saved);
            setReviewing(false);
          }}
          disabled={changes.length === 0}
        >
          {t('admin.prog.undo')}
        </button>
        {message ? (
          <span role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'} data-testid="programme-message">
            {t(message.key)}
          </span>
        ) : null}
      </div>
      {reviewing && changes.length > 0 ? (
        <div className="admin-diff" role="region" aria-labelledby="diff-title">
          <h3 id="diff-title">{t('admin.prog.changes', { n: formatNumber(changes.length, language) })}</h3>
          <ChangeList changes={changes} />
          <button type="button" className="primary" onClick={() => void save()}>
            {t('admin.prog.save')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
