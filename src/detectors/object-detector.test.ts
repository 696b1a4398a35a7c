/**
 * Rule-12 objects on real frames, tfjs wasm in Node: CenterNet and SSDLite, fused (object-fusion.ts).
 * Frames are sampled as the exam samples them (objects.intervalSec 1.5 s) or every 0.5 s on short clips.
 * Tuning clips (e2e/fixtures/labels.json role 'tuning') chose the fusion's numbers; scoring clips only
 * score them. The wasm backend is deterministic for the same frames, so the measured counts are pinned
 * exactly: a change of model, threshold or fusion that moves any of them must say so here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectSignal } from '../proctoring/signals';
import { fixtureTensor, initNodeTf, median, nodeModels, tensorsAround } from '../testing/node-models';
import { ObjectDetector } from './object-detector';
import { MODEL_FILES } from './tf-backend';

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

const times = (from: number, to: number, step: number) => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

/** The fused findings at each of `seconds` of a clip, as type lists. */
async function findings(file: string, seconds: number[]): Promise<Array<{ sec: number; found: ObjectSignal[] }>> {
  const out: Array<{ sec: number; found: ObjectSignal[] }> = [];
  for (const sec of seconds) out.push({ sec, found: await timed(file, sec, (f) => objects.detect(f)) });
  return out;
}

const withType = (rows: Array<{ found: ObjectSignal[] }>, type: string) => rows.filter((r) => r.found.some((o) => o.type === type)).length;

beforeAll(async () => {
  await initNodeTf();
  objects = await ObjectDetector.load(nodeModels, { minScore: 0.4, allow: [] });
}, 60_000);

afterAll(() => {
  console.log(
    `objects, CenterNet 512 + SSDLite 300 (${tf.getBackend()}): median ${median(timings).toFixed(1)} ms over ${timings.length} frames`,
  );
  objects?.dispose();
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

  it('tuning: the phone held with its back to the camera (phone-5s) is found in every frame, though neither model alone finds it', async () => {
    let firstBest = 0;
    let secondBest = 0;
    const rows: Array<{ found: ObjectSignal[] }> = [];
    for (const sec of times(0.25, 5, 0.5)) {
      await timed('phone-5s.mjpeg', sec, async (f) => {
        firstBest = Math.max(
          firstBest,
          ...(await objects.detectRaw(f, 0.01)).filter((o) => o.cocoClass === CELL_PHONE).map((o) => o.score),
        );
        secondBest = Math.max(
          secondBest,
          ...(await objects.detectRawSecond(f, 0.01)).filter((o) => o.cocoClass === CELL_PHONE).map((o) => o.score),
        );
        rows.push({ found: await objects.detect(f) });
      });
    }
    const phones = rows.map((r) => r.found.find((o) => o.type === 'object.phone')?.score ?? 0);
    console.log(
      `phone-5s: CenterNet alone ${firstBest.toFixed(2)}, SSDLite alone ${secondBest.toFixed(2)}, fused ${phones.map((s) => s.toFixed(2)).join(' ')}`,
    );
    // Each model alone stays under the 0.4 floor (the gap found when object detection was tuned): measured 0.23 and 0.34.
    expect(firstBest).toBeCloseTo(0.23, 1);
    expect(firstBest).toBeLessThan(0.4);
    expect(secondBest).toBeCloseTo(0.34, 1);
    expect(secondBest).toBeLessThan(0.4);
    // Together they find it in all 10 frames.
    expect(phones.filter((s) => s >= 0.4)).toHaveLength(10);
  }, 60_000);

  it('tuning and scoring: nothing forbidden on clean footage, frame by frame as the exam samples it', async () => {
    const clips: Array<[string, number]> = [
      ['scenario.mjpeg', 60], // tuning
      ['single-face-5s.mjpeg', 5],
      ['two-faces-5s.mjpeg', 5],
      ['no-face-5s.mjpeg', 5],
      ['room-scan-full.mjpeg', 30],
      ['room-scan-partial.mjpeg', 20],
      ['same-person-6s.mjpeg', 6],
      ['other-person-6s.mjpeg', 6],
    ];
    let frames = 0;
    for (const [file, duration] of clips) {
      const rows = await findings(file, times(0.25, duration, 1.5));
      frames += rows.length;
      expect(
        rows
          .filter((r) => r.found.length > 0)
          .map((r) => `${file} ${r.sec} s: ${r.found.map((o) => `${o.type} ${o.score.toFixed(2)}`).join(', ')}`),
      ).toEqual([]);
    }
    // The scoring clip away from its phone (24-30 s): P, an empty room, P beside Q, Q.
    const scoring = await findings(
      'scoring-40s.mjpeg',
      times(0.25, 40, 1.5).filter((s) => s < 23.5 || s > 30.5),
    );
    frames += scoring.length;
    expect(scoring.filter((r) => r.found.length > 0).map((r) => r.sec)).toEqual([]);
    console.log(`clean footage: no forbidden object in ${frames} frames`);
  }, 120_000);

  it('scoring: a phone lying on a sofa, seen during the room scan (room-scan-phone), and the held phone of the scoring clip', async () => {
    // The lying phone is in full view from 10.5 to 16 s of the turn (labels.json).
    const lying = await findings('room-scan-phone.mjpeg', times(10.75, 16, 0.5));
    const elsewhere = await findings(
      'room-scan-phone.mjpeg',
      times(0.25, 30, 1.5).filter((s) => s < 10 || s > 16.5),
    );
    const held = await findings('scoring-40s.mjpeg', times(24.25, 30, 0.5));
    const line = (name: string, rows: Array<{ found: ObjectSignal[] }>) =>
      `${name}: phone in ${withType(rows, 'object.phone')}/${rows.length} frames, book in ${withType(rows, 'object.book')}, any other in ${rows.filter((r) => r.found.some((o) => o.type !== 'object.phone' && o.type !== 'object.book')).length}`;
    console.log(
      [line('lying phone in view', lying), line('room without it', elsewhere), line('held phone (scoring-40s)', held)].join('\n'),
    );
    // Measured: the lying phone in 6 of 11 frames (a room-scan finding needs one); the same object is also read as a
    // book in 7 (a second, wrong class on a real object: the proctor sees one picture with both).
    expect(withType(lying, 'object.phone')).toBe(6);
    expect(withType(lying, 'object.book')).toBe(7);
    expect(elsewhere.filter((r) => r.found.length > 0)).toEqual([]);
    // The held phone of the scoring clip (other frames of phone-5s's source picture): every frame; CenterNet also
    // calls it a remote (0.41) in one.
    expect(withType(held, 'object.phone')).toBe(held.length);
    expect(held.filter((r) => r.found.some((o) => o.type !== 'object.phone')).map((r) => r.found.map((o) => o.type).join('+'))).toEqual([
      'object.phone+object.remote',
    ]);
  }, 120_000);

  it("'later': ready with CenterNet, fused once SSDLite has loaded; a second model that cannot load is said once", async () => {
    const later = await ObjectDetector.load(nodeModels, { minScore: 0.4, allow: [] }, undefined, { second: 'later' });
    const missingSecond: typeof nodeModels = (name, onProgress) =>
      name === MODEL_FILES.objectsSecond ? { load: () => Promise.reject(new Error('no such file')) } : nodeModels(name, onProgress);
    const broken = await ObjectDetector.load(missingSecond, { minScore: 0.4, allow: [] }, undefined, { second: 'later' });
    const frame = fixtureTensor('phone-5s.mjpeg', 1);
    try {
      // The held phone needs both models: CenterNet alone does not find it; with the second one loaded, it is found.
      expect(await later.detect(frame)).toEqual([]);
      expect(await later.detectRawSecond(frame)).toEqual([]);
      await later.loadSecond(nodeModels);
      expect((await later.detect(frame)).map((o) => o.type)).toEqual(['object.phone']);
      // Without it: the first run says why (the proctor sees a failed objects run), later runs go on with CenterNet.
      await broken.loadSecond(missingSecond);
      await expect(broken.detect(frame)).rejects.toThrow(/SSDLite\) could not load.*no such file/);
      expect(await broken.detect(frame)).toEqual([]);
    } finally {
      frame.dispose();
      later.dispose();
      broken.dispose();
    }
  }, 60_000);

  it('leaks no tensors', async () => {
    const frame = fixtureTensor('phone-5s.mjpeg', 1);
    const { before, after } = await tensorsAround(3, () => objects.detect(frame));
    frame.dispose();
    expect(after).toBe(before);
  });
});
