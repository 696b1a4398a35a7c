/**
 * Identity (rule 2.8.6): how two face descriptors are compared, and the thresholds.
 *
 * Descriptors are faceres (human-models) outputs of 1024 values, computed by
 * src/detectors/face-embedding.ts in the browser's vision worker and, for a reference photo,
 * at the centre in Node (same code, tfjs wasm). They are compared by cosine similarity:
 * 1 = same direction, 0 = unrelated.
 *
 * Measured on the fixtures (src/detectors/face-embedding.test.ts, reference.jpg = person P against
 * the frames of ../shared/fixtures every 0.5 s over 20 s, one face per frame, full-range detector box):
 * - same-person.mjpeg (P, talking, laughing, small turns):      0.71 .. 0.88, median 0.83 (40 frames)
 * - other-person.mjpeg (Q, a grey-bearded man):                  0.39 .. 0.47, median 0.44 (39 frames)
 * - single-face.mjpeg (a woman):                                 0.24 .. 0.29, median 0.27 (40 frames)
 * The gap between the highest impostor (0.47) and the lowest genuine frame (0.71) is 0.24; the
 * threshold sits at 0.60, a little nearer the impostors' side so a poorly lit genuine candidate
 * still passes, yet 0.13 above the most similar stranger seen.
 */

/** At least this cosine similarity to the reference: the same person (before the exam and during it). */
export const IDENTITY_THRESHOLD = 0.6;

/**
 * Liveness: frames taken while the head turns must stay this similar to the frontal frame of the
 * same attempt (a different face swapped in mid-turn fails). Turned faces score lower against a
 * frontal one than frontal against frontal, so this is lower than IDENTITY_THRESHOLD.
 */
export const SAME_FACE_THRESHOLD = 0.5;

/** Tries of the identity step before the proctor must look (the step then refuses, with a message). */
export const MAX_IDENTITY_ATTEMPTS = 5;

/** Cosine similarity of two descriptors of equal length; 0 when either is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`descriptors differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/** Similarity rounded for logs and the screen (4 decimals: enough to tell, not noise). */
export const roundSimilarity = (s: number): number => Math.round(s * 10_000) / 10_000;

/**
 * Liveness by head turn (src/proctoring/liveness.ts): the face mesh's yaw must reach each side of
 * the camera axis by sideDeg, and its extremes be minSwingDeg apart. Here because the centre
 * re-checks a browser's report with the same figures (turnsPass).
 */
export const LIVENESS_TURN = { sideDeg: 8, minSwingDeg: 20 } as const;

/** Both sides reached and the swing wide enough. */
export function turnsPass(
  yawMin: number | null,
  yawMax: number | null,
  turn: { sideDeg: number; minSwingDeg: number } = LIVENESS_TURN,
): boolean {
  if (yawMin === null || yawMax === null) return false;
  return yawMax >= turn.sideDeg && yawMin <= -turn.sideDeg && yawMax - yawMin >= turn.minSwingDeg;
}
