/**
 * Head pose from the 468 MediaPipe face-mesh landmarks (pure: no tfjs, no DOM).
 *
 * The landmarks of rigid parts of the face (eye corners, nose, forehead, cheekbones, face sides,
 * chin, mouth corners) are aligned with the same points of MediaPipe's canonical face model:
 * - with depth (z given, the face-mesh case): the best rotation between the two 3-D point sets
 *   (Horn's quaternion method, least squares, scale and position removed);
 * - without depth: an affine (weak-perspective) camera fitted by least squares, its two rows
 *   orthonormalised into a rotation.
 *
 * Sign convention: image axes, x to the right, y down, z away from the camera (depth).
 * 0/0/0 is a face looking straight into the camera, upright.
 * - yawDeg   > 0: the face turns towards the image's right edge (on an unmirrored camera image,
 *                 the candidate's own left); < 0 towards the left edge.
 * - pitchDeg > 0: the face turns down (chin to chest, looking at the desk or a phone); < 0 up.
 * - rollDeg  > 0: the head tilts clockwise as seen in the image; < 0 anticlockwise.
 * The rotation is R = Ry(yaw) · Rx(pitch) · Rz(roll), so yaw and pitch are the direction the
 * face points in (independent of roll) and roll is the tilt about that direction.
 *
 * Measured with the tfjs face mesh on the fixtures (src/detectors/face-landmarks.test.ts): the
 * frontal face of scenario.mjpeg (0-15 s, 45-60 s) reads pitch 12..15° and yaw 13..16° (the
 * woman holds her head slightly down and turned), the labelled "looking down at a phone" face
 * (35-45 s) pitch 21..25°, yaw -14..-19°, roll -26..-28°. The face mesh understates large
 * rotations (a visibly steeper look down reads ~24°), so limits must be set from such data.
 */
import type { HeadPose } from './signals';

export interface LandmarkPoint {
  x: number;
  y: number;
  z?: number;
}

type Vec3 = [number, number, number];
type Mat3 = [Vec3, Vec3, Vec3];

/**
 * Canonical face (MediaPipe face_geometry canonical_face_model.obj, Apache-2.0), centimetres,
 * for the landmarks used here: [mesh index, x, y, z] with y up and z towards the viewer.
 */
const CANONICAL: ReadonlyArray<readonly [number, number, number, number]> = [
  [33, -4.45, 2.66, 3.17],
  [133, -1.86, 2.59, 3.76],
  [362, 1.86, 2.59, 3.76],
  [263, 4.45, 2.66, 3.17], // eye corners
  [1, 0, -1.13, 7.48],
  [4, 0, -0.46, 7.59],
  [5, 0, 0.37, 7.24],
  [6, 0, 2.47, 5.79],
  [168, 0, 3.27, 5.24], // nose ridge
  [197, 0, 1.73, 6.32],
  [195, 0, 1.06, 6.77],
  [48, -1.61, -0.94, 5.81],
  [278, 1.61, -0.94, 5.81],
  [98, -1.41, -1.71, 5.24],
  [327, 1.41, -1.71, 5.24], // nostrils
  [10, 0, 8.26, 4.48],
  [151, 0, 6.55, 5.03],
  [9, 0, 4.89, 5.39],
  [108, -1.62, 6.6, 4.92],
  [337, 1.62, 6.6, 4.92], // forehead
  [116, -6.47, 0.94, 1.69],
  [345, 6.47, 0.94, 1.69],
  [123, -6.34, -0.53, 1.88],
  [352, 6.34, -0.53, 1.88], // cheekbones
  [234, -7.66, 0.67, -2.44],
  [454, 7.66, 0.67, -2.44],
  [127, -7.74, 2.36, -2.01],
  [356, 7.74, 2.36, -2.01], // face sides
  [152, 0, -9.4, 4.26],
  [61, -2.46, -4.34, 4.28],
  [291, 2.46, -4.34, 4.28], // chin, mouth corners
];

/** The canonical face in image axes (x right, y down, z away from the camera), by mesh index. */
export const CANONICAL_FACE: ReadonlyMap<number, Vec3> = new Map(CANONICAL.map(([i, x, y, z]) => [i, [x, -y, -z] as Vec3]));

/** Fewest mesh points accepted: the highest index used, plus one. */
export const MIN_LANDMARKS = Math.max(...CANONICAL.map((c) => c[0])) + 1;

const DEG = 180 / Math.PI;

function centroid(points: Vec3[]): Vec3 {
  const c: Vec3 = [0, 0, 0];
  for (const p of points) for (let k = 0; k < 3; k++) c[k]! += p[k]! / points.length;
  return c;
}

const centred = (points: Vec3[]): Vec3[] => {
  const c = centroid(points);
  return points.map((p) => [p[0] - c[0], p[1] - c[1], p[2] - c[2]]);
};

/** Eigenvector of the largest eigenvalue of a symmetric matrix (cyclic Jacobi). */
function principalEigenvector(input: number[][]): number[] {
  const n = input.length;
  const a = input.map((row) => row.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (a[i]![i]! > a[best]![best]!) best = i;
  return v.map((row) => row[best]!);
}

/** The rotation R minimising Σ|R·model − observed|² (Horn 1987, unit quaternions). */
function rotation3d(model: Vec3[], observed: Vec3[]): Mat3 {
  const P = centred(model);
  const Q = centred(observed);
  const S = [0, 0, 0, 0, 0, 0, 0, 0, 0]; // S[3i+j] = Σ P_i Q_j
  P.forEach((p, n) => {
    const q = Q[n]!;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) S[3 * i + j]! += p[i]! * q[j]!;
  });
  const [xx, xy, xz, yx, yy, yz, zx, zy, zz] = S as [number, number, number, number, number, number, number, number, number];
  const N = [
    [xx + yy + zz, yz - zy, zx - xz, xy - yx],
    [yz - zy, xx - yy - zz, xy + yx, zx + xz],
    [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
    [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
  ];
  const [w, x, y, z] = principalEigenvector(N) as [number, number, number, number];
  return [
    [w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z],
  ];
}

function solve3(m: number[][], b: number[]): Vec3 {
  const [a0, a1, a2] = m as [number[], number[], number[]];
  const det = (r0: number[], r1: number[], r2: number[]) =>
    r0[0]! * (r1[1]! * r2[2]! - r1[2]! * r2[1]!) -
    r0[1]! * (r1[0]! * r2[2]! - r1[2]! * r2[0]!) +
    r0[2]! * (r1[0]! * r2[1]! - r1[1]! * r2[0]!);
  const d = det(a0, a1, a2);
  const col = (k: number) => det(...(m.map((row, i) => row.map((v, j) => (j === k ? b[i]! : v))) as [number[], number[], number[]]));
  return [col(0) / d, col(1) / d, col(2) / d];
}

const normalise = (v: Vec3): Vec3 => {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The rotation of an affine camera [u v]ᵀ = M·X + t fitted to 2-D observations (rows orthonormalised). */
function rotation2d(model: Vec3[], observed: Vec3[]): Mat3 {
  const P = centred(model);
  const Q = centred(observed);
  const PtP = [0, 1, 2].map((i) => [0, 1, 2].map((j) => P.reduce((s, p) => s + p[i]! * p[j]!, 0)));
  const rowFor = (k: 0 | 1) =>
    solve3(
      PtP,
      [0, 1, 2].map((i) => P.reduce((s, p, n) => s + p[i]! * Q[n]![k], 0)),
    );
  const r1 = normalise(rowFor(0));
  const r2 = normalise(rowFor(1));
  // Split the small angle error between the two rows, then complete the basis.
  const dot = r1[0] * r2[0] + r1[1] * r2[1] + r1[2] * r2[2];
  const a = normalise([r1[0] - (dot / 2) * r2[0], r1[1] - (dot / 2) * r2[1], r1[2] - (dot / 2) * r2[2]]);
  const b = normalise([r2[0] - (dot / 2) * r1[0], r2[1] - (dot / 2) * r1[1], r2[2] - (dot / 2) * r1[2]]);
  return [a, b, cross(a, b)];
}

/** Yaw, pitch, roll (degrees) of R = Ry(yaw)·Rx(pitch)·Rz(roll). */
export function eulerFromRotation(r: Mat3): HeadPose {
  const forward: Vec3 = [-r[0][2], -r[1][2], -r[2][2]]; // R · (0, 0, -1)
  const yaw = Math.atan2(forward[0], -forward[2]);
  const pitch = Math.atan2(forward[1], Math.hypot(forward[0], forward[2]));
  // Undo yaw then pitch on the face's x axis (first column); what is left is the roll.
  const [cx, cy, cz] = [r[0][0], r[1][0], r[2][0]];
  const cyw = Math.cos(yaw);
  const syw = Math.sin(yaw);
  const ux = cyw * cx + syw * cz;
  const uz = -syw * cx + cyw * cz;
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const vy = cp * cy + sp * uz;
  const clean = (v: number) => (Math.abs(v) < 1e-9 ? 0 : v);
  return { yawDeg: clean(yaw * DEG), pitchDeg: clean(pitch * DEG), rollDeg: clean(Math.atan2(vy, ux) * DEG) };
}

/** The rotation for a yaw, pitch and roll in this module's convention (for tests and synthetic faces). */
export function rotationFromEuler(pose: HeadPose): Mat3 {
  const [y, p, r] = [pose.yawDeg / DEG, pose.pitchDeg / DEG, pose.rollDeg / DEG];
  const Ry: Mat3 = [
    [Math.cos(y), 0, -Math.sin(y)],
    [0, 1, 0],
    [Math.sin(y), 0, Math.cos(y)],
  ];
  const Rx: Mat3 = [
    [1, 0, 0],
    [0, Math.cos(p), -Math.sin(p)],
    [0, Math.sin(p), Math.cos(p)],
  ];
  const Rz: Mat3 = [
    [Math.cos(r), -Math.sin(r), 0],
    [Math.sin(r), Math.cos(r), 0],
    [0, 0, 1],
  ];
  const mul = (a: Mat3, b: Mat3): Mat3 =>
    [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[i]![0] * b[0]![j]! + a[i]![1] * b[1]![j]! + a[i]![2] * b[2]![j]!)) as Mat3;
  return mul(Ry, mul(Rx, Rz));
}

/**
 * Head pose of a face from its mesh landmarks in any isotropic unit (pixels, not frame
 * fractions of a non-square frame). Uses z when every point used has one, else the 2-D fit.
 * Throws if fewer than MIN_LANDMARKS points are given.
 */
export function headPoseFromLandmarks(points: ReadonlyArray<LandmarkPoint>): HeadPose {
  if (points.length < MIN_LANDMARKS)
    throw new RangeError(`head pose needs the ${MIN_LANDMARKS}+ face-mesh landmarks, got ${points.length}`);
  const model: Vec3[] = [];
  const observed: Vec3[] = [];
  let hasDepth = true;
  for (const [index, m] of CANONICAL_FACE) {
    const p = points[index]!;
    model.push(m);
    observed.push([p.x, p.y, p.z ?? 0]);
    if (typeof p.z !== 'number' || !Number.isFinite(p.z)) hasDepth = false;
  }
  return eulerFromRotation(hasDepth ? rotation3d(model, observed) : rotation2d(model, observed));
}
