/** The pixel plumbing every detector shares: RGBA/BGRA → RGB, and the letterbox (tfjs wasm in Node). */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, initNodeTf } from '../testing/node-models';
import { fromLetterbox, letterbox, letterboxOf, rgbaToRgb } from './tf-backend';

beforeAll(async () => {
  await initNodeTf();
});

describe('rgbaToRgb', () => {
  const rgba = Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 255]);

  it('drops alpha, as float32 0..255', () => {
    expect(Array.from(rgbaToRgb(rgba, 2))).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('swaps BGRA (what VideoFrame.copyTo gives for a bitmap) into RGB', () => {
    expect(Array.from(rgbaToRgb(rgba, 2, undefined, true))).toEqual([30, 20, 10, 60, 50, 40]);
  });

  it('reads bytes that do not start on a 4-byte boundary, and reuses a buffer that fits', () => {
    const shifted = new Uint8Array(9);
    shifted.set(rgba, 1);
    const reuse = new Float32Array(6);
    expect(rgbaToRgb(shifted.subarray(1), 2, reuse, true)).toBe(reuse);
    expect(Array.from(reuse)).toEqual([30, 20, 10, 60, 50, 40]);
  });
});

describe('letterbox', () => {
  it('fits 640x480 into a square: scaled 192x144, 24 rows of black above and below', () => {
    const box = letterboxOf(640, 480, 192);
    expect(box).toEqual({ size: 192, scaledW: 192, scaledH: 144, padLeft: 0, padTop: 24 });
    expect(fromLetterbox(box, 0.5, 0.5)).toEqual({ x: 0.5, y: 0.5 });
    expect(fromLetterbox(box, 0, 24 / 192)).toEqual({ x: 0, y: 0 });
    expect(fromLetterbox(box, 1, 168 / 192)).toEqual({ x: 1, y: 1 });
  });

  it('gives the pixels of padding the whole frame to a square first (the reference pipelines), without the full-size pad', () => {
    const frame = fixtureTensor('scenario.mjpeg', 5);
    const [fast, reference] = tf.tidy(() => {
      const square = tf.pad(frame, [
        [80, 80],
        [0, 0],
        [0, 0],
      ]);
      return [letterbox(frame, letterboxOf(640, 480, 128)), tf.image.resizeBilinear(tf.expandDims(square, 0) as tf.Tensor4D, [128, 128])];
    });
    // Inside the picture the two agree exactly; only the row at its edge (blended with the black) differs.
    const inside = tf.tidy(
      () =>
        tf
          .max(tf.abs(tf.sub(tf.slice(fast, [0, 17, 0, 0], [1, 94, 128, 3]), tf.slice(reference, [0, 17, 0, 0], [1, 94, 128, 3]))))
          .dataSync()[0],
    );
    expect(inside).toBeLessThan(1e-3);
    tf.dispose([frame, fast, reference]);
  });
});
