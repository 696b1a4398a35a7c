/**
 * What proctoring tells the candidate: model loading progress before the start, a small
 * status during the exam, the rule 13 warning with its evidence, and the end of the exam
 * by termination (rule 13) or suspension for a technical fault (rule 11). Every text says
 * in plain words what happened, which rule it is, and what happens next.
 */
import { useStore } from 'zustand';
import type { IncidentType } from '../shared/incidents';
import { examStore, type DecisionView } from '../stores/exam-store';
import { Dialog } from '../ui/components/Dialog';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { dismissWarning, retryProctoring } from './exam-runtime';

const incidentKey = (type: IncidentType) => `incident.${type}` as MessageKey;
const explainKey = (type: IncidentType) => `incident.${type}.explain` as MessageKey;

/** Before the start: the models download and warm up (megabytes), with a progress bar. */
export function ProctoringLoading() {
  const t = useT();
  const status = useStore(examStore, (s) => s.proctoring);
  if (status.phase === 'ready') return <p className="ok" data-testid="proctoring-ready">✓ {t('proctoring.ready')}</p>;
  if (status.phase === 'failed')
    return (
      <div role="alert" className="error" data-testid="proctoring-failed">
        <p>{t('proctoring.failed')}</p>
        <button type="button" onClick={retryProctoring}>{t('common.retry')}</button>
      </div>
    );
  const percent = Math.round(status.progress * 100);
  return (
    <div className="proctoring-loading">
      <label htmlFor="proctoring-progress">{t('proctoring.loading')}</label>
      <progress id="proctoring-progress" max={100} value={percent} aria-valuetext={`${percent}%`} />
    </div>
  );
}

/** During the exam: one line saying proctoring is on (or why it is not). */
export function ProctoringBadge() {
  const t = useT();
  const phase = useStore(examStore, (s) => s.proctoring.phase);
  const fps = useStore(examStore, (s) => Math.round(s.proctoring.fps));
  return (
    <span className={`badge proctoring-${phase}`} data-testid="proctoring-badge" data-phase={phase} data-fps={fps}>
      {phase === 'ready' ? t('proctoring.on') : phase === 'failed' ? t('proctoring.failedShort') : t('proctoring.loading')}
    </span>
  );
}

function Evidence(props: { view: DecisionView }) {
  const t = useT();
  if (!props.view.snapshotUrl) return null;
  return <img className="evidence" src={props.view.snapshotUrl} alt={t('warning.snapshot')} data-testid="evidence" />;
}

/** Rule 13, first violation: what was seen, which rule, the snapshot, and that the next one ends the exam. */
export function WarningDialog() {
  const t = useT();
  const warning = useStore(examStore, (s) => s.warning);
  return (
    <Dialog open={warning !== null} labelledBy="warning-title" onCancel={dismissWarning}>
      {warning ? (
        <div className="warning" data-testid="warning" data-incident={warning.incident.type} role="alertdialog" aria-describedby="warning-what">
          <h2 id="warning-title">{t('warning.title')}</h2>
          <p id="warning-what">
            <strong>{t(incidentKey(warning.incident.type))}.</strong> {t(explainKey(warning.incident.type))}
          </p>
          <p>{t('warning.rule', { rule: warning.rule })}</p>
          <Evidence view={warning} />
          <p className="error">{t('warning.next')}</p>
          <button type="button" className="primary" autoFocus onClick={dismissWarning}>{t('warning.understood')}</button>
        </div>
      ) : null}
    </Dialog>
  );
}

/** The exam ended by proctoring: a repeated violation (rule 13) or a technical fault (rule 11). */
export function EndedByProctoring() {
  const t = useT();
  const ending = useStore(examStore, (s) => s.ending);
  const status = useStore(examStore, (s) => s.snapshot?.status);
  const kind = status === 'terminated' || status === 'suspended' ? status : ending?.kind;
  if (!kind) return null;
  return (
    <section aria-labelledby="ended-title" className="card" data-testid="ended" data-kind={kind}>
      <h1 id="ended-title">{kind === 'terminated' ? t('ended.terminatedTitle') : t('ended.suspendedTitle')}</h1>
      {ending ? (
        <p>
          <strong>{t(incidentKey(ending.incident.type))}.</strong> {t(explainKey(ending.incident.type))}
        </p>
      ) : null}
      <p>{kind === 'terminated' ? t('ended.terminated') : t('ended.suspended')}</p>
      {ending ? <Evidence view={ending} /> : null}
      <p>{kind === 'terminated' ? t('result.appeal') : t('ended.reschedule')}</p>
    </section>
  );
}
