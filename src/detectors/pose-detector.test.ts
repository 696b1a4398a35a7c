/** MoveNet Lightning on real frames (tfjs wasm in Node). */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, initNodeTf, median, nodeModels, tensorsAround } from '../testing/node-models';
import { poseIndex, PoseDetector, POSE_KEYPOINTS } from './pose-detector';

let pose: PoseDetector;
const timings: number[] = [];

async function poseAt(file: string, sec: number) {
  const frame = fixtureTensor(file, sec);
  try {
    const start = performance.now();
    const keypoints = await pose.detect(frame);
    timings.push(performance.now() - start);
    return keypoints;
  } finally {
    frame.dispose();
  }
}

beforeAll(async () => {
  await initNodeTf();
  pose = await PoseDetector.load(nodeModels);
}, 60_000);

afterAll(() => {
  console.log(`pose, MoveNet Lightning (${tf.getBackend()}): median ${median(timings).toFixed(1)} ms over ${timings.length} frames`);
  pose?.dispose();
});

describe('PoseDetector on real frames', () => {
  it('gives 17 keypoints in frame fractions', async () => {
    const keypoints = await poseAt('scenario.mjpeg', 40);
    expect(keypoints).toHaveLength(POSE_KEYPOINTS.length);
    for (const k of keypoints) {
      expect(k.score).toBeGreaterThanOrEqual(0);
      expect(k.score).toBeLessThanOrEqual(1);
    }
  });

  it('finds the shoulders of a person: below the nose, the left shoulder on the image right (unmirrored camera)', async () => {
    for (const sec of [38, 40, 42]) {
      const k = await poseAt('scenario.mjpeg', sec);
      const nose = k[poseIndex('nose')]!;
      const left = k[poseIndex('left_shoulder')]!;
      const right = k[poseIndex('right_shoulder')]!;
      expect(Math.max(left.score, right.score), `best shoulder score at ${sec} s`).toBeGreaterThan(0.28);
      expect(Math.min(left.score, right.score), `other shoulder score at ${sec} s`).toBeGreaterThan(0.15);
      expect(left.y).toBeGreaterThan(nose.y);
      expect(right.y).toBeGreaterThan(nose.y);
      expect(left.x - right.x).toBeGreaterThan(0.3); // shoulder width, in frame widths
      for (const p of [nose, left, right]) for (const v of [p.x, p.y]) (expect(v).toBeGreaterThan(0), expect(v).toBeLessThan(1));
    }
  });

  it('is unsure of every shoulder when nobody is there', async () => {
    for (const sec of [1, 3]) {
      const k = await poseAt('no-face-5s.mjpeg', sec);
      expect(k[poseIndex('left_shoulder')]!.score).toBeLessThan(0.15);
      expect(k[poseIndex('right_shoulder')]!.score).toBeLessThan(0.15);
    }
  });

  it('leaks no tensors', async () => {
    const frame = fixtureTensor('scenario.mjpeg', 30);
    const { before, after } = await tensorsAround(5, () => pose.detect(frame));
    frame.dispose();
    expect(after).toBe(before);
  });
});
