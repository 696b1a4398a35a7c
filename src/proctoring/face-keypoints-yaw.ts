/**
 * Head yaw from the face detector's six keypoints (pure), for the faces whose pose the face mesh cannot give:
 * a face in full profile is still found by BlazeFace, but the mesh (whose own detector loses it) returns no pose,
 * and without a pose head.away could never open.
 *
 * Model: the head turns about a vertical axis. On MediaPipe's canonical face (the model head-pose.ts fits) the
 * ear tragions sit 7.7 cm either side of that axis and 2.4 cm behind it, the nose tip 7.5 cm in front. Turned by
 * yaw, in the image the nose lies at 7.5·sin(yaw), the tragions' midpoint at −2.4·sin(yaw) and their half-span is
 * 7.7·cos(yaw), so
 *   (nose − ear midpoint) / half-span = (9.9 / 7.7)·tan(yaw)  →  yaw = atan(ratio / 1.29).
 * In full profile the half-span shrinks towards 0 and the ratio grows without bound: the yaw tends to ±90°.
 * Measured against the face mesh on 42 faces of four clips (src/detectors/face-landmarks.test.ts): correlation 0.97,
 * and never beyond 25° on a face the labels call frontal (the yaw limit is 30°).
 */
import type { FaceSignal, HeadPose } from './signals';

/** (nose − tragions' midpoint) / tragions' half-span = TAN_FACTOR · tan(yaw), from the canonical face (see above). */
export const TAN_FACTOR = (7.48 + 2.44) / 7.66;

const DEG = 180 / Math.PI;

/**
 * Yaw in degrees (head-pose.ts convention: > 0 turned towards the image's right edge) of a face from its keypoints in
 * frame fractions, `aspect` = frame width / height (keypoints are fractions of each side); null when there are none.
 */
export function yawFromKeypoints(keypoints: FaceSignal['keypoints'], aspect: number): number | null {
  if (!keypoints || keypoints.length < 6) return null;
  const [, , nose, , rightEar, leftEar] = keypoints as [unknown, unknown, { x: number }, unknown, { x: number }, { x: number }];
  const x = (p: { x: number }) => p.x * aspect;
  const mid = (x(rightEar) + x(leftEar)) / 2;
  const half = Math.abs(x(leftEar) - x(rightEar)) / 2;
  const offset = x(nose) - mid;
  if (![mid, half, offset].every(Number.isFinite)) return null;
  return Math.atan2(offset, half * TAN_FACTOR) * DEG;
}

/**
 * The head pose the proctoring logic judges: the mesh's when it gave one; otherwise, when the detector sees a face,
 * its yaw from the keypoints of the first (best) face, pitch and roll unknown (0), marked from: 'keypoints'.
 */
export function headPoseOrKeypoints(mesh: HeadPose | null, faces: readonly FaceSignal[], aspect: number): HeadPose | null {
  if (mesh) return mesh;
  const yaw = yawFromKeypoints(faces[0]?.keypoints, aspect);
  return yaw === null ? null : { yawDeg: yaw, pitchDeg: 0, rollDeg: 0, from: 'keypoints' };
}
