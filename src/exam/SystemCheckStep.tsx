/**
 * The first step before the exam: the system check. Each item shows ✓ or ✗ with its figure and, when it fails,
 * what to do in plain words; Retry runs the whole check again. The candidate continues only when
 * every item has passed (the centre records the check and refuses the start otherwise).
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import { examStore } from '../stores/exam-store';
import { SelfView } from '../ui/components/SelfView';
import type { UiLanguage } from '../shared/programme';
import { useT, useUiLanguage, type MessageKey, type Translate } from '../ui/i18n/i18n';
import { formatNumber } from '../ui/number-format';
import { MicrophoneMeter } from './MicrophoneMeter';
import { ProctoringLoading } from './ProctoringNotices';
import { soundLevel } from './plain-figures';
import { StepProgress } from './StepProgress';
import { SYSTEM_CHECK_THRESHOLDS, type CheckedItem } from './system-check-verdict';
import { useCandidateRuntime } from './runtime-context';

/** An item's figures in words, numbers in the reader's format (216 947, 6,5). */
function figure(t: Translate, language: UiLanguage, i: CheckedItem): string | null {
  const d = i.detail;
  const has = (...keys: string[]) => keys.every((k) => typeof d[k] === 'number');
  const n = (key: string, digits = 0) => formatNumber(d[key] as number, language, digits);
  if (i.item === 'camera' && has('width', 'height'))
    return t('check.figure.camera', { width: d.width as number, height: d.height as number, fps: (d.fps as number | null) ?? '?' });
  if (i.item === 'microphone' && has('peakDbfs')) return t('check.figure.microphone', { level: soundLevel(d.peakDbfs as number) });
  if (i.item === 'network' && has('kbps', 'rttMs')) return t('check.figure.network', { kbps: n('kbps'), rttMs: n('rttMs') });
  if (i.item === 'models' && has('msToReady'))
    return t('check.figure.models', { seconds: formatNumber((d.msToReady as number) / 1000, language, 1) });
  if (i.item === 'storage' && has('freeMb')) return t('check.figure.storage', { freeMb: n('freeMb') });
  return null;
}

function advice(t: Translate, i: CheckedItem): string {
  const th = SYSTEM_CHECK_THRESHOLDS;
  return t(`check.${i.item}.${i.reason}` as MessageKey, {
    missing: String(i.detail.missing ?? ''),
    minWidth: th.minWidth,
    minHeight: th.minHeight,
    minFps: th.minFps,
    minKbps: th.minUploadKbps,
    minFreeMb: th.minFreeMb,
  });
}

export function SystemCheckStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const cam = useStore(examStore, (s) => s.camera);
  const mic = useStore(examStore, (s) => s.microphone);
  const language = useUiLanguage();
  const [items, setItems] = useState<CheckedItem[] | null>(null);
  const [running, setRunning] = useState(false);
  /** The check itself stopped with an error (not an item that failed): the candidate is told and may run it again. */
  const [crashed, setCrashed] = useState(false);
  const passed = items !== null && items.every((i) => i.ok);

  const run = () => {
    setRunning(true);
    setItems(null);
    setCrashed(false);
    void rt.systemCheck
      .runSystemCheck(setItems)
      .then(setItems, (e: unknown) => {
        setItems(null);
        setCrashed(true);
        rt.reportFailure('system_check', e);
      })
      .finally(() => setRunning(false));
  };
  const next = () => {
    setRunning(true);
    void rt.systemCheck.confirmSystemCheck(items!).then((failed) => {
      if (failed) setItems(failed);
      setRunning(false);
    });
  };

  return (
    <section aria-labelledby="check-title" className="card" data-testid="system-check">
      <StepProgress current="system-check" />
      <h1 id="check-title">{t('check.title')}</h1>
      <p>{t('check.intro')}</p>
      <div className="preview">
        <SelfView stream={cam === 'on' ? rt.camera.mediaStream : null} label={t('devices.preview')} className="preview-video" />
        <div>
          {/* Proctoring loads once both devices are on: while one has failed, no "loading…" that never ends. */}
          {mic === 'on' ? <MicrophoneMeter /> : null}
          {cam === 'on' && mic === 'on' ? <ProctoringLoading /> : null}
        </div>
      </div>
      {running && !items ? <p role="status">{t('check.running')}</p> : null}
      {crashed ? (
        <p role="alert" className="error" data-testid="check-crashed">
          {t('check.crashed')}
        </p>
      ) : null}
      {items ? (
        <ul className="check-list" aria-label={t('check.title')}>
          {items.map((i) => {
            const fig = figure(t, language, i);
            return (
              <li key={i.item} data-testid={`check-${i.item}`} data-ok={i.ok} data-reason={i.reason} className={i.ok ? 'ok' : 'error'}>
                <span aria-hidden="true">{i.ok ? '✓' : '✗'} </span>
                <strong>{t(`check.item.${i.item}` as MessageKey)}</strong>
                <span>: {i.ok ? t('check.ok') : t('check.notOk')}</span>
                {fig ? <span className="hint"> ({fig})</span> : null}
                {i.ok ? null : <p className="advice">{advice(t, i)}</p>}
              </li>
            );
          })}
        </ul>
      ) : null}
      {items ? (
        <p role={passed ? 'status' : 'alert'} className={passed ? 'ok' : 'error'} data-testid="check-summary">
          {passed ? t('check.passed') : t('check.failedSummary')}
        </p>
      ) : null}
      <div className="button-row">
        {passed ? (
          <button type="button" className="big primary" disabled={running} onClick={next}>
            {t('check.continue')}
          </button>
        ) : (
          <button type="button" className="big" disabled={running} onClick={run} data-testid="check-run">
            {items || crashed ? t('check.retry') : t('check.start')}
          </button>
        )}
      </div>
    </section>
  );
}
