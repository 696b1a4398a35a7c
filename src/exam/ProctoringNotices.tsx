/**
 * What proctoring tells the candidate: model loading progress before the start, a small
 * status during the exam, the rule 13 warning with its evidence, and the end of the exam
 * by termination (rule 13) or suspension for a technical fault (rule 11), or by the proctor.
 * Every text says in plain words what happened, which rule it is, and what happens
 * next; while a warned violation goes on, the warning counts down the time left to remove its
 * cause; every ended screen says how to reach the centre.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { INCIDENTS, type IncidentType } from '../shared/incidents';
import { examStore, type DecisionView } from '../stores/exam-store';
import { CentreContact } from '../ui/components/CentreContact';
import { Dialog } from '../ui/components/Dialog';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { useNow } from '../ui/use-now';
import { graceLeftMs } from './proctor-actions';
import { useCandidateRuntime } from './runtime-context';

const incidentKey = (type: IncidentType) => `incident.${type}` as MessageKey;
const explainKey = (type: IncidentType) => `incident.${type}.explain` as MessageKey;

/** Before the start: the models download and warm up (megabytes), with a progress bar. */
export function ProctoringLoading() {
  const rt = useCandidateRuntime();
  const t = useT();
  const status = useStore(examStore, (s) => s.proctoring);
  if (status.phase === 'ready')
    return (
      <p className="ok" data-testid="proctoring-ready">
        ✓ {t('proctoring.ready')}
      </p>
    );
  if (status.phase === 'failed')
    return (
      <div role="alert" className="error" data-testid="proctoring-failed">
        <p>{t('proctoring.failed')}</p>
        <button type="button" onClick={rt.retryProctoring}>
          {t('common.retry')}
        </button>
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

/** What removes the cause of a warned violation that goes on, in a few words with the seconds left. */
function graceKey(type: IncidentType): MessageKey {
  if (type === 'env.fullscreen_exit') return 'warning.grace.fullscreen';
  if (type === 'env.focus_lost' || type === 'env.tab_hidden') return 'warning.grace.window';
  if (type === 'face.absent' || type === 'body.left') return 'warning.grace.camera';
  if (type === 'head.away') return 'warning.grace.look';
  if (type === 'face.multiple') return 'warning.grace.alone';
  if (type === 'audio.speech') return 'warning.grace.quiet';
  if (INCIDENTS[type].group === 'object') return 'warning.grace.object';
  return 'warning.grace.generic';
}
/** Seconds at which the countdown is read out (it is shown every second, announced only at these). */
const ANNOUNCE_AT = new Set([10, 5]);

/**
 * Rule 13's grace after the warning: while the warned violation goes on, the seconds left to end
 * it before it counts as the repeat (shared/policy.ts decides the same moment). Null when nothing counts down.
 */
function useGraceSeconds(warning: DecisionView | null): number | null {
  const config = useStore(examStore, (s) => s.snapshot?.proctoring.config ?? null);
  const now = useNow(250);
  if (!warning || !config) return null;
  const left = graceLeftMs(warning.incident, config, now);
  return left === null || left <= 0 ? null : Math.ceil(left / 1000);
}

/** Rule 13, first violation: what was seen, which rule, the snapshot, and that the next one ends the exam. */
export function WarningDialog() {
  const rt = useCandidateRuntime();
  const warning = useStore(examStore, (s) => s.warning);
  return (
    <Dialog
      open={warning !== null}
      role="alertdialog"
      labelledBy="warning-title"
      describedBy="warning-what warning-grace"
      onCancel={rt.dismissWarning}
    >
      {warning ? <WarningBody warning={warning} /> : null}
    </Dialog>
  );
}

function WarningBody(props: { warning: DecisionView }) {
  const rt = useCandidateRuntime();
  const t = useT();
  const { warning } = props;
  const seconds = useGraceSeconds(warning);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (seconds !== null && ANNOUNCE_AT.has(seconds)) setAnnouncement(t('warning.grace.announce', { seconds }));
  }, [seconds, t]);
  const fullscreen = seconds !== null && warning.incident.type === 'env.fullscreen_exit';
  return (
    <div className="warning" data-testid="warning" data-incident={warning.incident.type} data-incident-id={warning.incident.id}>
      <h2 id="warning-title">{t('warning.title')}</h2>
      <p id="warning-what">
        <strong>{t(incidentKey(warning.incident.type))}.</strong> {t(explainKey(warning.incident.type))}
      </p>
      {seconds !== null ? (
        <p id="warning-grace" className="error grace" role="timer" data-testid="warning-countdown" data-seconds={seconds}>
          <strong>{t(graceKey(warning.incident.type), { seconds })}</strong>
        </p>
      ) : null}
      <span className="visually-hidden" aria-live="assertive">
        {announcement}
      </span>
      <p>{t('warning.rule', { rule: warning.rule })}</p>
      <Evidence view={warning} />
      <p className="error">{t('warning.next')}</p>
      {fullscreen ? (
        <button
          type="button"
          className="primary"
          autoFocus
          onClick={() => void rt.returnToFullscreenAndDismiss()}
          data-testid="warning-fix"
        >
          {t('test.fullscreenReturn')}
        </button>
      ) : (
        <button type="button" className="primary" autoFocus onClick={rt.dismissWarning}>
          {t('warning.understood')}
        </button>
      )}
    </div>
  );
}

/** The exam ended by proctoring: a repeated violation (rule 13) or a technical fault (rule 11). */
export function EndedByProctoring() {
  const t = useT();
  const ending = useStore(examStore, (s) => s.ending);
  const status = useStore(examStore, (s) => s.snapshot?.status);
  const reference = useStore(examStore, (s) => s.snapshot?.reference);
  const contact = useStore(examStore, (s) => s.snapshot?.contact);
  const endNote = useStore(examStore, (s) => s.endNote);
  const kind = status === 'terminated' || status === 'suspended' ? status : ending?.kind;
  if (!kind) return null;
  // Ended by the proctor: their words, not the automatic decision's.
  const byProctor = !ending && endNote !== null;
  return (
    <section aria-labelledby="ended-title" className="card" data-testid="ended" data-kind={kind}>
      <h1 id="ended-title">{kind === 'terminated' ? t('ended.terminatedTitle') : t('ended.suspendedTitle')}</h1>
      {ending ? (
        <p>
          <strong>{t(incidentKey(ending.incident.type))}.</strong> {t(explainKey(ending.incident.type))}
        </p>
      ) : null}
      {byProctor ? (
        <>
          <p data-testid="ended-by-proctor">{t('ended.byProctor')}</p>
          <p>{endNote.outcome === 'technical' ? t('note.end.technical.body') : t('note.end.violation.body')}</p>
          {endNote.text ? <p className="proctor-words">{t('note.reason', { text: endNote.text })}</p> : null}
        </>
      ) : (
        <p>{kind === 'terminated' ? t('ended.terminated') : t('ended.suspended')}</p>
      )}
      {ending ? <Evidence view={ending} /> : null}
      <p>{kind === 'terminated' ? t('result.appeal') : t('ended.reschedule')}</p>
      <CentreContact reference={reference} contact={contact} />
    </section>
  );
}
