/**
 * Signal builders for the proctoring tests: realistic sequences of analysed frames (15 fps),
 * audio buffers and environment changes, and a player that feeds them to an IncidentTracker
 * and records when each update came out. Times are seconds from T0 in the scripts.
 */
import type { IncidentUpdate, IncidentTracker } from '../proctoring/incident-tracker';
import type { AudioSignals, EnvSignal, FaceSignal, FrameSignals, HeadPose, Keypoint, ObjectSignal } from '../proctoring/signals';
import type { ObjectIncident } from '../shared/incidents';

/** An arbitrary epoch time, so no test depends on times starting at 0. */
export const T0 = 1_760_000_000_000;
export const at = (sec: number) => T0 + Math.round(sec * 1000);

export function face(score = 0.95, x = 0.4): FaceSignal {
  return { box: { x, y: 0.3, w: 0.2, h: 0.3 }, score };
}

export const STRAIGHT: HeadPose = { yawDeg: 2, pitchDeg: -3, rollDeg: 0 };

/** 17 COCO keypoints with both shoulders at the given centre and width (score for both). */
export function pose(centreX = 0.5, score = 0.9, width = 0.3, centreY = 0.7): Keypoint[] {
  const points: Keypoint[] = Array.from({ length: 17 }, () => ({ x: 0.5, y: 0.5, score: 0.1 }));
  points[5] = { x: centreX + width / 2, y: centreY, score };
  points[6] = { x: centreX - width / 2, y: centreY, score };
  return points;
}

export function object(type: ObjectIncident, score: number): ObjectSignal {
  return { type, score, box: { x: 0.6, y: 0.6, w: 0.1, h: 0.2 } };
}

export type FramePatch = Partial<Omit<FrameSignals, 't'>>;

/** A frame with one face looking at the screen, pose and objects not analysed, unless patched. */
export function frameAt(sec: number, patch: FramePatch = {}): FrameSignals {
  return { t: at(sec), faces: [face()], head: STRAIGHT, pose: null, objects: null, ms: { total: 30, faces: 8, landmarks: 20 }, ...patch };
}

export type Step<E = string> = { frame: FrameSignals; evidence?: E } | { audio: AudioSignals } | { env: EnvSignal } | { tick: number };

/**
 * Frames at `fps` from `fromSec` (inclusive) to `toSec` (exclusive), each patched by `patch`
 * (a function of the frame's second and index). Evidence, when asked for, is "ev@<sec>".
 */
export function frames(
  fromSec: number,
  toSec: number,
  patch: FramePatch | ((sec: number, i: number) => FramePatch) = {},
  options: { fps?: number; evidence?: boolean } = {},
): Step[] {
  const fps = options.fps ?? 15;
  const steps: Step[] = [];
  const count = Math.round((toSec - fromSec) * fps);
  for (let i = 0; i < count; i++) {
    const sec = fromSec + i / fps;
    const f = frameAt(sec, typeof patch === 'function' ? patch(sec, i) : patch);
    steps.push(options.evidence ? { frame: f, evidence: `ev@${sec.toFixed(3)}` } : { frame: f });
  }
  return steps;
}

/** Audio buffers every 32 ms (512 samples at 16 kHz, the VAD's frame) from `fromSec` to `toSec`. */
export function audio(fromSec: number, toSec: number, levelDb: number, speechProbability: number | null): Step[] {
  const steps: Step[] = [];
  for (let ms = Math.round(fromSec * 1000); ms < Math.round(toSec * 1000); ms += 32)
    steps.push({ audio: { t: T0 + ms, levelDb, speechProbability, ms: 0.5 } });
  return steps;
}

/** Ticks every `everySec` (the engine ticks about every 250 ms) from `fromSec` to `toSec` inclusive. */
export function ticks(fromSec: number, toSec: number, everySec = 0.25): Step[] {
  const steps: Step[] = [];
  for (let ms = Math.round(fromSec * 1000); ms <= Math.round(toSec * 1000); ms += Math.round(everySec * 1000))
    steps.push({ tick: T0 + ms });
  return steps;
}

export const env = (signal: EnvSignal): Step => ({ env: signal });

const stepTime = <E>(s: Step<E>) => ('frame' in s ? s.frame.t : 'audio' in s ? s.audio.t : 'env' in s ? s.env.t : s.tick);

export type Played<E> = IncidentUpdate<E> & { at: number };

/** Feeds the steps in time order (stable for equal times) and records each update with the time it came out. */
export function play<E>(tracker: IncidentTracker<E>, ...scripts: Step<E>[][]): Played<E>[] {
  const steps = scripts.flat().map((s, i) => ({ s, i }));
  steps.sort((a, b) => stepTime(a.s) - stepTime(b.s) || a.i - b.i);
  const out: Played<E>[] = [];
  for (const { s } of steps) {
    const t = stepTime(s);
    const updates =
      'frame' in s
        ? tracker.frame(s.frame, s.evidence)
        : 'audio' in s
          ? tracker.audio(s.audio)
          : 'env' in s
            ? tracker.env(s.env)
            : tracker.tick(s.tick);
    for (const u of updates) out.push({ ...u, at: t });
  }
  return out;
}

/** Sequential ids, so runs are reproducible. */
export function sequentialIds(prefix = 'i'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** Seconds from T0 (for readable assertions). */
export const sec = (t: number | null) => (t === null ? null : (t - T0) / 1000);
