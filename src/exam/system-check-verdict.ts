/**
 * The system check (the first step before the exam): its verdict on what this browser measured about itself. Pure:
 * the figures come in, every item leaves with ok, its figures and a reason the screen turns into
 * plain words (check.<item>.<reason> in the i18n catalogues). The thresholds are here and only here.
 */
import type { BrowserFeatures } from '../shared/browser-support';
import type { MediaFailure } from '../devices/media-errors';
import type { SystemCheckItem, SystemCheckReport } from '../shared/protocol';

/** The minimums the online exam needs, with why. */
export const SYSTEM_CHECK_THRESHOLDS = {
  /** Camera: the face detectors and the recording work on 640×480 (src/devices/camera.ts asks for it). */
  minWidth: 640,
  minHeight: 480,
  /** Camera frame rate: proctoring analyses up to 15 frames per second. */
  minFps: 15,
  /**
   * Microphone: a working microphone always picks up some room noise; a peak below this over the
   * measuring time is digital silence (muted, or a device that delivers nothing). Same bound as
   * the audio.muted incident's default (src/shared/proctoring-config.ts, audio.mutedDbfs).
   */
  minPeakDbfs: -95,
  /** Upstream to the centre: the recording needs ~300 kbps; this leaves room for events and evidence. */
  minUploadKbps: 400,
  /** Free browser storage for offline buffering of the recording and events when the link drops. */
  minFreeMb: 200,
} as const;

/** Browser features the exam needs; each false one is named (the first screen has judged them already). */
export type { BrowserFeatures };

/** What the check measured; null where a measurement could not be taken (the reason says why). */
export interface SystemCheckMeasurements {
  browser: BrowserFeatures;
  camera: { failure: MediaFailure | null; width: number | null; height: number | null; fps: number | null };
  /** failure: 'skipped' when the camera failed first (the microphone is opened after it). */
  microphone: { failure: MediaFailure | 'skipped' | null; peakDbfs: number | null };
  network: { offline: boolean; kbps: number | null; rttMs: number | null };
  models: { state: 'ready' | 'failed' | 'skipped'; msToReady: number | null };
  /** freeMb null: the browser does not say (navigator.storage.estimate missing). */
  storage: { freeMb: number | null };
}

export type CheckReason =
  | 'ok'
  | 'unsupported'
  | 'denied'
  | 'missing'
  | 'failed'
  | 'timeout'
  | 'no_sound'
  | 'skipped'
  | 'low_resolution'
  | 'low_fps'
  | 'silent'
  | 'offline'
  | 'slow'
  | 'full';

export interface CheckedItem {
  item: SystemCheckItem;
  ok: boolean;
  reason: CheckReason;
  detail: Record<string, number | string | boolean | null>;
}

const round = (n: number | null, digits = 0) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function item(name: SystemCheckItem, reason: CheckReason, detail: CheckedItem['detail']): CheckedItem {
  return { item: name, ok: reason === 'ok', reason, detail: { reason, ...detail } };
}

export function judgeSystemCheck(m: SystemCheckMeasurements): CheckedItem[] {
  const t = SYSTEM_CHECK_THRESHOLDS;
  const missing = (Object.keys(m.browser) as Array<keyof BrowserFeatures>).filter((k) => !m.browser[k]);
  const browser = item('browser', missing.length ? 'unsupported' : 'ok', { missing: missing.join(', ') });

  const c = m.camera;
  const cameraReason: CheckReason = c.failure
    ? c.failure
    : c.width === null || c.height === null
      ? 'failed'
      : c.width < t.minWidth || c.height < t.minHeight
        ? 'low_resolution'
        : c.fps !== null && c.fps < t.minFps
          ? 'low_fps'
          : 'ok';
  const camera = item('camera', cameraReason, { width: c.width, height: c.height, fps: round(c.fps, 1) });

  const mic = m.microphone;
  const micReason: CheckReason = mic.failure ? mic.failure : mic.peakDbfs === null || mic.peakDbfs < t.minPeakDbfs ? 'silent' : 'ok';
  const microphone = item('microphone', micReason, { peakDbfs: round(mic.peakDbfs, 1) });

  const n = m.network;
  const networkReason: CheckReason = n.offline || n.kbps === null ? 'offline' : n.kbps < t.minUploadKbps ? 'slow' : 'ok';
  const network = item('network', networkReason, { kbps: round(n.kbps), rttMs: round(n.rttMs) });

  const models = item('models', m.models.state === 'ready' ? 'ok' : m.models.state, { msToReady: round(m.models.msToReady) });

  const free = m.storage.freeMb;
  // A browser that does not tell (no navigator.storage.estimate) is not refused for it: the figure stays empty.
  const storage = item('storage', free !== null && free < t.minFreeMb ? 'full' : 'ok', { freeMb: round(free) });

  return [browser, camera, microphone, network, models, storage];
}

/** The report the centre records and shows the proctor ('system.checked'). */
export function toReport(items: readonly CheckedItem[]): SystemCheckReport {
  return { ok: items.every((i) => i.ok), items: items.map(({ item: name, ok, detail }) => ({ item: name, ok, detail })) };
}

/** Upstream bandwidth from timed probes: total bits over total time (ms), in kbps. */
export function uploadKbps(probes: ReadonlyArray<{ bytes: number; ms: number }>): number | null {
  const bytes = probes.reduce((n, p) => n + p.bytes, 0);
  const ms = probes.reduce((n, p) => n + p.ms, 0);
  if (probes.length === 0 || bytes === 0) return null;
  return (bytes * 8) / Math.max(ms, 1); // bits per ms = kbit/s
}
