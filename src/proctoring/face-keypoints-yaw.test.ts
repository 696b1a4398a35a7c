/** Yaw from the face detector's keypoints (face-keypoints-yaw.ts): geometry, then real frames against the face mesh. */
import { describe, expect, it } from 'vitest';
import { headPoseOrKeypoints, TAN_FACTOR, yawFromKeypoints } from './face-keypoints-yaw';
import { CANONICAL_FACE } from './head-pose';
import type { FaceSignal } from './signals';

/** The canonical face's eyes, nose tip, mouth and tragions turned by `yawDeg`, projected (weak perspective) into a 640x480 frame. */
function turnedFace(yawDeg: number): NonNullable<FaceSignal['keypoints']> {
  const y = (yawDeg * Math.PI) / 180;
  // Mesh indices: eye centres ≈ between the corners, nose tip 1, mouth ≈ 13 (between 61 and 291), tragions 234/454.
  const mean = (a: number, b: number) => CANONICAL_FACE.get(a)!.map((v, i) => (v + CANONICAL_FACE.get(b)![i]!) / 2);
  const points = [
    mean(33, 133),
    mean(362, 263),
    [...CANONICAL_FACE.get(1)!],
    mean(61, 291),
    [...CANONICAL_FACE.get(234)!],
    [...CANONICAL_FACE.get(454)!],
  ];
  // Image axes: x right, z away from the camera; a yaw towards the image's right brings the nose (z < 0) to x > 0.
  return points.map(([px, py, pz]) => {
    const x = px! * Math.cos(y) - pz! * Math.sin(y);
    return { x: (320 + 12 * x) / 640, y: (240 + 12 * py!) / 480 };
  });
}

describe('yaw from the face detector keypoints', () => {
  it('recovers the yaw of the canonical face, all the way to a full profile', () => {
    for (const yaw of [-85, -60, -30, -10, 0, 10, 30, 60, 80, 88]) {
      expect(yawFromKeypoints(turnedFace(yaw), 640 / 480), `${yaw}°`).toBeCloseTo(yaw, 0);
    }
    expect(TAN_FACTOR).toBeCloseTo(1.295, 3);
  });

  it('gives no yaw without keypoints, and keeps the mesh pose when there is one', () => {
    expect(yawFromKeypoints(undefined, 4 / 3)).toBeNull();
    expect(yawFromKeypoints([{ x: 0.5, y: 0.5 }], 4 / 3)).toBeNull();
    const face: FaceSignal = { box: { x: 0.3, y: 0.2, w: 0.4, h: 0.5 }, score: 0.9, keypoints: turnedFace(80) };
    const mesh = { yawDeg: 5, pitchDeg: 3, rollDeg: 1 };
    expect(headPoseOrKeypoints(mesh, [face], 4 / 3)).toBe(mesh);
    const fallback = headPoseOrKeypoints(null, [face], 4 / 3)!;
    expect(fallback.from).toBe('keypoints');
    expect(fallback.yawDeg).toBeCloseTo(80, 0);
    expect([fallback.pitchDeg, fallback.rollDeg]).toEqual([0, 0]);
    expect(headPoseOrKeypoints(null, [], 4 / 3)).toBeNull();
    expect(headPoseOrKeypoints(null, [{ box: face.box, score: 0.9 }], 4 / 3)).toBeNull();
  });
});
