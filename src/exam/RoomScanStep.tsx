/**
 * The 360° room scan before the exam (rule 2.8.3): what to do in plain words, the live preview, a
 * progress ring of the room seen (a progressbar for screen readers, with a polite announcement at
 * each quarter), warnings while turning (too fast, nothing to see, nearly there), what rule 12
 * objects were seen, and the outcome: the full circle back to the start passes (the centre's
 * snapshot moves the page on), anything less says how much was seen and offers a new scan.
 * The measuring is in room-scan-runtime.ts; per-frame values go straight into the DOM.
 */
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { RoomScanReading } from '../proctoring/room-scan';
import type { ObjectIncident } from '../shared/incidents';
import { examStore } from '../stores/exam-store';
import { SelfView } from '../ui/components/SelfView';
import { useT } from '../ui/i18n/i18n';
import { MAX_SCAN_MS, type ScanEnd, type ScanView } from './room-scan-runtime';
import { StepProgress } from './StepProgress';
import { useCandidateRuntime } from './runtime-context';
import { errorCode } from './client-errors';
import { clientReasonKey } from '../ui/event-text';

type View =
  | { kind: 'intro' }
  | { kind: 'scanning' }
  | { kind: 'sending' }
  | { kind: 'complete' }
  | { kind: 'partial'; deg: number; end: ScanEnd }
  /** `code`: why the centre did not take the report (a request's code), said in plain words. */
  | { kind: 'error'; code: string };

type Notice = 'tooFast' | 'gap' | 'blank' | 'almost' | null;

/** What to tell the candidate about this reading (one message at a time, the most useful first). */
function noticeOf(r: RoomScanReading): Notice {
  if (r.gaps > 0) return 'gap';
  if (r.tooFast) return 'tooFast';
  if (r.status === 'low_texture') return 'blank';
  if (r.coverageDeg >= 300 && !r.complete) return 'almost';
  return null;
}

const RING_RADIUS = 52;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;

export function RoomScanStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const roomScan = useStore(examStore, (s) => s.snapshot?.prestart.roomScan);
  const [view, setView] = useState<View>({ kind: 'intro' });
  const [notice, setNotice] = useState<Notice>(null);
  const [objects, setObjects] = useState<ObjectIncident[]>([]);
  const [milestone, setMilestone] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const arc = useRef<SVGCircleElement>(null);
  const degrees = useRef<HTMLSpanElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      abort.current?.abort();
    };
  }, []);
  useEffect(() => {
    if (view.kind === 'partial' || view.kind === 'error' || view.kind === 'complete') heading.current?.focus();
  }, [view.kind]);

  /** Per frame: the ring and its text straight into the DOM; React state only when a message changes. */
  function show(v: ScanView) {
    const deg = Math.min(360, Math.floor(v.reading.coverageDeg)); // never more than was seen
    const percent = v.reading.complete ? 100 : Math.min(99, Math.floor((deg / 360) * 100));
    const text = t('roomScan.degrees', { deg: v.reading.complete ? 360 : deg });
    bar.current?.setAttribute('aria-valuenow', String(percent));
    bar.current?.setAttribute('aria-valuetext', text);
    if (arc.current) arc.current.style.strokeDashoffset = String(RING_LENGTH * (1 - percent / 100));
    if (degrees.current) degrees.current.textContent = text;
    setMilestone(Math.floor(percent / 25) * 25);
    setNotice(noticeOf(v.reading));
    setObjects((seen) => (seen.length === v.objects.length ? seen : v.objects));
  }

  async function run() {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setNotice(null);
    setMilestone(0);
    setObjects([]);
    setView({ kind: 'scanning' });
    show({
      reading: {
        headingDeg: 0,
        coverageDeg: 0,
        complete: false,
        returnedToStart: false,
        status: 'start',
        speedDegS: 0,
        tooFast: false,
        matchError: null,
        gaps: 0,
      },
      objects: [],
      elapsedMs: 0,
    });
    const outcome = await rt.roomScan.runRoomScan(show, controller.signal);
    if (!mounted.current || abort.current !== controller) return; // left the page, or a newer attempt
    setView({ kind: 'sending' });
    try {
      // Every attempt goes to the centre (a partial one is logged as room_scan.failed); a complete one moves the page on.
      await rt.roomScan.sendRoomScanReport(outcome.report);
      setView(
        outcome.report.complete ? { kind: 'complete' } : { kind: 'partial', deg: Math.floor(outcome.report.coverageDeg), end: outcome.end },
      );
    } catch (e) {
      setView({ kind: 'error', code: errorCode(e) });
    }
  }

  const scanning = view.kind === 'scanning';
  const noticeText = notice ? t(`roomScan.${notice}`) : '';
  const objectNames = objects.map((o) => t(`roomScan.${o}`)).join(', ');
  const partialText =
    view.kind === 'partial'
      ? view.end === 'camera'
        ? t('roomScan.camera')
        : view.end === 'time_up'
          ? t('roomScan.timeUp', { minutes: Math.round(MAX_SCAN_MS / 60_000) })
          : t('roomScan.partial', { deg: view.deg })
      : '';

  return (
    <section aria-labelledby="room-scan-title" className="card" data-testid="room-scan">
      <StepProgress current="room-scan" />
      <h1 id="room-scan-title" ref={heading} tabIndex={-1}>
        {t('roomScan.title')}
      </h1>
      <p>{t('roomScan.intro')}</p>
      <p className="hint">{t('roomScan.how')}</p>
      <div className="preview scan-preview">
        <SelfView stream={rt.camera.mediaStream} label={t('roomScan.preview')} className="preview-video scan-video" />
        <div
          ref={bar}
          className="scan-ring"
          role="progressbar"
          aria-label={t('roomScan.ring')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={roomScan?.complete ? 100 : 0}
          aria-valuetext={t('roomScan.degrees', { deg: roomScan?.complete ? 360 : 0 })}
          data-testid="room-scan-progress"
        >
          <svg viewBox="0 0 120 120" aria-hidden="true" focusable="false">
            <circle className="scan-ring-track" cx="60" cy="60" r={RING_RADIUS} />
            <circle
              ref={arc}
              className="scan-ring-arc"
              cx="60"
              cy="60"
              r={RING_RADIUS}
              strokeDasharray={RING_LENGTH}
              strokeDashoffset={RING_LENGTH}
            />
          </svg>
          <span ref={degrees} className="scan-ring-text" aria-hidden="true">
            {t('roomScan.degrees', { deg: 0 })}
          </span>
        </div>
      </div>
      <p role="status" aria-live="polite" className="scan-milestone" data-testid="room-scan-milestone">
        {scanning && milestone > 0 ? t('roomScan.milestone', { percent: milestone }) : ''}
      </p>
      {scanning && notice ? (
        <p className={notice === 'almost' ? 'hint' : 'warning'} data-testid="room-scan-notice">
          {noticeText}
        </p>
      ) : null}
      {objects.length > 0 ? (
        <p role="alert" className="banner" data-testid="room-scan-objects">
          {t('roomScan.objects', { objects: objectNames })}
        </p>
      ) : null}
      {view.kind === 'sending' ? <p role="status">{t('roomScan.sending')}</p> : null}
      {view.kind === 'complete' ? (
        <p role="status" className="ok" data-testid="room-scan-complete">
          ✓ {t('roomScan.complete')}
        </p>
      ) : null}
      {view.kind === 'partial' || view.kind === 'error' ? (
        <p role="alert" className="error" data-testid="room-scan-failed">
          {view.kind === 'partial' ? partialText : t('roomScan.error', { reason: t(clientReasonKey(view.code)) })}
        </p>
      ) : null}
      <div className="button-row">
        {view.kind === 'intro' ? (
          <button type="button" className="big" onClick={() => void run()} data-testid="room-scan-start">
            {t('roomScan.start')}
          </button>
        ) : null}
        {scanning ? (
          <button type="button" onClick={() => abort.current?.abort()} data-testid="room-scan-stop">
            {t('roomScan.stop')}
          </button>
        ) : null}
        {view.kind === 'partial' || view.kind === 'error' ? (
          <button type="button" className="big" onClick={() => void run()} data-testid="room-scan-retry">
            {t('roomScan.retry')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
