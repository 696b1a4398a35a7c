/**
 * CenterNet (rule-12 objects) on real frames, tfjs wasm in Node. Boxes come out of the model in
 * input pixels (0..512) and leave the detector as frame fractions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, initNodeTf, median, nodeModels, tensorsAround } from '../testing/node-models';
import { ObjectDetector, toObjectSignals, type RawObject } from './object-detector';

const PERSON = 0;
const CELL_PHONE = 67;

let objects: ObjectDetector;
const timings: number[] = [];

async function timed<T>(file: string, sec: number, fn: (frame: tf.Tensor3D) => Promise<T>): Promise<T> {
  const frame = fixtureTensor(file, sec);
  try {
    const start = performance.now();
    const result = await fn(frame);
    timings.push(performance.now() - start);
    return result;
  } finally {
    frame.dispose();
  }
}

beforeAll(async () => {
  await initNodeTf();
  objects = await ObjectDetector.load(nodeModels, { minScore: 0.4, allow: [] });
}, 60_000);

afterAll(() => {
  console.log(`objects, CenterNet 512 (${tf.getBackend()}): median ${median(timings).toFixed(1)} ms over ${timings.length} frames`);
  objects?.dispose();
});

describe('toObjectSignals', () => {
  const raw = (cocoClass: number, score: number): RawObject => ({ cocoClass, score, box: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } });

  it('maps rule-12 COCO classes to incidents and drops the rest', () => {
    const found = toObjectSignals([raw(PERSON, 0.9), raw(CELL_PHONE, 0.5), raw(73, 0.6), raw(63, 0.45), raw(66, 0.41)], { minScore: 0.4, allow: [] });
    expect(found.map((o) => o.type)).toEqual(['object.book', 'object.phone', 'object.laptop', 'object.keyboard']);
    expect(found[1]!.box).toEqual({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 });
  });

  it('keeps one of overlapping boxes of the same object (no NMS in the model)', () => {
    const at = (x: number, score: number): RawObject => ({ cocoClass: CELL_PHONE, score, box: { x, y: 0.5, w: 0.2, h: 0.2 } });
    const found = toObjectSignals([at(0.1, 0.5), at(0.11, 0.7), at(0.6, 0.45)], { minScore: 0.4, allow: [] });
    expect(found.map((o) => [o.score, o.box.x])).toEqual([[0.7, 0.11], [0.45, 0.6]]);
  });

  it('applies the score floor and the programme allow-list', () => {
    expect(toObjectSignals([raw(CELL_PHONE, 0.39)], { minScore: 0.4, allow: [] })).toEqual([]);
    expect(toObjectSignals([raw(CELL_PHONE, 0.9), raw(66, 0.9)], { minScore: 0.4, allow: ['object.keyboard'] }).map((o) => o.type)).toEqual(['object.phone']);
  });
});

describe('ObjectDetector on real frames', () => {
  it('boxes are frame fractions: the person of two-faces fills the frame', async () => {
    const found = await timed('scenario.mjpeg', 26, (f) => objects.detectRaw(f, 0.3));
    const person = found.find((o) => o.cocoClass === PERSON);
    expect(person, JSON.stringify(found.slice(0, 3))).toBeDefined();
    const { box } = person!;
    expect(box.w).toBeGreaterThan(0.5);
    expect(box.h).toBeGreaterThan(0.8);
    expect(box.x + box.w).toBeLessThanOrEqual(1);
    expect(box.y + box.h).toBeLessThanOrEqual(1);
  });

  it('reports no forbidden object on frames without one', async () => {
    for (const [file, sec] of [['scenario.mjpeg', 5], ['scenario.mjpeg', 30], ['scenario.mjpeg', 40], ['no-face-5s.mjpeg', 2]] as const) {
      expect(await timed(file, sec, (f) => objects.detect(f)), `${file} at ${sec} s`).toEqual([]);
    }
  });

  // Known gap, kept visible (issue 14): DESIGN §4 reports "found a phone at 0.51", but CenterNet (wasm and cpu
  // backends give the same numbers) scores the cell-phone class at most 0.22 on the whole frames of phone-5s, now cut
  // from the quality-60 phone.mjpeg (0.07 on the old quality-8 cut, where the phone's detail was gone). `it.fails`
  // passes while the gap remains and turns red when a model starts finding the phone (then drop `.fails`).
  it.fails('finds object.phone in phone-5s (known gap: CenterNet misses this blurred phone)', async () => {
    let best = 0;
    for (const sec of [0, 1, 2, 3, 4]) {
      const found = await timed('phone-5s.mjpeg', sec, (f) => objects.detectRaw(f, 0.01));
      best = Math.max(best, ...found.filter((o) => o.cocoClass === CELL_PHONE).map((o) => o.score));
    }
    console.log(`phone-5s: best cell-phone score ${best.toFixed(2)}`);
    expect(best).toBeGreaterThanOrEqual(0.4);
  });

  it('leaks no tensors', async () => {
    const frame = fixtureTensor('phone-5s.mjpeg', 1);
    const { before, after } = await tensorsAround(3, () => objects.detect(frame));
    frame.dispose();
    expect(after).toBe(before);
  });
});
