/** The steps before the first question: language (rule 9), devices, briefing (rule 8). */
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { LANGUAGES } from '../shared/languages';
import { examStore } from '../stores/exam-store';
import { SelfView } from '../ui/components/SelfView';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { camera, chooseLanguage, enableDevices, microphone, startExam } from './exam-runtime';
import { ProctoringLoading } from './ProctoringNotices';

export function LanguageStep() {
  const t = useT();
  const snapshot = useStore(examStore, (s) => s.snapshot)!;
  const busy = useStore(examStore, (s) => s.busy);
  const lang = useUiLanguage();
  const profession = snapshot.profession[lang];
  return (
    <section aria-labelledby="lang-title" className="card">
      <h1>{t('exam.welcome', { name: snapshot.candidateName })}</h1>
      <p>{t('exam.programme', { profession, level: snapshot.nqfLevel })}</p>
      <p>{t('exam.facts', { count: snapshot.questionCount, minutes: snapshot.durationMinutes })}</p>
      <h2 id="lang-title">{t('exam.chooseLanguage')}</h2>
      <p className="hint">{t('exam.chooseLanguageHint')}</p>
      <div className="button-row">
        {LANGUAGES.map((l) => (
          <button key={l} type="button" className="big" lang={l} disabled={busy} onClick={() => void chooseLanguage(l)}>
            {t(`lang.${l}`)}
          </button>
        ))}
      </div>
    </section>
  );
}

/** Meter driven by requestAnimationFrame straight into the DOM: per-frame values stay out of React. */
function MicrophoneMeter() {
  const t = useT();
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let frame = 0;
    const tick = () => {
      const db = microphone.level();
      const fraction = Math.min(1, Math.max(0, (db + 70) / 60));
      if (bar.current) bar.current.style.width = `${Math.round(fraction * 100)}%`;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, []);
  return (
    <div className="meter" role="img" aria-label={t('devices.micLevel')}>
      <div ref={bar} className="meter-bar" />
    </div>
  );
}

export function DevicesStep() {
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
          : t('devices.failed', { reason: failure.detail })
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
        <SelfView stream={cam === 'on' ? camera.mediaStream : null} label={t('devices.preview')} className="preview-video" />
        {mic === 'on' ? <MicrophoneMeter /> : null}
      </div>
      <button type="button" className="big" disabled={starting} onClick={() => void enableDevices()}>
        {failure || cam === 'lost' || mic === 'lost' ? t('common.retry') : t('devices.allow')}
      </button>
    </section>
  );
}

export function BriefingStep() {
  const t = useT();
  const busy = useStore(examStore, (s) => s.busy);
  const proctoringReady = useStore(examStore, (s) => s.proctoring.phase === 'ready');
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="briefing-title" className="card">
      <h1 id="briefing-title">{t('briefing.title')}</h1>
      <div className="preview small">
        <SelfView stream={camera.mediaStream} label={t('devices.preview')} className="preview-video" />
        <div>
          <p className="ok">✓ {t('devices.cameraOk')}</p>
          <p className="ok">✓ {t('devices.micOk')}</p>
          <MicrophoneMeter />
          <ProctoringLoading />
        </div>
      </div>
      <ul className="rules">
        <li>{t('briefing.rules')}</li>
        <li>{t('briefing.policy')}</li>
        <li>{t('briefing.fullscreen')}</li>
        <li>{t('briefing.timer')}</li>
      </ul>
      {error ? <p role="alert" className="error">{error}</p> : null}
      <button
        type="button"
        className="big primary"
        disabled={busy || !proctoringReady}
        onClick={() => startExam().catch((e: Error) => setError(e.message))}
      >
        {t('briefing.start')}
      </button>
    </section>
  );
}
