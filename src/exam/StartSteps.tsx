/**
 * The steps before the first question: language (rule 9), devices (again after a reload), briefing (rule 8). The system check and consent
 * have their own files.
 */
import { hourMinute } from '../ui/time-format';
import { extraTimeMs } from '../shared/accommodations';
import { accommodationLines } from '../ui/accommodation-text';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { INCIDENT_TYPES, INCIDENTS, type IncidentType } from '../shared/incidents';
import { LANGUAGES } from '../shared/languages';
import { isViolation } from '../shared/policy';
import { examStore } from '../stores/exam-store';
import { SelfView } from '../ui/components/SelfView';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { RequestError } from '../session/candidate-connection';
import { MicrophoneMeter } from './MicrophoneMeter';
import { ProctoringLoading } from './ProctoringNotices';
import { StepProgress } from './StepProgress';
import { useCandidateRuntime } from './runtime-context';

export function LanguageStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const snapshot = useStore(examStore, (s) => s.snapshot)!;
  const busy = useStore(examStore, (s) => s.busy);
  const lang = useUiLanguage();
  const profession = snapshot.profession[lang];
  return (
    <section aria-labelledby="lang-title" className="card">
      <StepProgress current="language" />
      <h1>{t('exam.welcome', { name: snapshot.candidateName })}</h1>
      <p>{t('exam.programme', { profession, level: snapshot.nqfLevel })}</p>
      <p>{t('exam.facts', { count: snapshot.questionCount, minutes: snapshot.durationMinutes })}</p>
      <h2 id="lang-title">{t('exam.chooseLanguage')}</h2>
      <p className="hint">{t('exam.chooseLanguageHint')}</p>
      <div className="button-row">
        {LANGUAGES.map((l) => (
          <button key={l} type="button" className="big" lang={l} disabled={busy} onClick={() => void rt.chooseLanguage(l)}>
            {t(`lang.${l}`)}
          </button>
        ))}
      </div>
    </section>
  );
}

export function DevicesStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const cam = useStore(examStore, (s) => s.camera);
  const mic = useStore(examStore, (s) => s.microphone);
  const failure = useStore(examStore, (s) => s.deviceFailure);
  const starting = cam === 'starting' || mic === 'starting';
  const message = failure
    ? failure.kind === 'denied'
      ? t('devices.denied')
      : failure.kind === 'missing'
        ? t('devices.missing')
        : failure.kind === 'unsupported'
          ? t('devices.unsupported')
          : failure.kind === 'timeout' || failure.kind === 'no_sound'
            ? t(`devices.${failure.kind}`)
            : t('devices.failed')
    : cam === 'lost' || mic === 'lost'
      ? t('devices.lost')
      : null;
  return (
    <section aria-labelledby="devices-title" className="card">
      <h1 id="devices-title">{t('devices.title')}</h1>
      <p>{t('devices.intro')}</p>
      {message ? (
        <p role="alert" className="error" data-testid="device-error">
          {message}
        </p>
      ) : null}
      <div className="preview">
        <SelfView stream={cam === 'on' ? rt.camera.mediaStream : null} label={t('devices.preview')} className="preview-video" />
        {mic === 'on' ? <MicrophoneMeter /> : null}
      </div>
      <button type="button" className="big" disabled={starting} onClick={() => void rt.enableDevices()}>
        {failure || cam === 'lost' || mic === 'lost' ? t('common.retry') : t('devices.allow')}
      </button>
    </section>
  );
}

/**
 * Rule 8: the rules of this exam, what rule 12 forbids as this programme sets it, rule 13 and 11, the timer, complaints and appeals (rules
 * 20-22).
 */
/** Milliseconds until the exam window opens by the centre's clock, ticking each second; null once open (or with no window). */
/** Milliseconds until opensAt by the centre's clock (offset), or null when it is open (or has no opening time). */
function opensInMs(opensAt: number | null, offset: number): number | null {
  if (opensAt === null) return null;
  const left = opensAt - (Date.now() + offset);
  return left > 0 ? left : null;
}

function useOpensIn(opensAt: number | null): number | null {
  const offset = useStore(examStore, (s) => s.clockOffsetMs);
  const [value, setValue] = useState(() => opensInMs(opensAt, offset));
  useEffect(() => {
    setValue(opensInMs(opensAt, offset));
    if (opensAt === null) return;
    const timer = setInterval(() => setValue(opensInMs(opensAt, offset)), 1_000);
    return () => clearInterval(timer);
  }, [opensAt, offset]);
  return value;
}

export function BriefingStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const busy = useStore(examStore, (s) => s.busy);
  const snapshot = useStore(examStore, (s) => s.snapshot)!;
  const proctoringReady = useStore(examStore, (s) => s.proctoring.phase === 'ready');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const config = snapshot.proctoring.config;
  const language = useUiLanguage();
  const opensIn = useOpensIn(snapshot.opensAt);
  const objectName = (type: IncidentType) => t(`briefing.object.${type.slice('object.'.length)}` as MessageKey);
  const objects = INCIDENT_TYPES.filter((type) => INCIDENTS[type].group === 'object');
  const watched = objects.filter((type) => isViolation(config, type)).map(objectName);
  const allowed = config.objects.allow.map(objectName);
  // Leaving the exam window (rule 13): what counts as a violation and after how long, as this programme sets it.
  const leaving = (
    [
      ['env.fullscreen_exit', 'briefing.env.fullscreen'],
      ['env.tab_hidden', 'briefing.env.tab'],
      ['env.focus_lost', 'briefing.env.window'],
    ] as const
  )
    .filter(([type]) => isViolation(config, type))
    .map(([type, key]) => t(key, { seconds: config.incidents[type].afterSec }));
  return (
    <section aria-labelledby="briefing-title" className="card" data-testid="briefing">
      <StepProgress current="briefing" />
      <h1 id="briefing-title">{t('briefing.title')}</h1>
      <p>{t('briefing.intro')}</p>
      <div className="preview small">
        <SelfView stream={rt.camera.mediaStream} label={t('devices.preview')} className="preview-video" />
        <div>
          <p className="ok">✓ {t('devices.cameraOk')}</p>
          <p className="ok">✓ {t('devices.micOk')}</p>
          <MicrophoneMeter />
          <ProctoringLoading />
        </div>
      </div>
      {snapshot.accommodations ? (
        // Rules 10-11: what is different for this candidate, and that the rest is checked as usual.
        <section aria-labelledby="briefing-acc-title" data-testid="briefing-accommodations">
          <h2 id="briefing-acc-title">{t('acc.briefing.title')}</h2>
          <ul className="rules">
            {accommodationLines(t, snapshot.accommodations).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {snapshot.accommodations.extraTime ? (
            <p data-testid="briefing-extra-time">
              {t('acc.briefing.extraTime', {
                minutes: snapshot.durationMinutes + extraTimeMs(snapshot.durationMinutes, snapshot.accommodations) / 60_000,
              })}
            </p>
          ) : null}
          <p>{t('acc.briefing.still')}</p>
        </section>
      ) : null}
      <h2>{t('briefing.rulesTitle')}</h2>
      <ul className="rules">
        {/* The general sentence names phones, headphones and books: shown only where the programme allows none of rule 12's items. */}
        {allowed.length === 0 ? <li>{t('briefing.rules')}</li> : null}
        <li data-testid="briefing-fullscreen">
          {leaving.length ? t('briefing.fullscreen', { list: leaving.join('; ') }) : t('briefing.fullscreenRecorded')}
        </li>
        <li data-testid="briefing-timer">
          {t('briefing.timerMinutes', { minutes: snapshot.durationMinutes, count: snapshot.questionCount })}
        </li>
      </ul>
      <h2>{t('briefing.forbiddenTitle')}</h2>
      <ul className="rules">
        <li>{t('briefing.forbidden')}</li>
        {watched.length ? <li data-testid="briefing-watched">{t('briefing.watched', { list: watched.join(', ') })}</li> : null}
        {allowed.length ? <li data-testid="briefing-allowed">{t('briefing.allowed', { list: allowed.join(', ') })}</li> : null}
        <li>{t('briefing.policy')}</li>
        <li>{t('briefing.technical', { minutes: Math.round(config.technicalFaultSec / 6) / 10 })}</li>
      </ul>
      <h2>{t('briefing.appealTitle')}</h2>
      <ul className="rules">
        <li>{t('briefing.complaint')}</li>
        <li>{t('briefing.appeal')}</li>
      </ul>
      <p>
        <label className="checkbox">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="briefing-confirm" />
          {t('briefing.confirm')}
        </label>
      </p>
      {opensIn !== null ? (
        <p role="status" className="notice" data-testid="opens-at">
          {t('briefing.opensAt', { time: hourMinute(snapshot.opensAt!, language), minutes: Math.ceil(opensIn / 60_000) })}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <button
        type="button"
        className="big primary"
        disabled={busy || !proctoringReady || !confirmed || opensIn !== null}
        onClick={() =>
          void rt
            .startExam()
            .catch((e: unknown) =>
              setError(e instanceof RequestError && e.code === 'not_yet_open' ? t('briefing.notYetOpen') : t('briefing.startFailed')),
            )
        }
      >
        {t('briefing.start')}
      </button>
    </section>
  );
}
