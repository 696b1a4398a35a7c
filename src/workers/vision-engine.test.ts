/**
 * The vision worker's pipeline (VisionEngine) in Node on real scenario frames, tfjs wasm:
 * per-model cadence, timings, and one model failing without taking the others down.
 * Prints the per-model milliseconds of a 15 fps run (the figures for the bench/report).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSource } from '../detectors/tf-backend';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { fixtureTensor, initNodeTf, median, nodeModels } from '../testing/node-models';
import { VisionEngine, type FrameAnalysis } from './vision-engine';
import type { VisionConfig, VisionModel } from './vision-protocol';

const config: VisionConfig = {
  analysisFps: 15,
  face: { minScore: 0.6 },
  body: { ...DEFAULT_PROCTORING.body, everyNthFrame: 3 },
  objects: { intervalSec: 1.5, minScore: 0.4, allow: [] },
};

/** Runs `seconds` of scenario.mjpeg from `fromSec` at 15 fps through the engine. */
async function run(engine: VisionEngine, fromSec: number, seconds: number): Promise<FrameAnalysis[]> {
  const out: FrameAnalysis[] = [];
  const t0 = 1_700_000_000_000;
  for (let i = 0; i < seconds * 15; i++) {
    const sec = fromSec + i / 15;
    const frame = fixtureTensor('scenario.mjpeg', sec);
    try {
      out.push(await engine.analyse(frame, t0 + Math.round((sec - fromSec) * 1000)));
    } finally {
      frame.dispose();
    }
  }
  return out;
}

let engine: VisionEngine;
const progress: Array<[number, number, VisionModel]> = [];
let msToReady = 0;

beforeAll(async () => {
  await initNodeTf();
  const started = performance.now();
  engine = await VisionEngine.create(nodeModels, config, {}, { onProgress: (loaded, total, model) => progress.push([loaded, total, model]) });
  msToReady = performance.now() - started;
}, 120_000);

afterAll(() => engine?.dispose());

describe('VisionEngine on scenario.mjpeg (wasm, Node)', () => {
  it('loads every model with progress and is ready', () => {
    expect(engine.models).toEqual(['faces', 'landmarks', 'pose', 'objects']);
    expect(progress[0]).toEqual([0, 4, 'faces']);
    expect(progress.at(-1)).toEqual([4, 4, 'objects']);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
  });

  it('runs faces and landmarks on every frame, pose on every 3rd, objects every 1.5 s; timings per model', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const frames = await run(engine, 38, 3.2); // 48 frames of the "looking down" face
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(frames.every((f) => f.failed.length === 0)).toBe(true);
    expect(frames.every((f) => f.signals.faces.length === 1 && f.signals.head !== null)).toBe(true);
    expect(frames.map((f) => f.signals.pose !== null)).toEqual(frames.map((_, i) => i % 3 === 0));
    const objectFrames = frames.flatMap((f, i) => (f.signals.objects !== null ? [i] : []));
    expect(objectFrames).toEqual([0, 23, 46]); // t = 0, 1.53 s, 3.07 s
    for (const f of frames) {
      expect(typeof f.signals.ms.faces).toBe('number');
      expect(typeof f.signals.ms.landmarks).toBe('number');
      expect(f.signals.ms.pose !== undefined).toBe(f.signals.pose !== null);
      expect(f.signals.ms.objects !== undefined).toBe(f.signals.objects !== null);
      expect(f.signals.ms.total).toBeGreaterThanOrEqual(f.signals.ms.faces! + f.signals.ms.landmarks!);
    }
    const pitches = frames.map((f) => f.signals.head!.pitchDeg);
    expect(Math.min(...pitches)).toBeGreaterThan(20); // see face-landmarks.test.ts for the measured range

    const col = (key: 'faces' | 'landmarks' | 'pose' | 'objects' | 'total', only?: (f: FrameAnalysis) => boolean) =>
      median(frames.filter((f) => !only || only(f)).flatMap((f) => (typeof f.signals.ms[key] === 'number' ? [f.signals.ms[key]!] : [])));
    console.log(
      [
        `vision engine, ${tf.getBackend()} in Node, ${frames.length} frames at 15 fps (median ms):`,
        `  ready (load + warm-up of 4 models) ${msToReady.toFixed(0)}`,
        `  faces ${col('faces').toFixed(1)}, landmarks ${col('landmarks').toFixed(1)}, pose ${col('pose').toFixed(1)}, objects ${col('objects').toFixed(1)}`,
        `  frame total: faces+landmarks only ${col('total', (f) => !f.signals.pose && !f.signals.objects).toFixed(1)}, with pose ${col('total', (f) => !!f.signals.pose && !f.signals.objects).toFixed(1)}, with objects ${col('total', (f) => !!f.signals.objects).toFixed(1)}`,
      ].join('\n'),
    );
  }, 60_000);

  it('skips the face mesh when there is no face (head null, no failure)', async () => {
    const [frame] = await run(engine, 20, 1 / 15);
    expect(frame!.signals.faces).toEqual([]);
    expect(frame!.signals.head).toBeNull();
    expect(frame!.failed).toEqual([]);
  });

  it('reports a model that cannot load and keeps the others working', async () => {
    const errors: Array<[VisionModel, string]> = [];
    const broken: ModelSource = (name, onProgress) => {
      if (name.includes('movenet')) return { load: () => Promise.reject(new Error('404 Not Found')) };
      return nodeModels(name, onProgress);
    };
    const partial = await VisionEngine.create(broken, config, { enabled: { objects: false } }, { onError: (model, message) => errors.push([model, message]) });
    try {
      expect(partial.models).toEqual(['faces', 'landmarks']);
      expect(errors).toEqual([['pose', 'could not load: 404 Not Found']]);
      const frames = await run(partial, 5, 4 / 15);
      expect(frames.map((f) => f.failed)).toEqual([['pose'], [], [], ['pose']]);
      expect(frames.every((f) => f.signals.faces.length === 1 && f.signals.head !== null && f.signals.pose === null && f.signals.objects === null)).toBe(true);
      expect(frames.every((f) => f.signals.ms.pose === undefined)).toBe(true); // no timing: the model did not work
    } finally {
      partial.dispose();
    }
  }, 60_000);
});
