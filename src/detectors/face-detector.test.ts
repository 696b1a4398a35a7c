/**
 * The face-count detector on real frames of the fake-camera clips (e2e/fixtures, labels in
 * ../shared/fixtures/labels.json), tfjs wasm backend in Node.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, initNodeTf, median, nodeModels, tensorsAround } from '../testing/node-models';
import { FaceDetector } from './face-detector';

let detector: FaceDetector;
const timings: number[] = [];

async function facesAt(file: string, sec: number) {
  const frame = fixtureTensor(file, sec);
  try {
    const start = performance.now();
    const faces = await detector.detect(frame);
    timings.push(performance.now() - start);
    return faces;
  } finally {
    frame.dispose();
  }
}

beforeAll(async () => {
  await initNodeTf();
  detector = await FaceDetector.load(nodeModels, { modelType: 'full', maxFaces: 5, minScore: 0.6 });
}, 60_000);

afterAll(() => {
  console.log(`face detector (full range, ${tf.getBackend()}): median ${median(timings).toFixed(1)} ms over ${timings.length} frames`);
  detector?.dispose();
});

describe('FaceDetector (full range) on real frames', () => {
  it('finds the one face of single-face-5s, with a box in frame fractions', async () => {
    for (const sec of [0.5, 2.5, 4.5]) {
      const faces = await facesAt('single-face-5s.mjpeg', sec);
      expect(faces, `at ${sec} s`).toHaveLength(1);
      const { box, score } = faces[0]!;
      expect(score).toBeGreaterThanOrEqual(0.6);
      for (const v of [box.x, box.y, box.w, box.h]) expect(v).toBeGreaterThan(0);
      expect(box.x + box.w).toBeLessThanOrEqual(1);
      expect(box.y + box.h).toBeLessThanOrEqual(1);
      expect(box.w).toBeGreaterThan(0.2); // a face close to the camera: ~0.4 of the width
    }
  });

  it('finds both faces of two-faces-5s, side by side', async () => {
    for (const sec of [1, 3]) {
      const faces = await facesAt('two-faces-5s.mjpeg', sec);
      expect(faces, `at ${sec} s`).toHaveLength(2);
      const [a, b] = [...faces].sort((p, q) => p.box.x - q.box.x) as [(typeof faces)[0], (typeof faces)[0]];
      expect(a.box.x + a.box.w).toBeLessThan(b.box.x + b.box.w / 2); // two different faces, not one twice
    }
  });

  it('finds no face in no-face-5s', async () => {
    for (const sec of [1, 3]) expect(await facesAt('no-face-5s.mjpeg', sec), `at ${sec} s`).toEqual([]);
  });

  it('follows the scenario: 1 face, nobody, 2 faces (25-35 s), 1 face', async () => {
    const expected: Array<[number, number]> = [[5, 1], [20, 0], [26, 2], [30, 2], [34, 2], [40, 1], [50, 1]];
    for (const [sec, count] of expected) expect(await facesAt('scenario.mjpeg', sec), `at ${sec} s`).toHaveLength(count);
  });

  it('leaks no tensors', async () => {
    const frame = fixtureTensor('two-faces-5s.mjpeg', 2);
    const { before, after } = await tensorsAround(5, () => detector.detect(frame));
    frame.dispose();
    expect(after).toBe(before);
  });
});
