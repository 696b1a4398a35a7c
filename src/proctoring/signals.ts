/**
 * What the detectors hand to the pure proctoring logic: plain numbers, no tensors, no DOM.
 * The vision worker produces one FrameSignals per analysed frame; the audio path one
 * AudioSignals per buffer; the browser-environment watchers EnvSignal on each change.
 * Times `t` are ms since the epoch (Date.now() when the frame or buffer was captured).
 */
import type { ObjectIncident } from '../shared/incidents';

/** A box in frame fractions (0..1), so it does not depend on the camera resolution. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** BlazeFace's six keypoints, in this order; right and left are the person's own (on an unmirrored image, right is image-left). */
export const FACE_KEYPOINTS = ['rightEye', 'leftEye', 'noseTip', 'mouth', 'rightEar', 'leftEar'] as const;

export interface FaceSignal {
  box: Box;
  score: number;
  /** The face detector's six keypoints (FACE_KEYPOINTS order) in frame fractions; absent where a detector gives none. */
  keypoints?: Array<{ x: number; y: number }>;
}

export interface HeadPose {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /**
   * 'keypoints': the face mesh gave no pose (a face in profile), so yaw was estimated from the face detector's
   * keypoints (face-keypoints-yaw.ts) and pitch and roll are unknown (0). Absent: the face mesh's pose.
   */
  from?: 'keypoints';
}

/** Pitch as measured: none when the yaw came from the face detector's keypoints (the mesh could not fit the face). */
export const pitchOf = (head: HeadPose | null): number | null => (head && head.from !== 'keypoints' ? head.pitchDeg : null);

/** One body keypoint in frame fractions, with the model's score (MoveNet's 17 COCO keypoints). */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

export interface ObjectSignal {
  type: ObjectIncident;
  score: number;
  box: Box;
}

export interface FrameSignals {
  t: number;
  /** Faces found by the detector (score above the programme's minimum). */
  faces: FaceSignal[];
  /** Head pose of the main face from its landmarks; null when no face or landmarks were not run. */
  head: HeadPose | null;
  /** Pose keypoints; null when pose was not analysed on this frame (it runs every n-th frame). */
  pose: Keypoint[] | null;
  /** Forbidden objects; null when objects were not analysed on this frame (every 1-2 s). */
  objects: ObjectSignal[] | null;
  /** Milliseconds each model took on this frame, and the whole frame. */
  ms: { total: number; faces?: number; landmarks?: number; pose?: number; objects?: number };
}

export interface AudioSignals {
  t: number;
  /** RMS level of the buffer, dBFS (-100 for digital silence). */
  levelDb: number;
  /** Voice-activity probability 0..1 from the VAD; null while the VAD is not ready. */
  speechProbability: number | null;
  /** Milliseconds spent on this buffer (level + features + VAD). */
  ms: number;
}

/** A change in the browser environment or a device, from the screen and device watchers. */
export type EnvSignal =
  | { t: number; kind: 'focus'; on: boolean }
  | { t: number; kind: 'tab_visible'; on: boolean }
  | { t: number; kind: 'fullscreen'; on: boolean }
  | { t: number; kind: 'screens'; count: number }
  | { t: number; kind: 'virtual_camera'; label: string }
  | { t: number; kind: 'clipboard'; action: 'copy' | 'cut' | 'paste' }
  | { t: number; kind: 'camera'; on: boolean }
  | { t: number; kind: 'microphone'; on: boolean }
  | { t: number; kind: 'network'; online: boolean }
  | { t: number; kind: 'model_failed'; model: string; message: string };

/** One analysed moment as `npm run eval` reports it (DESIGN §7): a frame's (faces...) or a buffer's (speech, level) readings. */
export interface ProctoringSample {
  t: number;
  faces: number | null;
  yawDeg: number | null;
  pitchDeg: number | null;
  speech: number | null;
  levelDb: number | null;
  objects: string[] | null;
}
