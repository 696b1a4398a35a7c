import { describe, expect, it } from 'vitest';
import { CANONICAL_FACE, headPoseFromLandmarks, MIN_LANDMARKS, rotationFromEuler, type LandmarkPoint } from './head-pose';
import type { HeadPose } from './signals';

/** A deterministic pseudo-random sequence (tests must not flicker). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A synthetic 468-point mesh: the canonical face rotated by `pose`, scaled to pixels (~20 px per
 * cm, a face ~300 px tall) and moved into a 640x480 frame. Unused mesh points stay at the origin.
 */
function syntheticMesh(
  pose: HeadPose,
  options: { depth?: boolean; noisePx?: number; scale?: number; at?: [number, number] } = {},
): LandmarkPoint[] {
  const r = rotationFromEuler(pose);
  const scale = options.scale ?? 20;
  const [tx, ty] = options.at ?? [320, 240];
  const noise = rng(42);
  const jitter = () => (options.noisePx ? (noise() * 2 - 1) * options.noisePx : 0);
  const points: LandmarkPoint[] = Array.from({ length: 468 }, () => ({ x: 0, y: 0, z: 0 }));
  for (const [index, [x, y, z]] of CANONICAL_FACE) {
    const rx = r[0][0] * x + r[0][1] * y + r[0][2] * z;
    const ry = r[1][0] * x + r[1][1] * y + r[1][2] * z;
    const rz = r[2][0] * x + r[2][1] * y + r[2][2] * z;
    const p: LandmarkPoint = { x: tx + scale * rx + jitter(), y: ty + scale * ry + jitter() };
    if (options.depth !== false) p.z = scale * rz + jitter();
    points[index] = p;
  }
  return points;
}

const near = (actual: HeadPose, expected: HeadPose, tolerance: number) => {
  expect(Math.abs(actual.yawDeg - expected.yawDeg), `yaw ${actual.yawDeg} vs ${expected.yawDeg}`).toBeLessThan(tolerance);
  expect(Math.abs(actual.pitchDeg - expected.pitchDeg), `pitch ${actual.pitchDeg} vs ${expected.pitchDeg}`).toBeLessThan(tolerance);
  expect(Math.abs(actual.rollDeg - expected.rollDeg), `roll ${actual.rollDeg} vs ${expected.rollDeg}`).toBeLessThan(tolerance);
};

const pose = (yawDeg: number, pitchDeg: number, rollDeg: number): HeadPose => ({ yawDeg, pitchDeg, rollDeg });

describe('headPoseFromLandmarks', () => {
  it('reads a face looking straight into the camera as 0/0/0, with and without depth', () => {
    near(headPoseFromLandmarks(syntheticMesh(pose(0, 0, 0))), pose(0, 0, 0), 1e-6);
    near(headPoseFromLandmarks(syntheticMesh(pose(0, 0, 0), { depth: false })), pose(0, 0, 0), 1e-6);
  });

  it('recovers yaw, pitch and roll of rotated faces (3-D landmarks)', () => {
    for (const yaw of [-60, -30, -10, 0, 15, 45])
      for (const pitch of [-40, -20, 0, 10, 30, 50])
        for (const roll of [-35, 0, 20]) near(headPoseFromLandmarks(syntheticMesh(pose(yaw, pitch, roll))), pose(yaw, pitch, roll), 1e-3);
  });

  it('recovers the pose from 2-D landmarks alone (no z)', () => {
    for (const yaw of [-45, -15, 0, 30])
      for (const pitch of [-30, 0, 25, 40])
        for (const roll of [-20, 0, 30])
          near(headPoseFromLandmarks(syntheticMesh(pose(yaw, pitch, roll), { depth: false })), pose(yaw, pitch, roll), 1e-3);
  });

  it('does not depend on where the face is or how big it is', () => {
    const p = pose(20, 30, -10);
    near(headPoseFromLandmarks(syntheticMesh(p, { scale: 5, at: [40, 60] })), p, 1e-3);
    near(headPoseFromLandmarks(syntheticMesh(p, { scale: 60, at: [600, 400] })), p, 1e-3);
  });

  it('stays within a few degrees with landmark noise of ~1% of the face size', () => {
    for (const p of [pose(0, 0, 0), pose(0, 30, 0), pose(25, -15, 10)]) {
      near(headPoseFromLandmarks(syntheticMesh(p, { noisePx: 3 })), p, 3);
      near(headPoseFromLandmarks(syntheticMesh(p, { noisePx: 3, depth: false })), p, 4);
    }
  });

  it('signs follow the image axes: positive yaw turns to the image right, positive pitch looks down, positive roll is clockwise', () => {
    // Independent of the rotation code: what the synthetic images look like.
    const frontal = syntheticMesh(pose(0, 0, 0));
    const nose = (m: LandmarkPoint[]) => m[4]!;
    const eyesMid = (m: LandmarkPoint[]) => ({ x: (m[33]!.x + m[263]!.x) / 2, y: (m[33]!.y + m[263]!.y) / 2 });
    const turnedRight = syntheticMesh(pose(25, 0, 0));
    expect(nose(turnedRight).x - eyesMid(turnedRight).x).toBeGreaterThan(nose(frontal).x - eyesMid(frontal).x + 1);
    const lookingDown = syntheticMesh(pose(0, 30, 0));
    // Looking down the nose tip drops towards the mouth and the forehead fills more of the face.
    expect(nose(lookingDown).y - eyesMid(lookingDown).y).toBeGreaterThan(nose(frontal).y - eyesMid(frontal).y + 1);
    const tiltedClockwise = syntheticMesh(pose(0, 0, 20));
    expect(tiltedClockwise[263]!.y).toBeGreaterThan(tiltedClockwise[33]!.y); // the image-right eye is lower

    expect(headPoseFromLandmarks(turnedRight).yawDeg).toBeCloseTo(25, 6);
    expect(headPoseFromLandmarks(lookingDown).pitchDeg).toBeCloseTo(30, 6);
    expect(headPoseFromLandmarks(tiltedClockwise).rollDeg).toBeCloseTo(20, 6);
  });

  it('keeps yaw and pitch free of roll: a tilted head looking down still reads as looking down', () => {
    const p = headPoseFromLandmarks(syntheticMesh(pose(0, 30, -30)));
    expect(p.pitchDeg).toBeCloseTo(30, 4);
    expect(Math.abs(p.yawDeg)).toBeLessThan(1e-4);
  });

  it('refuses fewer points than the face mesh has', () => {
    expect(() => headPoseFromLandmarks(syntheticMesh(pose(0, 0, 0)).slice(0, MIN_LANDMARKS - 1))).toThrow(RangeError);
  });
});
