import { describe, expect, it } from 'vitest';
import type { Incident } from '../shared/incidents';
import { EvalRecording } from './engine-instrumentation';

const frame = (t: number, total: number) => ({
  t,
  faces: [{ box: { x: 0.3, y: 0.2, w: 0.3, h: 0.4 }, score: 0.9 }],
  head: { yawDeg: 40, pitchDeg: 5, rollDeg: 0, from: 'keypoints' as const },
  pose: null,
  objects: null,
  ms: { total, faces: 6 },
});

describe('the evaluation recording', () => {
  it('keeps every frame and buffer as a sample, with timings per model; a keypoint yaw has no pitch', () => {
    const rec = new EvalRecording(() => 3);
    rec.frame(frame(1_000, 20));
    rec.frame(frame(1_066, 30));
    rec.sound({ t: 1_010, levelDb: -50, speechProbability: 0.1, ms: 1.5 });
    expect(rec.samples).toHaveLength(3);
    expect(rec.samples[0]).toEqual({ t: 1_000, faces: 1, yawDeg: 40, pitchDeg: null, speech: null, levelDb: null, objects: null });
    expect(rec.modelMs).toEqual({ total: [20, 30], faces: [6, 6] });
    expect(rec.perf()).toEqual({ frameMs: [20, 30], audioMs: [1.5] });
    expect(rec.droppedFrames()).toBe(3);
  });

  it('keeps incidents with their ends, the re-checks, ready and armed times', () => {
    const rec = new EvalRecording(() => null);
    const inc: Incident = { id: 'inc-00000001', type: 'face.absent', start: 1_000, end: null, confidence: 0.9, detail: {} };
    rec.incident('open', inc);
    rec.incident('close', { ...inc, end: 4_000 });
    rec.incident('close', { ...inc, id: 'never-opened', end: 5_000 });
    expect(rec.incidents).toEqual([{ ...inc, end: 4_000 }]);
    expect(inc.end).toBeNull(); // a copy is kept
    rec.identityChecked({ t: 2_000, matched: true });
    rec.ready(2_500);
    rec.armed(3_000);
    expect([rec.identityChecks, rec.readyMs, rec.armedAt]).toEqual([[{ t: 2_000, matched: true }], 2_500, 3_000]);
  });
});
