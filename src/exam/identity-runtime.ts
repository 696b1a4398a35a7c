/**
 * The browser side of identity (rule 2.8.6): the live face's descriptor and the liveness check
 * run on the proctoring engine's vision worker (the camera analysis the devices step started);
 * the comparison happens at the centre (src/server/identity-service.ts), which never sends the
 * reference photo or its descriptor to a browser.
 *
 * Before the exam: captureIdentity() waits for one face looking at the camera (its descriptor and
 * a photo for the record), then follows the head turns (yaw of every analysed frame) and, every
 * DESCRIBE_EVERY_MS, the descriptor of the turned face against the frontal one, through the pure
 * liveness reducer (src/proctoring/liveness.ts); verifyIdentity() sends the result.
 * During the exam: the engine calls checkIdentity() every identityCheckSec (registered below).
 */
import { cosineSimilarity } from '../shared/identity';
import type { IdentityResult, LivenessReport } from '../shared/protocol';
import {
  INITIAL_LIVENESS, livenessProgress, livenessPrompt, livenessReport, livenessStep, type LivenessFailure, type LivenessPrompt, type LivenessState,
} from '../proctoring/liveness';
import { applyExamSnapshot, camera, engine, sendCommand, sendInBackground } from './exam-runtime';

/** While the head turns, the turned face is described this often and compared with the frontal one. */
export const DESCRIBE_EVERY_MS = 600;
/** Waiting for one face looking at the camera gives up after this long. */
export const FIND_FACE_MS = 20_000;
/** The photo kept for the record: width (height follows) and JPEG quality; the centre accepts up to 96 KB. */
const PHOTO_WIDTH = 320;
const PHOTO_QUALITY = 0.8;

export interface IdentityCapture {
  descriptor: Float32Array;
  liveness: LivenessReport;
  jpeg: Uint8Array;
}

export type CaptureFailure = LivenessFailure | 'no_face' | 'camera';
/**
 * A failed liveness still carries the capture (its report says passed: false): it is sent too, so
 * the centre logs the try (a photo held up is something the proctor should know about) and counts it.
 */
export type CaptureOutcome = { ok: true; capture: IdentityCapture } | { ok: false; failure: CaptureFailure; capture: IdentityCapture | null };

export interface CaptureProgress {
  prompt: LivenessPrompt;
  /** 0..1 */
  progress: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A still of the camera for the record (what the proctor and reviewer see next to the log entry). */
async function takePhoto(): Promise<Uint8Array | null> {
  const stream = camera.mediaStream;
  if (!stream) return null;
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play().catch(() => undefined);
    for (let i = 0; i < 50 && (video.readyState < 2 || video.videoWidth === 0); i++) await sleep(50);
    if (video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = PHOTO_WIDTH;
    canvas.height = Math.round((PHOTO_WIDTH * video.videoHeight) / video.videoWidth);
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

/**
 * One identity attempt on the live camera: frontal face, then the turns. `onProgress` is called
 * when the prompt or the progress changes (not per frame). `signal` aborts (the step was left).
 */
export async function captureIdentity(onProgress: (p: CaptureProgress) => void, signal?: AbortSignal): Promise<CaptureOutcome> {
  onProgress({ prompt: 'look', progress: 0 });
  // 1. One face, looking at the camera: the descriptor sent to the centre and the photo for the record.
  const deadline = Date.now() + FIND_FACE_MS;
  let frontal: Float32Array | null = null;
  let lastError = '';
  while (!frontal && Date.now() < deadline && !signal?.aborted) {
    try {
      const r = await engine.describeFace();
      if (r.descriptor) frontal = r.descriptor;
      else lastError = r.faces > 1 ? 'several' : 'none';
    } catch {
      return { ok: false, failure: 'camera', capture: null };
    }
  }
  if (!frontal) return { ok: false, failure: lastError === 'several' ? 'several_faces' : 'no_face', capture: null };
  const jpeg = await takePhoto();
  if (!jpeg) return { ok: false, failure: 'camera', capture: null };

  // 2. The turns: every analysed frame's yaw, and now and then the turned face against the frontal one.
  let state: LivenessState = livenessStep(INITIAL_LIVENESS, { t: Date.now(), faces: 1, yawDeg: null, similarity: 1 });
  let shown = '';
  const update = (next: LivenessState) => {
    state = next;
    const p = { prompt: livenessPrompt(state), progress: livenessProgress(state) };
    const key = `${p.prompt}:${p.progress}`;
    if (key !== shown) {
      shown = key;
      onProgress(p);
    }
  };
  update(state);
  const unsubscribe = engine.onFrame((s) => update(livenessStep(state, { t: s.t, faces: s.faces.length, yawDeg: s.head?.yawDeg ?? null, similarity: null })));
  try {
    while (!state.passed && !state.failure && !signal?.aborted) {
      await sleep(DESCRIBE_EVERY_MS);
      const r = await engine.describeFace().catch(() => null);
      if (r?.descriptor) update(livenessStep(state, { t: Date.now(), faces: 1, yawDeg: null, similarity: cosineSimilarity(frontal, r.descriptor) }));
      else if (r && r.faces > 1) update(livenessStep(state, { t: Date.now(), faces: r.faces, yawDeg: null, similarity: null }));
    }
  } finally {
    unsubscribe();
  }
  const capture = { descriptor: frontal, liveness: livenessReport(state), jpeg };
  if (signal?.aborted) return { ok: false, failure: 'timeout', capture: null };
  if (!state.passed) return { ok: false, failure: state.failure ?? 'timeout', capture };
  return { ok: true, capture };
}

/** Sends one attempt to the centre; the snapshot it returns moves the page on when verified. */
export async function verifyIdentity(capture: IdentityCapture): Promise<IdentityResult> {
  const { result, snapshot } = await sendCommand('identity:verify', {
    descriptor: Array.from(capture.descriptor),
    liveness: capture.liveness,
    jpeg: capture.jpeg,
  });
  applyExamSnapshot(snapshot);
  return result;
}

/** Re-verification during the exam (the engine calls it every identityCheckSec): the centre compares and logs. */
export function checkIdentity(descriptor: Float32Array): Promise<IdentityResult> {
  return sendInBackground('identity:check', { descriptor: Array.from(descriptor) });
}

engine.setIdentityCheck(checkIdentity);
