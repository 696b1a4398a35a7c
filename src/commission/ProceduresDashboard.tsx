/** The commission's dashboard (GET /api/procedures): each finished procedure with its stage and the deadline that runs now. */
import { useCallback, useEffect, useId, useState } from 'react';
import { PROCEDURE_STAGES, type ProcedureStage } from '../shared/procedure';
import type { ProcedureSummary } from '../shared/procedure-api';
import { centreDateTime } from '../ui/centre-time-format';
import { useCentreZone } from '../stores/centre-zone';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { procedureApi } from './commission-api';
import { currentDeadline, deadlineView, filterProcedures, NO_DASHBOARD_FILTERS, stageTone, type DashboardFilters } from './commission-view';
import { procedureHref } from './procedure-route';

export function StageBadge(props: { stage: ProcedureStage }) {
  const t = useT();
  return (
    <span className={`cm-stage cm-tone-${stageTone(props.stage)}`} data-stage={props.stage}>
      {t(`cm.stage.${props.stage}`)}
    </span>
  );
}

export function DeadlineText(props: { row: Pick<ProcedureSummary, 'deadlines'> }) {
  const t = useT();
  const language = useUiLanguage();
  const current = currentDeadline(props.row);
  if (!current) return <span className="muted">—</span>;
  const v = deadlineView(current.deadline, language);
  return (
    <span className={`cm-deadline cm-deadline-${v.tone}`} data-testid="cm-deadline" data-tone={v.tone}>
      <span className="cm-which">{t(`cm.which.${current.which}`)}:</span> {t(v.key as MessageKey, { date: v.date })}
    </span>
  );
}

export function ProceduresDashboard(props: { token: string }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [rows, setRows] = useState<ProcedureSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [filters, setFilters] = useState<DashboardFilters>(NO_DASHBOARD_FILTERS);
  const ids = { stage: useId(), overdue: useId() };
  const load = useCallback(() => {
    procedureApi.list(props.token).then(
      (r) => {
        setRows(r);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [props.token]);
  useEffect(load, [load]);
  const shown = rows ? filterProcedures(rows, filters) : [];
  return (
    <section className="cm-page" aria-labelledby="cm-title" data-testid="cm-dashboard">
      <h1 id="cm-title">{t('cm.title')}</h1>
      <p>{t('cm.intro')}</p>
      <div className="cm-filters">
        <div className="field">
          <label htmlFor={ids.stage}>{t('cm.filter.stage')}</label>
          <select
            id={ids.stage}
            value={filters.stage}
            onChange={(e) => setFilters({ ...filters, stage: e.target.value as ProcedureStage | '' })}
            data-testid="cm-filter-stage"
          >
            <option value="">{t('cm.filter.any')}</option>
            {PROCEDURE_STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`cm.stage.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input
            id={ids.overdue}
            type="checkbox"
            checked={filters.overdueOnly}
            onChange={(e) => setFilters({ ...filters, overdueOnly: e.target.checked })}
          />
          <label htmlFor={ids.overdue}>{t('cm.filter.overdue')}</label>
        </div>
        <button type="button" onClick={load}>
          {t('cm.refresh')}
        </button>
      </div>
      {failed ? (
        <p role="alert" className="error">
          {t('cm.failed')}
        </p>
      ) : null}
      {!rows && !failed ? <p role="status">{t('common.loading')}</p> : null}
      {rows && shown.length === 0 ? <p role="status">{t('cm.empty')}</p> : null}
      {shown.length > 0 ? (
        <div className="table-scroll">
          <table className="cm-table">
            <thead>
              <tr>
                <th scope="col">{t('cm.col.candidate')}</th>
                <th scope="col">{t('cm.col.programme')}</th>
                <th scope="col">{t('cm.col.examDate')}</th>
                <th scope="col">{t('cm.col.stage')}</th>
                <th scope="col">{t('cm.col.deadline')}</th>
                <th scope="col">{t('cm.col.signatures')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('cm.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr
                  key={r.sessionId}
                  className={r.attention ? 'cm-attention' : undefined}
                  data-testid="cm-row"
                  data-session-id={r.sessionId}
                >
                  <td>{r.candidateName}</td>
                  <td>
                    {r.programme.code} · {r.programme.profession[language]}
                  </td>
                  <td>{r.finishedAt !== null ? centreDateTime(r.finishedAt, language, zone) : '—'}</td>
                  <td>
                    <StageBadge stage={r.stage} />
                  </td>
                  <td>
                    <DeadlineText row={r} />
                  </td>
                  <td>{r.protocol ? t('cm.signedOf', { signed: r.protocol.signed, required: r.protocol.required }) : '—'}</td>
                  <td>
                    <a
                      className="button-link"
                      href={procedureHref(r.sessionId)}
                      aria-label={t('cm.openFor', { name: r.candidateName })}
                      data-testid="cm-open"
                    >
                      {t('cm.open')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
