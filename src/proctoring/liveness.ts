/**
 * Liveness for the identity step (rule 2.8.6): a printed photo or a still picture held up to the
 * camera must not pass. The candidate is asked to turn the head to the left, then to the right;
 * the face mesh's yaw (src/proctoring/head-pose.ts) must reach both sides of the camera axis with
 * one face in view throughout, and the turned face must stay the same person as the frontal one
 * (its descriptor's similarity to the first frontal descriptor of the attempt). A still photo shows
 * one fixed yaw and fails. Pure: samples in, state out; the clock is the samples' `t`.
 *
 * Yaw sign (head-pose.ts): > 0 the face turns towards the image's right edge, which on an
 * unmirrored camera image is the candidate's own left. The sides are absolute (camera axis), not
 * relative to the first frame: the face mesh reads a frontal face at ~+14° on the fixtures
 * (reference.jpg's person and the woman of scenario.mjpeg alike), so "left" may already be met
 * when the candidate looks straight at the camera; "right" then still needs a real turn of
 * ~25°, and a swing of LIVENESS.minSwingDeg between the extremes is required as well. The
 * order of the two turns does not matter for the verdict (a candidate who turns right first is
 * no less alive); the prompts follow left, then right.
 */
import { LIVENESS_TURN, SAME_FACE_THRESHOLD, turnsPass } from '../shared/identity';
import type { LivenessReport } from '../shared/protocol';

export const LIVENESS = {
  /** Each side: yaw at least sideDeg from the camera axis; largest minus smallest yaw at least minSwingDeg (shared/identity.ts). */
  ...LIVENESS_TURN,
  /**
   * Frames without a face spanning longer than this end the attempt (the face must be tracked
   * throughout). Measured from the first frame that missed it, not from the last that saw it: on a
   * slow laptop analysed frames can come more than this apart, and one miss after such a wait is
   * not yet a face that left.
   */
  maxGapMs: 1500,
  /** An attempt that has not passed after this long fails (the candidate may try again). */
  maxDurationMs: 30_000,
} as const;

export type LivenessOptions = { readonly [K in keyof typeof LIVENESS]: number };

export interface LivenessSample {
  /** ms (any origin; only differences count). */
  t: number;
  faces: number;
  /** Head yaw of the one face, degrees; null when the mesh did not fit. */
  yawDeg: number | null;
  /** Cosine similarity of this frame's descriptor to the attempt's first frontal one; null = not computed on this frame. */
  similarity: number | null;
}

export type LivenessFailure = 'several_faces' | 'face_changed' | 'face_lost' | 'timeout';
export type LivenessPrompt = 'look' | 'left' | 'right' | 'done';

export interface LivenessState {
  startedAt: number | null;
  lastFaceAt: number | null;
  /** The first frame without a face since the face was last seen; null while it is in view. */
  missSince: number | null;
  lastT: number | null;
  yawMin: number | null;
  yawMax: number | null;
  left: boolean;
  right: boolean;
  passed: boolean;
  failure: LivenessFailure | null;
}

export const INITIAL_LIVENESS: LivenessState = {
  startedAt: null,
  lastFaceAt: null,
  missSince: null,
  lastT: null,
  yawMin: null,
  yawMax: null,
  left: false,
  right: false,
  passed: false,
  failure: null,
};

/** The state after one more sample. A finished attempt (passed or failed) does not change. */
export function livenessStep(state: LivenessState, sample: LivenessSample, options: LivenessOptions = LIVENESS): LivenessState {
  if (state.passed || state.failure) return state;
  const { t } = sample;
  const fail = (failure: LivenessFailure): LivenessState => ({ ...state, lastT: t, failure });
  if (sample.faces > 1) return fail('several_faces');
  if (sample.similarity !== null && sample.similarity < SAME_FACE_THRESHOLD) return fail('face_changed');
  const startedAt = state.startedAt ?? (sample.faces === 1 ? t : null);
  if (startedAt === null) return { ...state, lastT: t }; // waiting for the face
  if (t - startedAt > options.maxDurationMs) return fail('timeout');
  if (sample.faces === 0) {
    const missSince = state.missSince ?? t;
    return t - missSince > options.maxGapMs ? fail('face_lost') : { ...state, missSince, lastT: t };
  }
  const next: LivenessState = { ...state, startedAt, lastFaceAt: t, missSince: null, lastT: t };
  if (sample.yawDeg !== null && Number.isFinite(sample.yawDeg)) {
    next.yawMin = Math.min(state.yawMin ?? sample.yawDeg, sample.yawDeg);
    next.yawMax = Math.max(state.yawMax ?? sample.yawDeg, sample.yawDeg);
    next.left = state.left || sample.yawDeg >= options.sideDeg;
    next.right = state.right || sample.yawDeg <= -options.sideDeg;
  }
  next.passed = turnsPass(next.yawMin, next.yawMax, options);
  return next;
}

export { turnsPass };

/** What to ask the candidate now. */
export function livenessPrompt(state: LivenessState): LivenessPrompt {
  if (state.passed) return 'done';
  if (state.startedAt === null) return 'look';
  if (!state.left) return 'left';
  if (!state.right) return 'right';
  return 'done';
}

/** Progress 0..1 for the indicator: a face found, each side reached. */
export function livenessProgress(state: LivenessState): number {
  if (state.passed) return 1;
  return ((state.startedAt !== null ? 1 : 0) + (state.left ? 1 : 0) + (state.right ? 1 : 0)) / 4;
}

/** The report sent to the centre (identityVerifySchema.liveness). */
export function livenessReport(state: LivenessState): LivenessReport {
  const clampDeg = (v: number | null) => Math.max(-180, Math.min(180, Math.round((v ?? 0) * 10) / 10));
  return {
    passed: state.passed && state.failure === null,
    method: 'turn',
    yawMinDeg: clampDeg(state.yawMin),
    yawMaxDeg: clampDeg(state.yawMax),
    blinks: 0,
    durationMs:
      state.startedAt !== null && state.lastT !== null ? Math.max(0, Math.min(600_000, Math.round(state.lastT - state.startedAt))) : 0,
  };
}

/** Runs a whole sequence (tests, eval). */
export function assessLiveness(samples: readonly LivenessSample[], options: LivenessOptions = LIVENESS): LivenessState {
  return samples.reduce((s, sample) => livenessStep(s, sample, options), INITIAL_LIVENESS);
}
