/**
 * Rules 10-11: the candidate's own breaks, as their accommodations allow. Outside a break, a
 * button says how many are left and how long each may be; during one, the questions are covered (as for a
 * proctor's pause), the timer stands still, and the break ends when the candidate comes back or when its
 * time is up (the centre ends it then, by its clock).
 */
import { hourMinute } from '../ui/time-format';
import { useState } from 'react';
import { useStore } from 'zustand';
import { BREAK_REASON, breakRefusal } from '../shared/accommodations';
import { examStore } from '../stores/exam-store';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { useCandidateRuntime } from './runtime-context';

export function BreakControls() {
  const rt = useCandidateRuntime();
  const t = useT();
  const language = useUiLanguage();
  const snapshot = useStore(examStore, (s) => s.snapshot);
  const offset = useStore(examStore, (s) => s.clockOffsetMs);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const breaks = snapshot?.accommodations?.breaks;
  if (!snapshot || !breaks) return null;
  const act = (action: 'start' | 'end') => {
    setBusy(true);
    setFailed(false);
    rt.takeBreak(action)
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };
  const error = failed ? (
    <p role="alert" className="error">
      {t('break.failed')}
    </p>
  ) : null;
  if (snapshot.paused?.reason === BREAK_REASON) {
    const until = snapshot.paused.until;
    return (
      <div role="status" className="banner paused-notice" data-testid="break-on">
        <h2>{t('break.title')}</h2>
        <p>{until ? t('break.until', { time: hourMinute(until - offset, language) }) : t('break.body')}</p>
        <button type="button" className="primary" onClick={() => act('end')} disabled={busy} data-testid="break-end">
          {t('break.end')}
        </button>
        {error}
      </div>
    );
  }
  const left = breaks.count - snapshot.breaksTaken;
  if (
    breakRefusal({
      status: snapshot.status,
      paused: snapshot.paused,
      accommodations: snapshot.accommodations,
      taken: snapshot.breaksTaken,
    }) !== null
  ) {
    return left <= 0 ? (
      <p className="hint" data-testid="break-none-left">
        {t('break.noneLeft')}
      </p>
    ) : null;
  }
  return (
    <p className="break-take">
      <button type="button" onClick={() => act('start')} disabled={busy} data-testid="break-start">
        {t('break.take', { left, count: breaks.count, minutes: breaks.minutes })}
      </button>
      {error}
    </p>
  );
}
