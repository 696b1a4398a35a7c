/**
 * The browser side of identity (rule 2.8.6): the camera analysis the devices step started (the
 * proctoring engine's vision worker) finds the face and follows the head turn; the decision is the
 * centre's (src/server/identity-service.ts), from photos it analyses itself: the browser
 * sends three photos, looking at the camera and at each extreme of the turn, and gets back only
 * matched or not. The reference photo and its descriptor never come to a browser.
 *
 * Before the exam: captureIdentity() waits for one face looking at the camera (the photo of the
 * frame it was found in), then follows the head turns: every analysed frame comes from the vision
 * worker with its yaw and a JPEG of itself, and the frames of the most negative and the most
 * positive yaw are kept (identity-photos.ts), so the centre reads the same turn from the photos;
 * every DESCRIBE_EVERY_MS the turned face is compared with the frontal one, through the pure
 * liveness reducer (src/proctoring/liveness.ts), which only guides the candidate. verifyIdentity()
 * sends the three photos (and the reducer's summary, advisory).
 * During the exam: the engine calls checkIdentity() every identityCheckSec (the candidate runtime
 * registers it) with the photo of the frame it found one face in.
 */
import type { AssistantIdentityResult } from '../shared/assistant-identity';
import { cosineSimilarity } from '../shared/identity';
import type { IdentityCheckResult, IdentityResult, LivenessReport } from '../shared/protocol';
import {
  INITIAL_LIVENESS,
  LIVENESS,
  livenessProgress,
  livenessPrompt,
  livenessReport,
  livenessStep,
  type LivenessFailure,
  type LivenessPrompt,
  type LivenessState,
} from '../proctoring/liveness';
import { neutralPose } from '../proctoring/head-baseline';
import type { HeadPose } from '../proctoring/signals';
import { IDENTITY_PHOTO } from '../workers/vision-protocol';
import { keepTurnPhotos, NO_TURN_PHOTOS, type TurnPhotos } from './identity-photos';
import { rememberBaseline } from './head-baseline-memory';
import type { CandidateCore } from './runtime-parts';
import { examStore } from '../stores/exam-store';

/** After the frontal face is found, the neutral pose is collected at most this much longer (its first frames usually suffice). */
const BASELINE_WAIT_MS = 1500;
/** While the head turns, the turned face is described this often and compared with the frontal one. */
export const DESCRIBE_EVERY_MS = 600;
/** Waiting for one face looking at the camera gives up after this long. */
export const FIND_FACE_MS = 20_000;
/** After the turn passed, the camera is followed this much longer, so the photos catch the turn's true extremes. */
export const EXTREME_HOLD_MS = 700;

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
export type CaptureOutcome =
  { ok: true; capture: IdentityCapture } | { ok: false; failure: CaptureFailure; capture: IdentityCapture | null };

export interface CaptureProgress {
  prompt: LivenessPrompt;
  /** 0..1 */
  progress: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bytesOf = async (blob: Blob): Promise<Uint8Array> => new Uint8Array(await blob.arrayBuffer());

/** Rule 11: the assistant alone in front of the camera: the photo of the frame one face was found in, or why not. */
export type AssistantCapture = { ok: true; jpeg: Uint8Array } | { ok: false; failure: 'no_face' | 'several_faces' | 'camera' };

export type IdentitySteps = ReturnType<typeof createIdentitySteps>;

/** The identity steps on the runtime's camera, engine and connection. */
export function createIdentitySteps(core: CandidateCore) {
  /** One still of the camera (the re-check's fallback when the analysed frame had no photo). */
  async function takePhoto(): Promise<Uint8Array | null> {
    const stream = core.camera.mediaStream;
    if (!stream) return null;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      // A muted inline video plays without a gesture; the frames are awaited below either way.
      await video.play().catch(() => undefined);
      for (let i = 0; i < 50 && (video.readyState < 2 || video.videoWidth === 0); i++) await sleep(50);
      if (video.videoWidth === 0) return null;
      const canvas = document.createElement('canvas');
      canvas.width = IDENTITY_PHOTO.width;
      canvas.height = Math.round((IDENTITY_PHOTO.width * video.videoHeight) / video.videoWidth);
      canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', IDENTITY_PHOTO.quality));
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
  async function captureIdentity(onProgress: (p: CaptureProgress) => void, signal?: AbortSignal): Promise<CaptureOutcome> {
    onProgress({ prompt: 'look', progress: 0 });
    // 1. One face, looking at the camera: the frontal photo is the very frame its descriptor was read from. The head
    //    poses seen meanwhile are the candidate's neutral pose (head-baseline.ts), judged against in the exam.
    const deadline = core.now() + FIND_FACE_MS;
    let frontal: { descriptor: Float32Array; photo: Blob | null } | null = null;
    let lastError = '';
    const neutral: Array<HeadPose | null> = [];
    const stopNeutral = core.engine.onFrame((s) => {
      if (s.faces.length === 1) neutral.push(s.head);
    });
    try {
      while (!frontal && core.now() < deadline && !signal?.aborted) {
        try {
          const r = await core.engine.describeFace();
          if (r.descriptor) frontal = { descriptor: r.descriptor, photo: r.photo };
          else lastError = r.faces > 1 ? 'several' : 'none';
        } catch {
          return { ok: false, failure: 'camera', capture: null };
        }
      }
      const waitUntil = core.now() + BASELINE_WAIT_MS;
      while (frontal && !neutralPose(neutral) && core.now() < waitUntil && !signal?.aborted) await sleep(100);
    } finally {
      stopNeutral();
    }
    const baseline = neutralPose(neutral);
    if (!frontal) return { ok: false, failure: lastError === 'several' ? 'several_faces' : 'no_face', capture: null };
    if (!frontal.photo) return { ok: false, failure: 'camera', capture: null };
    const frontalPhoto = await bytesOf(frontal.photo);

    // 2. The turns: every analysed frame's yaw, with a photo of that frame; the frames of the most negative
    //    and most positive yaw are kept (identity-photos.ts); now and then the turned face against the frontal one.
    // The programme's time for the turn (identityTurnSec), the rest of the liveness rules as they are.
    const turnSec = examStore.getState().snapshot?.proctoring.config.identityTurnSec ?? LIVENESS.maxDurationMs / 1000;
    const rules = { ...LIVENESS, maxDurationMs: turnSec * 1000 };
    let state: LivenessState = livenessStep(INITIAL_LIVENESS, { t: core.now(), faces: 1, yawDeg: null, similarity: 1 }, rules);
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
    let turn: TurnPhotos<Blob> = NO_TURN_PHOTOS;
    update(state);
    const unsubscribe = core.engine.onFrame(
      (s, photo) => {
        const yawDeg = s.head?.yawDeg ?? null;
        update(livenessStep(state, { t: s.t, faces: s.faces.length, yawDeg, similarity: null }, rules));
        turn = keepTurnPhotos(turn, { faces: s.faces.length, yawDeg, photo });
      },
      { photos: true },
    );
    try {
      while (!state.passed && !state.failure && !signal?.aborted) {
        await sleep(DESCRIBE_EVERY_MS);
        // A frame that could not be read counts as no face; the step's own time limit tells the candidate.
        const r = await core.engine.describeFace().catch(() => null);
        if (r?.descriptor)
          update(
            livenessStep(
              state,
              { t: core.now(), faces: 1, yawDeg: null, similarity: cosineSimilarity(frontal.descriptor, r.descriptor) },
              rules,
            ),
          );
        else if (r && r.faces > 1) update(livenessStep(state, { t: core.now(), faces: r.faces, yawDeg: null, similarity: null }, rules));
      }
      if (state.passed && !signal?.aborted) await sleep(EXTREME_HOLD_MS);
    } finally {
      unsubscribe();
    }
    if (signal?.aborted) return { ok: false, failure: 'timeout', capture: null };
    // A side never photographed is sent as the frontal photo: the centre then sees no turn and counts a failed try.
    const [left, right] = await Promise.all([
      turn.min ? bytesOf(turn.min.photo) : frontalPhoto,
      turn.max ? bytesOf(turn.max.photo) : frontalPhoto,
    ]);
    const capture = { liveness: livenessReport(state), frontal: frontalPhoto, left, right };
    if (!state.passed) return { ok: false, failure: state.failure ?? 'timeout', capture };
    core.engine.setHeadBaseline(baseline);
    const sessionId = examStore.getState().snapshot?.sessionId;
    if (sessionId) rememberBaseline(core.storage, sessionId, baseline);
    return { ok: true, capture };
  }

  /** Sends one attempt to the centre; the snapshot it returns moves the page on when verified. */
  async function verifyIdentity(capture: IdentityCapture): Promise<IdentityResult> {
    const { result, snapshot } = await core.sendCommand('identity:verify', capture);
    core.applySnapshot(snapshot);
    return result;
  }

  /**
   * Re-verification during the exam (the engine calls it every identityCheckSec): the photo of the frame
   * the engine saw one face in (or, if that frame could not be encoded, a still of the camera) to the
   * centre, which describes, compares and logs it.
   */
  async function checkIdentity(framePhoto: Uint8Array | null): Promise<IdentityCheckResult> {
    const jpeg = framePhoto ?? (await takePhoto());
    if (!jpeg) throw new Error('no photo of the camera');
    return core.sendInBackground('identity:check', { jpeg });
  }

  async function captureAssistant(signal?: AbortSignal): Promise<AssistantCapture> {
    const deadline = core.now() + FIND_FACE_MS;
    let several = false;
    while (core.now() < deadline && !signal?.aborted) {
      // Failure shown: null is the 'camera' failure the candidate is told about.
      const r = await core.engine.describeFace().catch(() => null);
      if (!r) return { ok: false, failure: 'camera' };
      if (r.descriptor && r.photo) return { ok: true, jpeg: await bytesOf(r.photo) };
      several = r.faces > 1;
    }
    return { ok: false, failure: several ? 'several_faces' : 'no_face' };
  }

  /**
   * Sends the assistant's photo; the centre decides (src/server/assistant-identity.ts) and its snapshot moves the page on when
   * accepted.
   */
  async function identifyAssistant(jpeg: Uint8Array): Promise<AssistantIdentityResult> {
    const { result, snapshot } = await core.sendCommand('identity:assistant', { jpeg });
    core.applySnapshot(snapshot);
    return result;
  }

  return { captureIdentity, verifyIdentity, checkIdentity, captureAssistant, identifyAssistant };
}
