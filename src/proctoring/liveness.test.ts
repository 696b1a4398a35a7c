/** Liveness (rule 2.8.6) on yaw sequences: a real turn both ways passes, a still photo does not. */
import { describe, expect, it } from 'vitest';
import {
  assessLiveness,
  INITIAL_LIVENESS,
  LIVENESS,
  livenessProgress,
  livenessPrompt,
  livenessReport,
  livenessStep,
  turnsPass,
  type LivenessSample,
} from './liveness';

/** One sample every 100 ms with these yaws (one face, descriptor not computed). */
const seq = (yaws: Array<number | null>, extra: Partial<LivenessSample> = {}): LivenessSample[] =>
  yaws.map((yawDeg, i) => ({ t: 1_000 + i * 100, faces: 1, yawDeg, similarity: null, ...extra }));

describe('liveness by head turn', () => {
  it('passes a turn to the left and then to the right, with prompts in that order', () => {
    let s = INITIAL_LIVENESS;
    expect(livenessPrompt(s)).toBe('look');
    const prompts: string[] = [];
    for (const sample of seq([0, 2, 6, 12, 20, 10, 0, -6, -12, -18, -5])) {
      s = livenessStep(s, sample);
      prompts.push(livenessPrompt(s));
    }
    expect(prompts.slice(0, 3)).toEqual(['left', 'left', 'left']);
    expect(prompts[4]).toBe('right');
    expect(prompts.at(-1)).toBe('done');
    expect(s.passed).toBe(true);
    expect(livenessProgress(s)).toBe(1);
    // It passed at -12° (both sides, a 32° swing) and stopped there.
    expect(livenessReport(s)).toMatchObject({ passed: true, method: 'turn', yawMinDeg: -12, yawMaxDeg: 20, durationMs: 800 });
  });

  it('passes the turns in the other order too', () => {
    expect(assessLiveness(seq([0, -15, -20, 0, 15, 18])).passed).toBe(true);
  });

  it('fails a still photo: the same yaw throughout, however long', () => {
    const still = assessLiveness(seq(Array.from({ length: 100 }, () => 14)));
    expect(still.passed).toBe(false);
    expect(still.left).toBe(true); // a frontal face read at +14° meets one side only
    expect(still.right).toBe(false);
    expect(livenessReport(still).passed).toBe(false);
  });

  it('fails a turn to one side only, and a swing too small', () => {
    expect(assessLiveness(seq([0, 10, 25, 30, 10])).passed).toBe(false);
    // Both sides touched, but only 16° between them (below minSwingDeg).
    expect(assessLiveness(seq([0, 8, 0, -8, 0])).passed).toBe(false);
    expect(turnsPass(-8, 8)).toBe(false);
    expect(turnsPass(-10, 10)).toBe(true);
  });

  it('fails when a second face appears, and stays failed', () => {
    const samples = seq([0, 15, 20]);
    samples.push({ t: 1_300, faces: 2, yawDeg: -15, similarity: null });
    samples.push(...seq([-20, -20]).map((x) => ({ ...x, t: x.t + 400 })));
    const s = assessLiveness(samples);
    expect(s.failure).toBe('several_faces');
    expect(s.passed).toBe(false);
  });

  it('fails when the turned face is another person (descriptor not similar)', () => {
    const samples = [...seq([0, 15, 20], { similarity: 0.85 }), ...seq([-20], { similarity: 0.3 }).map((x) => ({ ...x, t: 1_400 }))];
    expect(assessLiveness(samples).failure).toBe('face_changed');
  });

  it('tolerates a short gap without a face, fails a long one', () => {
    const short = [
      ...seq([0, 15]),
      { t: 1_200, faces: 0, yawDeg: null, similarity: null },
      ...seq([-15, -20]).map((x) => ({ ...x, t: x.t + 1_300 })),
    ];
    expect(assessLiveness(short).passed).toBe(true);
    const long = [
      ...seq([0, 15]),
      { t: 1_200, faces: 0, yawDeg: null, similarity: null },
      { t: 1_100 + LIVENESS.maxGapMs + 200, faces: 0, yawDeg: null, similarity: null },
    ];
    expect(assessLiveness(long).failure).toBe('face_lost');
  });

  it('on a slow machine, one frame without a face after a long wait between frames is not a lost face', () => {
    // Frames 2 s apart (a loaded laptop): the face was seen at 2 s, missed once at 4 s, seen again at 6 s.
    const slow: LivenessSample[] = [
      { t: 0, faces: 1, yawDeg: 0, similarity: null },
      { t: 2_000, faces: 1, yawDeg: 15, similarity: null },
      { t: 4_000, faces: 0, yawDeg: null, similarity: null },
      { t: 6_000, faces: 1, yawDeg: -15, similarity: null },
    ];
    const s = assessLiveness(slow);
    expect(s.failure).toBeNull();
    expect(s.passed).toBe(true);
    // Two misses 2 s apart are a face that left, however slowly the frames come.
    const gone = [...slow.slice(0, 3), { t: 6_000, faces: 0, yawDeg: null, similarity: null }];
    expect(assessLiveness(gone).failure).toBe('face_lost');
  });

  it('times out an attempt that never turns', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({ t: i * 1_000, faces: 1, yawDeg: 3, similarity: null }));
    expect(assessLiveness(samples).failure).toBe('timeout');
  });

  it('times out at the programme’s own limit (identityTurnSec), not before', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({ t: i * 1_000, faces: 1, yawDeg: 3, similarity: null }));
    const tenSeconds = { ...LIVENESS, maxDurationMs: 10_000 };
    expect(assessLiveness(samples.slice(0, 11), tenSeconds).failure).toBeNull();
    const ended = assessLiveness(samples, tenSeconds);
    expect(ended.failure).toBe('timeout');
    expect(ended.lastT).toBe(11_000);
  });

  it('waits for a face before the clock starts', () => {
    const s = assessLiveness([
      { t: 0, faces: 0, yawDeg: null, similarity: null },
      { t: 60_000, faces: 0, yawDeg: null, similarity: null },
    ]);
    expect(s.failure).toBeNull();
    expect(livenessPrompt(s)).toBe('look');
    expect(livenessProgress(s)).toBe(0);
  });
});
