/**
 * The vision pipeline's face descriptor on request (rule 2.8.6: identity step and re-verification),
 * in Node on real frames, tfjs wasm: only when asked, only for exactly one face, the same person
 * similar and another not, and nothing when options.identity is off.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity, IDENTITY_THRESHOLD } from '../shared/identity';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { fixtureTensor, initNodeTf, median, nodeModels } from '../testing/node-models';
import { VisionEngine } from './vision-engine';
import type { VisionConfig } from './vision-protocol';

const config: VisionConfig = {
  analysisFps: 15,
  face: { minScore: 0.6 },
  body: DEFAULT_PROCTORING.body,
  objects: DEFAULT_PROCTORING.objects,
};
const enabled = { faces: true, landmarks: true, pose: false, objects: false };
let engine: VisionEngine;
let t = 1_700_000_000_000;
const ms: number[] = [];

async function analyse(file: string, sec: number, describe: boolean) {
  const frame = fixtureTensor(file, sec);
  try {
    const r = await engine.analyse(frame, (t += 67), { describe });
    if (r.identity && 'ms' in r.identity) ms.push(r.identity.ms);
    return r;
  } finally {
    frame.dispose();
  }
}

beforeAll(async () => {
  await initNodeTf();
  engine = await VisionEngine.create(nodeModels, config, { enabled, identity: true });
}, 120_000);

afterAll(() => {
  console.log(`vision engine: face descriptor on request, median ${median(ms).toFixed(1)} ms (${tf.getBackend()}, ${ms.length} runs)`);
  engine?.dispose();
});

describe('VisionEngine face descriptor on request', () => {
  it('describes the one face only when asked; the same person is similar, another is not', async () => {
    expect((await analyse('same-person-6s.mjpeg', 0.5, false)).identity).toBeUndefined();
    const a = await analyse('same-person-6s.mjpeg', 1, true);
    const b = await analyse('same-person-6s.mjpeg', 4, true);
    const q = await analyse('other-person-6s.mjpeg', 2, true);
    if (!a.identity?.descriptor || !b.identity?.descriptor || !q.identity?.descriptor) throw new Error('no descriptor');
    expect(a.identity.descriptor).toHaveLength(1024);
    expect(cosineSimilarity(a.identity.descriptor, b.identity.descriptor)).toBeGreaterThan(IDENTITY_THRESHOLD);
    expect(cosineSimilarity(a.identity.descriptor, q.identity.descriptor)).toBeLessThan(IDENTITY_THRESHOLD);
    expect(a.signals.head).not.toBeNull(); // the frame's other signals are there as usual
  }, 120_000);

  it('gives no descriptor, with the reason, for no face or two faces', async () => {
    expect((await analyse('no-face-5s.mjpeg', 1, true)).identity).toEqual({ descriptor: null, error: 'no face' });
    expect((await analyse('two-faces-5s.mjpeg', 1, true)).identity).toEqual({ descriptor: null, error: 'several faces' });
  }, 60_000);

  it('says so when the descriptor model is not enabled', async () => {
    const plain = await VisionEngine.create(nodeModels, config, { enabled: { ...enabled, landmarks: false } });
    const frame = fixtureTensor('same-person-6s.mjpeg', 1);
    try {
      const r = await plain.analyse(frame, (t += 67), { describe: true });
      expect(r.identity).toMatchObject({ descriptor: null, error: expect.stringMatching(/not enabled/) });
    } finally {
      frame.dispose();
      plain.dispose();
    }
  }, 60_000);
});
