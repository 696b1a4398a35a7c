/**
 * Turns per-frame, per-buffer and environment signals into settled incidents with evidence
 * (DESIGN §3, rule 2.8: noise level, multiple faces, suspicious events, head and body movement;
 * rule 12 forbidden objects; rule 11 technical faults). Pure and deterministic: time comes only
 * from the signals' `t` and from `tick(now)`, never from a clock.
 *
 * Each condition has a ConditionWindow (condition-window.ts documents opening, closing, flicker
 * and staleness). What the integrator must know:
 * - call tick(now) every few hundred ms: it opens state windows (focus lost for 5 s with no
 *   further event), closes incidents whose signal stopped, and measures tech.low_fps;
 * - incident.start is when the condition began, incident.end the first moment it was seen absent;
 * - 'open' carries the evidence of the worst frame of the window (frames that came with evidence
 *   beat frames without); the tracker only keeps references to evidence, it never releases it;
 * - env.clipboard and env.virtual_camera are point events: they open and close at once, whatever
 *   the programme's afterSec / clearSec say (an event has no duration to persist);
 * - tech.model_failed lasts until a later signal shows that model working again (see recovers()),
 *   or until closeAll; tech.low_fps is not raised while the tab is hidden or the camera is off
 *   (the browser throttles hidden tabs; those have their own incidents).
 */
import { INCIDENT_TYPES, INCIDENTS, OBJECT_CLASSES, type Incident, type IncidentType, type ObjectIncident } from '../shared/incidents';
import type { ProctoringConfig } from '../shared/proctoring-config';
import { ConditionWindow, type IncidentUpdate, type Reading, type WindowTiming } from './condition-window';
import type { HeadBaseline } from './head-baseline';
import * as read from './readings';
import type { AudioSignals, EnvSignal, FrameSignals, ObjectSignal } from './signals';

export type { IncidentUpdate } from './condition-window';

/** Detector misses shorter than this (about 7 frames at 15 fps, a pause between words) do not restart a window. */
export const SENSOR_BRIDGE_MS = 500;
/** A face or audio reading stops counting this long after it was taken (the stream stopped). */
export const FRAME_STALE_MS = 2000;
/** Pose runs on every n-th frame only, so its readings are allowed to be older. */
export const POSE_STALE_MS = 3000;
/** The last object analysis holds for this many analysis intervals (one missed analysis is tolerated). */
export const OBJECT_HOLD_INTERVALS = 2.5;
/** tech.low_fps measures the analysed-frame rate over this sliding window. */
export const FPS_WINDOW_MS = 5000;

/** Conditions that are point events, not states. */
const INSTANT: ReadonlySet<IncidentType> = new Set(['env.clipboard', 'env.virtual_camera']);
/** Names under which a frame reports a model's time (FrameSignals.ms), so a failed model is seen to work again. */
const FRAME_MODELS = ['faces', 'landmarks', 'pose', 'objects'] as const;

function timingFor(type: IncidentType, config: ProctoringConfig): WindowTiming {
  const rule = config.incidents[type];
  const base = { afterMs: rule.afterSec * 1000, clearMs: rule.clearSec * 1000 };
  switch (INCIDENTS[type].group) {
    case 'face':
      // face.mismatch comes from a check every identityCheckSec: a state that holds until the next check says otherwise.
      return type === 'face.mismatch'
        ? { ...base, bridgeMs: 0, staleMs: Infinity }
        : { ...base, bridgeMs: SENSOR_BRIDGE_MS, staleMs: FRAME_STALE_MS };
    case 'head':
    case 'audio':
      return { ...base, bridgeMs: SENSOR_BRIDGE_MS, staleMs: FRAME_STALE_MS };
    case 'body':
      return { ...base, bridgeMs: SENSOR_BRIDGE_MS, staleMs: POSE_STALE_MS };
    case 'object':
      // The tracker repeats the last analysis on every frame; it stops doing so once the analysis is too old.
      return { ...base, bridgeMs: SENSOR_BRIDGE_MS, staleMs: FRAME_STALE_MS };
    default:
      // env.* and tech.* are states reported on change: they hold until the next report.
      return { ...base, bridgeMs: 0, staleMs: Infinity };
  }
}

/** The conditions this tracker watches under a programme (allow-listed rule 12 classes are never watched). */
function watchedTypes(config: ProctoringConfig): IncidentType[] {
  return INCIDENT_TYPES.filter((type) => {
    if (type === 'face.mismatch') return config.steps.identity; // only where the programme checks identity (identity())
    if (INSTANT.has(type)) return false; // events need no window
    if (INCIDENTS[type].group !== 'object') return true;
    return type in OBJECT_CLASSES && !config.objects.allow.includes(type);
  });
}

export class IncidentTracker<E = unknown> {
  private readonly windows = new Map<IncidentType, ConditionWindow<E>>();
  private readonly objectTypes: ObjectIncident[];
  private lastObjects: { t: number; objects: ObjectSignal[] } | null = null;
  private lastShoulders: read.Shoulders | null = null;
  private frameTimes: number[] = [];
  private firstFrameAt: number | null = null;
  private tabHidden = false;
  private cameraOff = false;
  /** Failed model name → when it failed. */
  private readonly failedModels = new Map<string, number>();
  /** The candidate's neutral head pose from the identity step (head-baseline.ts); null: the camera axis. */
  private headBaseline: HeadBaseline | null = null;

  constructor(
    private readonly config: ProctoringConfig,
    private readonly newId: () => string,
  ) {
    for (const type of watchedTypes(config)) this.windows.set(type, new ConditionWindow<E>(type, timingFor(type, config), newId));
    this.objectTypes = [...this.windows.keys()].filter((type): type is ObjectIncident => type in OBJECT_CLASSES);
  }

  /** Judges head.away from the candidate's own neutral pose from now on (null: from the camera axis again). */
  setHeadBaseline(baseline: HeadBaseline | null): void {
    this.headBaseline = baseline;
  }

  /** One analysed frame; `evidence` (e.g. its JPEG) may be attached to some frames only. */
  frame(signals: FrameSignals, evidence?: E): IncidentUpdate<E>[] {
    const { t } = signals;
    this.countFrame(t);
    const faces = read.countedFaces(signals.faces, this.config);
    const updates = [
      ...this.feed('face.absent', t, read.faceAbsent(faces), evidence),
      ...this.feed('face.multiple', t, read.faceMultiple(faces), evidence),
      ...this.feed('head.away', t, read.headAway(signals.head, this.config, this.headBaseline), evidence),
      ...this.feed('body.left', t, read.bodyLeft(signals.pose, faces.length, this.config), evidence),
      ...this.feed('body.motion', t, this.motion(t, signals), evidence),
    ];
    // Objects are analysed every ~1.5 s: between analyses the last one still holds (null is "not analysed", not "gone").
    if (signals.objects !== null) this.lastObjects = { t, objects: signals.objects };
    const fresh = this.lastObjects && t - this.lastObjects.t <= OBJECT_HOLD_INTERVALS * this.config.objects.intervalSec * 1000;
    for (const type of this.objectTypes) {
      updates.push(...this.feed(type, t, fresh ? read.objectSeen(this.lastObjects!.objects, type, this.config) : null, evidence));
    }
    updates.push(...this.feed('tech.low_fps', t, this.fpsReading(t)));
    updates.push(...this.recover(t, (model) => model === 'vision' || model === 'engine' || this.frameReports(signals, model)));
    return updates;
  }

  /** One audio buffer (level and voice activity). */
  audio(signals: AudioSignals): IncidentUpdate<E>[] {
    const { t } = signals;
    return [
      ...this.feed('audio.speech', t, read.audioSpeech(signals, this.config)),
      ...this.feed('audio.noise', t, read.audioNoise(signals, this.config)),
      ...this.feed('audio.muted', t, read.audioMuted(signals, this.config)),
      ...this.recover(t, (model) => signals.speechProbability !== null && /audio|vad/i.test(model)),
    ];
  }

  /**
   * Rule 2.8.6 during the exam: the centre's answer to a re-verification (identity:check). A
   * mismatch holds until a later check matches; it opens face.mismatch once it has held for the
   * programme's afterSec (settled by tick), with the evidence of the frame that was checked.
   */
  identity(t: number, check: { matched: boolean; similarity: number; threshold: number }, evidence?: E): IncidentUpdate<E>[] {
    return this.feed('face.mismatch', t, read.identityMismatch(check), evidence);
  }

  /** A change in the browser environment or a device. */
  env(signal: EnvSignal): IncidentUpdate<E>[] {
    const { t } = signal;
    switch (signal.kind) {
      case 'focus':
        return this.feed('env.focus_lost', t, read.stateReading(!signal.on));
      case 'tab_visible':
        this.tabHidden = !signal.on;
        return this.feed('env.tab_hidden', t, read.stateReading(!signal.on));
      case 'fullscreen':
        return this.feed('env.fullscreen_exit', t, read.stateReading(!signal.on));
      case 'screens':
        return this.feed('env.second_screen', t, read.stateReading(signal.count > 1, { screens: signal.count }, signal.count));
      case 'virtual_camera':
        return this.instant('env.virtual_camera', t, { label: signal.label });
      case 'clipboard':
        return this.instant('env.clipboard', t, { action: signal.action });
      case 'camera':
        this.cameraOff = !signal.on;
        return this.feed('tech.camera_lost', t, read.stateReading(!signal.on));
      case 'microphone':
        return this.feed('tech.mic_lost', t, read.stateReading(!signal.on));
      case 'network':
        return this.feed('tech.offline', t, read.stateReading(!signal.online));
      case 'model_failed':
        if (!this.failedModels.has(signal.model)) this.failedModels.set(signal.model, t);
        return this.feed('tech.model_failed', t, read.stateReading(true, { model: signal.model, message: signal.message.slice(0, 200) }));
    }
  }

  /** Time passes with or without signals: settles windows (see the file comment) and measures the frame rate. */
  tick(now: number): IncidentUpdate<E>[] {
    const updates: IncidentUpdate<E>[] = [];
    const fps = this.fpsReading(now);
    for (const [type, window] of this.windows) {
      if (type === 'tech.low_fps' && fps) updates.push(...window.observe(now, fps));
      else updates.push(...window.expire(now));
    }
    return updates;
  }

  /** Incidents open now, in catalogue order. */
  open(): Incident[] {
    return [...this.windows.values()].flatMap((w) => (w.incident ? [w.incident] : []));
  }

  /** End of the exam: every open incident ends (at `now`, or when it was last seen if it was already fading); pending ones are dropped. */
  closeAll(now: number): IncidentUpdate<E>[] {
    const updates = [...this.windows.values()].flatMap((w) => w.closeAt(now));
    this.lastObjects = null;
    this.lastShoulders = null;
    this.frameTimes = [];
    this.firstFrameAt = null;
    this.tabHidden = false;
    this.cameraOff = false;
    this.failedModels.clear();
    return updates;
  }

  /** A reading for a watched condition; null (not observed) only lets time settle the window. */
  private feed(type: IncidentType, t: number, reading: Reading | null, evidence?: E): IncidentUpdate<E>[] {
    const window = this.windows.get(type);
    if (!window) return [];
    return reading ? window.observe(t, reading, evidence) : window.expire(t);
  }

  private instant(type: IncidentType, t: number, detail: Incident['detail']): IncidentUpdate<E>[] {
    const incident: Incident = { id: this.newId(), type, start: t, end: null, confidence: 1, detail };
    return [
      { kind: 'open', incident },
      { kind: 'close', incident: { ...incident, end: t } },
    ];
  }

  /** body.motion between this pose frame and the previous one. */
  private motion(t: number, signals: FrameSignals): Reading | null {
    if (signals.pose === null) return null;
    const current = read.shoulders(t, signals.pose, this.config);
    const reading = read.bodyMotion(this.lastShoulders, current, this.config);
    this.lastShoulders = current;
    return reading;
  }

  private countFrame(t: number): void {
    this.firstFrameAt ??= t;
    this.frameTimes.push(t);
  }

  /** Analysed frames per second over the last FPS_WINDOW_MS; null until frames have run that long. */
  private fpsReading(now: number): Reading | null {
    if (this.firstFrameAt === null || now - this.firstFrameAt < FPS_WINDOW_MS) return null;
    while (this.frameTimes.length > 0 && this.frameTimes[0]! <= now - FPS_WINDOW_MS) this.frameTimes.shift();
    const fps = this.frameTimes.filter((ft) => ft <= now).length / (FPS_WINDOW_MS / 1000);
    // A hidden tab is throttled by the browser and a lost camera has its own incident: neither is slow analysis.
    if (this.tabHidden || this.cameraOff) return read.stateReading(false);
    return read.lowFps(fps, this.config);
  }

  private frameReports(signals: FrameSignals, model: string): boolean {
    return (FRAME_MODELS as readonly string[]).includes(model) && typeof signals.ms[model as (typeof FRAME_MODELS)[number]] === 'number';
  }

  /** Failed models that a later signal shows working again; tech.model_failed ends when none is left. */
  private recover(t: number, works: (model: string) => boolean): IncidentUpdate<E>[] {
    if (this.failedModels.size === 0) return [];
    for (const [model, failedAt] of this.failedModels) if (t > failedAt && works(model)) this.failedModels.delete(model);
    return this.failedModels.size === 0 ? this.feed('tech.model_failed', t, read.stateReading(false)) : [];
  }
}
