/**
 * The face descriptor (faceres) and the identity decision (rule 2.8.6) on real frames in Node,
 * tfjs wasm: person P's reference.jpg against clips of P and of other people, and liveness
 * (src/proctoring/liveness.ts) on the turning-head clip and on the still photo (e2e/fixtures/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessLiveness, type LivenessSample } from '../proctoring/liveness';
import { decodeJpeg } from '../server/face-analysis';
import { cosineSimilarity, IDENTITY_THRESHOLD } from '../shared/identity';
import { FIXTURE_DIR, MjpegClip } from '../testing/mjpeg';
import { fixtureTensor, initNodeTf, median, nodeModels, tensorsAround } from '../testing/node-models';
import { FaceDetector } from './face-detector';
import { cropSquare, DESCRIPTOR_LENGTH, FaceEmbedding } from './face-embedding';
import { FaceLandmarks } from './face-landmarks';
import { frameTensor } from './tf-backend';

let detector: FaceDetector;
let embedding: FaceEmbedding;
let mesh: FaceLandmarks;
let reference: Float32Array;
const timings: number[] = [];
const figures: string[] = [];

async function describeFrame(frame: tf.Tensor3D): Promise<{ faces: number; descriptor: Float32Array | null }> {
  const faces = await detector.detect(frame);
  if (faces.length !== 1) return { faces: faces.length, descriptor: null };
  const start = performance.now();
  const descriptor = await embedding.describe(frame, faces[0]!.box);
  timings.push(performance.now() - start);
  return { faces: 1, descriptor };
}

/** Similarity to the reference of the clip's frames every `step` s. */
async function similarities(file: string, step = 0.5): Promise<number[]> {
  const clip = new MjpegClip(file);
  const out: number[] = [];
  for (let sec = 0; sec < clip.durationSec; sec += step) {
    const frame = fixtureTensor(file, sec);
    try {
      const { descriptor } = await describeFrame(frame);
      if (descriptor) out.push(cosineSimilarity(reference, descriptor));
    } finally {
      frame.dispose();
    }
  }
  const sorted = [...out].sort((a, b) => a - b);
  figures.push(`${file}: n=${out.length} min ${sorted[0]?.toFixed(3)} median ${median(out).toFixed(3)} max ${sorted.at(-1)?.toFixed(3)}`);
  return out;
}

/** Liveness samples as the identity step takes them: ~10 frames/s with yaw, a descriptor every 5th frame compared to the first. */
async function livenessSamples(file: string, seconds: number): Promise<LivenessSample[]> {
  const clip = new MjpegClip(file);
  const samples: LivenessSample[] = [];
  let first: Float32Array | null = null;
  mesh.reset();
  for (let i = 0; i * 0.1 < seconds; i++) {
    const sec = (i * 0.1) % clip.durationSec; // the camera loops the file
    const frame = fixtureTensor(file, sec);
    try {
      const faces = await detector.detect(frame);
      const head = faces.length === 1 ? ((await mesh.detect(frame))?.head ?? null) : null;
      let similarity: number | null = null;
      if (faces.length === 1 && i % 5 === 0) {
        const d = await embedding.describe(frame, faces[0]!.box);
        if (first) similarity = cosineSimilarity(first, d);
        else first = d;
      }
      samples.push({ t: i * 100, faces: faces.length, yawDeg: head?.yawDeg ?? null, similarity });
    } finally {
      frame.dispose();
    }
  }
  return samples;
}

beforeAll(async () => {
  await initNodeTf();
  detector = await FaceDetector.load(nodeModels, { modelType: 'full', maxFaces: 5, minScore: 0.6 });
  embedding = await FaceEmbedding.load(nodeModels);
  mesh = await FaceLandmarks.load(nodeModels);
  const photo = frameTensor(decodeJpeg(readFileSync(path.join(FIXTURE_DIR, 'reference.jpg'))));
  try {
    const { faces, descriptor } = await describeFrame(photo);
    expect(faces).toBe(1);
    reference = descriptor!;
  } finally {
    photo.dispose();
  }
}, 120_000);

afterAll(() => {
  console.log(`face descriptor (faceres, ${tf.getBackend()}): median ${median(timings).toFixed(1)} ms over ${timings.length} faces`);
  for (const line of figures) console.log(`identity: ${line}`);
  detector?.dispose();
  embedding?.dispose();
  mesh?.dispose();
});

describe('FaceEmbedding (faceres) on real frames', () => {
  it('gives 1024 finite values, the same for the same frame, without leaking tensors', async () => {
    expect(reference).toHaveLength(DESCRIPTOR_LENGTH);
    expect(reference.every(Number.isFinite)).toBe(true);
    const frame = fixtureTensor('same-person-6s.mjpeg', 1);
    try {
      const box = (await detector.detect(frame))[0]!.box;
      const a = await embedding.describe(frame, box);
      const b = await embedding.describe(frame, box);
      expect(cosineSimilarity(a, b)).toBeCloseTo(1, 5);
      const { before, after } = await tensorsAround(3, () => embedding.describe(frame, box));
      expect(after).toBe(before);
    } finally {
      frame.dispose();
    }
  }, 60_000);

  it('crops a square 1.2 times the larger side of the box, centred on it', () => {
    const [y1, x1, y2, x2] = cropSquare({ x: 0.25, y: 0.25, w: 0.5, h: 0.5 }, 640, 480);
    expect((x2 - x1) * 640).toBeCloseTo((y2 - y1) * 480, 6); // square in pixels
    expect((x2 - x1) * 640).toBeCloseTo(1.2 * 320, 6);
    expect((x1 + x2) / 2).toBeCloseTo(0.5, 6);
  });

  it('accepts the same person (P) on every frame of same-person-6s', async () => {
    const sims = await similarities('same-person-6s.mjpeg');
    expect(sims.length).toBeGreaterThanOrEqual(11);
    expect(Math.min(...sims)).toBeGreaterThan(IDENTITY_THRESHOLD + 0.1);
  }, 120_000);

  it('rejects another person (Q) on every frame of other-person-6s, and the woman of single-face-5s', async () => {
    const q = await similarities('other-person-6s.mjpeg');
    expect(q.length).toBeGreaterThanOrEqual(11);
    expect(Math.max(...q)).toBeLessThan(IDENTITY_THRESHOLD - 0.1);
    const w = await similarities('single-face-5s.mjpeg');
    expect(w.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...w)).toBeLessThan(IDENTITY_THRESHOLD - 0.1);
  }, 120_000);
});

describe('liveness on real frames', () => {
  it('passes the turning head of identity-live.mjpeg (the same face throughout)', async () => {
    const samples = await livenessSamples('identity-live.mjpeg', 6.5);
    const state = assessLiveness(samples);
    const yaws = samples.flatMap((s) => (s.yawDeg === null ? [] : [s.yawDeg]));
    const sims = samples.flatMap((s) => (s.similarity === null ? [] : [s.similarity]));
    figures.push(
      `liveness identity-live: yaw ${Math.min(...yaws).toFixed(1)}..${Math.max(...yaws).toFixed(1)}°, same-face similarity min ${Math.min(...sims).toFixed(3)}, ${state.passed ? 'passed' : `failed (${state.failure})`} after ${state.lastT} ms`,
    );
    expect(state.failure).toBeNull();
    expect(state.passed).toBe(true);
  }, 180_000);

  it('fails the still photo held up (identity-still.mjpeg, 5 s): no turn', async () => {
    const samples = await livenessSamples('identity-still.mjpeg', 5);
    const state = assessLiveness(samples);
    const yaws = samples.flatMap((s) => (s.yawDeg === null ? [] : [s.yawDeg]));
    figures.push(
      `liveness identity-still: yaw ${Math.min(...yaws).toFixed(1)}..${Math.max(...yaws).toFixed(1)}°, ${state.passed ? 'passed' : 'not passed'}`,
    );
    expect(yaws.length).toBeGreaterThan(40); // the face is seen: it fails for want of a turn, not of a face
    expect(state.passed).toBe(false);
    expect(state.right).toBe(false);
  }, 180_000);

  it('fails the frontal same-person clip (talking, no real turn both ways) within its first 6 s', async () => {
    const state = assessLiveness(await livenessSamples('same-person-6s.mjpeg', 6));
    expect(state.passed).toBe(false);
  }, 180_000);
});
