/**
 * Per-sample readings: what one analysed frame or audio buffer says about each condition of
 * the incident catalogue (DESIGN §3), with a confidence, a severity (to keep the worst moment's
 * evidence) and the measured values for the act (rule 14) and the reviewer.
 *
 * null means "not observed on this sample" (the model did not run), which is not "absent".
 */
import type { ProctoringConfig } from '../shared/proctoring-config';
import type { ObjectIncident } from '../shared/incidents';
import { clamp01 } from './box';
import type { Reading } from './condition-window';
import { appliedBaseline, type HeadBaseline } from './head-baseline';
import type { AudioSignals, FaceSignal, HeadPose, Keypoint, ObjectSignal } from './signals';

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Confidence from how far a measurement is beyond its limit: just past the limit is a coin toss
 * (0.5), half the limit again beyond it (1.5×) or more is certain (1).
 */
function beyond(ratio: number): number {
  return clamp01(0.5 + (ratio - 1));
}

const NOT_HOLDING: Reading = { holds: false, confidence: 0, severity: 0, detail: {} };

/** Faces at or above the programme's minimum score (the worker filters too; filtering again keeps this correct on its own). */
export function countedFaces(faces: FaceSignal[], config: ProctoringConfig): FaceSignal[] {
  return faces.filter((f) => f.score >= config.face.minScore);
}

/** face.absent (rule 2.8.6): nobody in front of the camera. Any such frame is as good as another. */
export function faceAbsent(faces: FaceSignal[]): Reading {
  return faces.length === 0 ? { holds: true, confidence: 1, severity: 0, detail: { faces: 0 } } : NOT_HOLDING;
}

/** face.multiple (rule 2.8.2): confidence is the score of the weakest face that makes it "more than one". */
export function faceMultiple(faces: FaceSignal[]): Reading {
  if (faces.length < 2) return NOT_HOLDING;
  const second = [...faces].sort((a, b) => b.score - a.score)[1]!;
  return { holds: true, confidence: clamp01(second.score), severity: faces.length, detail: { faces: faces.length } };
}

/**
 * head.away (rule 2.8.7): yaw OR pitch beyond its limit; looking down at a phone is pitch, not yaw; a profile is yaw
 * (face-keypoints-yaw.ts). With the candidate's own neutral pose (head-baseline.ts) the angles are measured from it,
 * the baseline held within half of each limit; the evidence then carries the baseline used.
 */
export function headAway(head: HeadPose | null, config: ProctoringConfig, baseline: HeadBaseline | null = null): Reading | null {
  if (!head) return null;
  const base = baseline ? appliedBaseline(baseline, config.head) : { yawDeg: 0, pitchDeg: 0 };
  const fromKeypoints = head.from === 'keypoints';
  const yaw = head.yawDeg - base.yawDeg;
  // A yaw from the face detector's keypoints (the mesh could not fit the face, e.g. a full profile) has no pitch.
  const pitch = fromKeypoints ? 0 : head.pitchDeg - base.pitchDeg;
  const ratio = Math.max(Math.abs(yaw) / config.head.maxYawDeg, Math.abs(pitch) / config.head.maxPitchDeg);
  if (ratio <= 1) return NOT_HOLDING;
  const detail: Record<string, number | string> = fromKeypoints
    ? { yawDeg: round1(head.yawDeg), poseFrom: 'keypoints' }
    : { yawDeg: round1(head.yawDeg), pitchDeg: round1(head.pitchDeg) };
  if (baseline) Object.assign(detail, { baseYawDeg: round1(base.yawDeg), basePitchDeg: round1(base.pitchDeg) });
  return { holds: true, confidence: beyond(ratio), severity: ratio, detail };
}

/**
 * Shoulder keypoints: MoveNet / COCO order (17 keypoints: 5 left, 6 right) as signals.ts
 * documents; BlazePose's 33 landmarks (11, 12) are recognised by their count.
 */
function shoulderPair(pose: Keypoint[]): [Keypoint | undefined, Keypoint | undefined] {
  return pose.length >= 33 ? [pose[11], pose[12]] : [pose[5], pose[6]];
}

/** body.left (rule 2.8.7): on a pose frame no torso (both shoulders unseen) and no face either. */
export function bodyLeft(pose: Keypoint[] | null, faceCount: number, config: ProctoringConfig): Reading | null {
  if (!pose) return null;
  const [left, right] = shoulderPair(pose);
  const best = Math.max(left?.score ?? 0, right?.score ?? 0);
  if (best >= config.body.minKeypointScore || faceCount > 0) return NOT_HOLDING;
  return { holds: true, confidence: clamp01(1 - best), severity: 0, detail: { shoulderScore: round2(best) } };
}

export interface Shoulders {
  t: number;
  x: number;
  y: number;
  width: number;
}

/** The shoulder centre and width on a pose frame, or null when either shoulder is not seen well enough. */
export function shoulders(t: number, pose: Keypoint[] | null, config: ProctoringConfig): Shoulders | null {
  if (!pose) return null;
  const [left, right] = shoulderPair(pose);
  const min = config.body.minKeypointScore;
  if (!left || !right || left.score < min || right.score < min) return null;
  const width = Math.hypot(left.x - right.x, left.y - right.y);
  // A torso seen edge-on has no usable width to measure movement against.
  if (width < 0.02) return null;
  return { t, x: (left.x + right.x) / 2, y: (left.y + right.y) / 2, width };
}

/** Pose frames further apart than this are not "consecutive" for a movement rate. */
export const MAX_MOTION_GAP_MS = 2000;

/**
 * body.motion (rule 2.8.7): shoulder-centre displacement between consecutive pose frames, in
 * shoulder widths per second (frame fractions on both axes; the aspect ratio is not known here,
 * which only scales vertical movement a little).
 */
export function bodyMotion(previous: Shoulders | null, current: Shoulders | null, config: ProctoringConfig): Reading | null {
  if (!previous || !current) return null;
  const dt = current.t - previous.t;
  if (dt <= 0 || dt > MAX_MOTION_GAP_MS) return null;
  const width = (previous.width + current.width) / 2;
  const rate = Math.hypot(current.x - previous.x, current.y - previous.y) / width / (dt / 1000);
  if (rate <= config.body.motionPerSec) return NOT_HOLDING;
  return {
    holds: true,
    confidence: beyond(rate / config.body.motionPerSec),
    severity: rate,
    detail: { shoulderWidthsPerSec: round2(rate) },
  };
}

/** object.* (rule 12): the best detection of one class in the last object analysis. */
export function objectSeen(objects: ObjectSignal[], type: ObjectIncident, config: ProctoringConfig): Reading {
  let best = 0;
  for (const o of objects) if (o.type === type && o.score > best) best = o.score;
  if (best < config.objects.minScore) return NOT_HOLDING;
  return { holds: true, confidence: clamp01(best), severity: best, detail: { score: round2(best) } };
}

/** audio.speech (rule 2.8.1): the voice-activity detector, not the level; unknown while the VAD is not ready. */
export function audioSpeech(s: AudioSignals, config: ProctoringConfig): Reading | null {
  if (s.speechProbability === null) return null;
  if (s.speechProbability <= config.audio.speechProbability) return NOT_HOLDING;
  const p = s.speechProbability;
  return { holds: true, confidence: clamp01(p), severity: p, detail: { speechProbability: round2(p), levelDb: round1(s.levelDb) } };
}

/** Loudness 10 dB past the threshold makes a noise reading certain. */
const NOISE_CERTAIN_DB = 10;

/**
 * audio.noise (rule 2.8.1): a loud sound that is not speech (speech is loud too and has its own
 * incident). While the VAD is not ready every loud sound counts as noise: the level is all we know.
 */
export function audioNoise(s: AudioSignals, config: ProctoringConfig): Reading {
  const speech = s.speechProbability !== null && s.speechProbability > config.audio.speechProbability;
  if (speech || s.levelDb <= config.audio.noiseDbfs) return NOT_HOLDING;
  const over = s.levelDb - config.audio.noiseDbfs;
  return {
    holds: true,
    confidence: clamp01(0.5 + over / (2 * NOISE_CERTAIN_DB)),
    severity: s.levelDb,
    detail: { levelDb: round1(s.levelDb) },
  };
}

/** audio.muted (rule 2.8.1): quieter than any live microphone in a room; the quietest buffer is the worst. */
export function audioMuted(s: AudioSignals, config: ProctoringConfig): Reading {
  if (s.levelDb >= config.audio.mutedDbfs) return NOT_HOLDING;
  return { holds: true, confidence: 1, severity: -s.levelDb, detail: { levelDb: round1(s.levelDb) } };
}

/** An environment or device state (focus lost, camera lost...): certain when reported. */
/** face.mismatch (rule 2.8.6): the centre found the face below its threshold; the least similar check is the worst. */
export function identityMismatch(check: { matched: boolean; similarity: number; threshold: number }): Reading {
  if (check.matched) return NOT_HOLDING;
  return {
    holds: true,
    confidence: 1,
    severity: -check.similarity,
    detail: { similarity: Math.round(check.similarity * 1000) / 1000, threshold: check.threshold },
  };
}

export function stateReading(holds: boolean, detail: Reading['detail'] = {}, severity = 0): Reading {
  return holds ? { holds: true, confidence: 1, severity, detail } : NOT_HOLDING;
}

/** tech.low_fps (rule 11): analysed frames per second over the sliding window; the slowest is the worst. */
export function lowFps(fps: number, config: ProctoringConfig): Reading {
  if (fps >= config.minAnalysedFps) return NOT_HOLDING;
  return { holds: true, confidence: 1, severity: -fps, detail: { fps: round1(fps) } };
}
