/**
 * The browser side of identity (rule 2.8.6): the camera analysis the devices step started (the
 * proctoring engine's vision worker) finds the face and follows the head turn; the decision is the
 * centre's (src/server/identity-service.ts), from photos it analyses itself (issue 11): the browser
 * sends three photos, looking at the camera and at each extreme of the turn, and gets back only
 * matched or not. The reference photo and its descriptor never come to a browser.
 *
 * Before the exam: captureIdentity() waits for one face looking at the camera (a photo of it),
 * then follows the head turns (yaw of every analysed frame), takes a photo each time the turn
 * reaches a new extreme on either side, and, every DESCRIBE_EVERY_MS, compares the turned face
 * with the frontal one, through the pure liveness reducer (src/proctoring/liveness.ts), which only
 * guides the candidate; verifyIdentity() sends the photos (and the reducer's summary, advisory).
 * During the exam: the engine calls checkIdentity() every identityCheckSec (registered below),
 * which sends a photo of the camera.
 */
import { cosineSimilarity } from '../shared/identity';
import type { IdentityCheckResult, IdentityResult, LivenessReport } from '../shared/protocol';
import {
  INITIAL_LIVENESS, livenessProgress, livenessPrompt, livenessReport, livenessStep, type LivenessFailure, type LivenessPrompt, type LivenessState,
} from '../proctoring/liveness';
import { applyExamSnapshot, camera, engine, sendCommand, sendInBackground } from './exam-runtime';
import type { ExamSnapshot } from '../shared/protocol';

/** While the head turns, the turned face is described this often and compared with the frontal one. */
export const DESCRIBE_EVERY_MS = 600;
/** Waiting for one face looking at the camera gives up after this long. */
export const FIND_FACE_MS = 20_000;
/** After the turn passed, the camera is followed this much longer, so the photos catch the turn's true extremes. */
export const EXTREME_HOLD_MS = 700;
/** A new photo of a side once the yaw goes this much further than the last photo of it (degrees). */
const EXTREME_STEP_DEG = 1.5;
/** The photos: width (height follows) and JPEG quality; the centre accepts up to 96 KB each. */
const PHOTO_WIDTH = 320;
const PHOTO_QUALITY = 0.8;

export interface IdentityCapture {
  liveness: LivenessReport;
  frontal: Uint8Array;
  /** The photos at the most negative and the most positive yaw seen. */
  left: Uint8Array;
  right: Uint8Array;
}

export type CaptureFailure = LivenessFailure | 'no_face' | 'camera';
/**
 * A failed liveness still carries the capture (its report says passed: false): it is sent too, so
 * the centre judges and logs the try (a photo held up is something the proctor should know about) and counts it.
 */
export type CaptureOutcome = { ok: true; capture: IdentityCapture } | { ok: false; failure: CaptureFailure; capture: IdentityCapture | null };

export interface CaptureProgress {
  prompt: LivenessPrompt;
  /** 0..1 */
  progress: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stills of the camera, from one video element kept for the attempt (a photo then costs one draw and one encode). */
async function openCamera(): Promise<{ photo(): Promise<Uint8Array | null>; close(): void } | null> {
  const stream = camera.mediaStream;
  if (!stream) return null;
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  const close = () => {
    video.pause();
    video.srcObject = null;
  };
  await video.play().catch(() => undefined);
  for (let i = 0; i < 50 && (video.readyState < 2 || video.videoWidth === 0); i++) await sleep(50);
  if (video.videoWidth === 0) {
    close();
    return null;
  }
  const canvas = document.createElement('canvas');
  canvas.width = PHOTO_WIDTH;
  canvas.height = Math.round((PHOTO_WIDTH * video.videoHeight) / video.videoWidth);
  const photo = async () => {
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  };
  return { photo, close };
}

/** One still of the camera (the re-check during the exam). */
async function takePhoto(): Promise<Uint8Array | null> {
  const cam = await openCamera();
  if (!cam) return null;
  try {
    return await cam.photo();
  } finally {
    cam.close();
  }
}

/**
 * One identity attempt on the live camera: frontal face, then the turns. `onProgress` is called
 * when the prompt or the progress changes (not per frame). `signal` aborts (the step was left).
 */
export async function captureIdentity(onProgress: (p: CaptureProgress) => void, signal?: AbortSignal): Promise<CaptureOutcome> {
  onProgress({ prompt: 'look', progress: 0 });
  // 1. One face, looking at the camera: the frontal photo.
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
  const cam = await openCamera();
  const frontalPhoto = await cam?.photo();
  if (!cam || !frontalPhoto) {
    cam?.close();
    return { ok: false, failure: 'camera', capture: null };
  }

  // 2. The turns: every analysed frame's yaw, a photo at each new extreme, and now and then the turned face against the frontal one.
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
  const extremes: { min: { yaw: number; photo: Uint8Array } | null; max: { yaw: number; photo: Uint8Array } | null } = { min: null, max: null };
  let grabbing = false;
  const grab = (side: 'min' | 'max', yaw: number) => {
    grabbing = true;
    void cam
      .photo()
      .then((photo) => {
        const held = extremes[side];
        if (photo && (!held || (side === 'min' ? yaw < held.yaw : yaw > held.yaw))) extremes[side] = { yaw, photo };
      })
      .finally(() => (grabbing = false));
  };
  update(state);
  const unsubscribe = engine.onFrame((s) => {
    const yaw = s.head?.yawDeg ?? null;
    update(livenessStep(state, { t: s.t, faces: s.faces.length, yawDeg: yaw, similarity: null }));
    if (yaw === null || s.faces.length !== 1 || grabbing) return;
    if (!extremes.min || yaw < extremes.min.yaw - EXTREME_STEP_DEG) grab('min', yaw);
    else if (!extremes.max || yaw > extremes.max.yaw + EXTREME_STEP_DEG) grab('max', yaw);
  });
  try {
    while (!state.passed && !state.failure && !signal?.aborted) {
      await sleep(DESCRIBE_EVERY_MS);
      const r = await engine.describeFace().catch(() => null);
      if (r?.descriptor) update(livenessStep(state, { t: Date.now(), faces: 1, yawDeg: null, similarity: cosineSimilarity(frontal, r.descriptor) }));
      else if (r && r.faces > 1) update(livenessStep(state, { t: Date.now(), faces: r.faces, yawDeg: null, similarity: null }));
    }
    if (state.passed && !signal?.aborted) await sleep(EXTREME_HOLD_MS);
    for (let i = 0; i < 20 && grabbing; i++) await sleep(25);
  } finally {
    unsubscribe();
    cam.close();
  }
  if (signal?.aborted) return { ok: false, failure: 'timeout', capture: null };
  // A side never photographed is sent as the frontal photo: the centre then sees no turn and counts a failed try.
  const capture = { liveness: livenessReport(state), frontal: frontalPhoto, left: extremes.min?.photo ?? frontalPhoto, right: extremes.max?.photo ?? frontalPhoto };
  if (!state.passed) return { ok: false, failure: state.failure ?? 'timeout', capture };
  return { ok: true, capture };
}

/** Sends one attempt to the centre; the snapshot it returns moves the page on when verified. */
export async function verifyIdentity(capture: IdentityCapture): Promise<IdentityResult> {
  const { result, snapshot } = await sendCommand<{ result: IdentityResult; snapshot: ExamSnapshot }>('identity:verify', capture);
  applyExamSnapshot(snapshot);
  return result;
}

/** Re-verification during the exam (the engine calls it every identityCheckSec): a photo to the centre, which compares and logs. */
export async function checkIdentity(): Promise<IdentityCheckResult> {
  const jpeg = await takePhoto();
  if (!jpeg) throw new Error('no photo of the camera');
  return sendInBackground<IdentityCheckResult>('identity:check', { jpeg });
}

engine.setIdentityCheck(checkIdentity);
