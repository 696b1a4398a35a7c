import { describe, expect, it } from 'vitest';
import { centreMismatches, CLASSES, episodes, scoreClass, scoreIdentity, scoreSamples, type EvalReport, type LabelledFile, type LabelSegment } from './eval-score';

const seg = (start_s: number, end_s: number, over: Partial<LabelSegment>): LabelSegment => ({
  start_s, end_s, faces: 1, face_turned: false, speech: null, noise: null, phone: false, ...over,
});
/** 20 s: 0-5 one face, 5-10 nobody, 10-20 one face. */
const video: LabelledFile = { duration_s: 20, timeline: [seg(0, 5, {}), seg(5, 10, { faces: 0 }), seg(10, 20, {})] };
const absent = CLASSES.find((c) => c.type === 'face.absent')!;
const report = (incidents: EvalReport['incidents'], from = 0, to = 40): EvalReport => ({ window: { from, to }, samples: [], incidents });

describe('eval scoring against labelled timelines', () => {
  it('repeats the timeline as the fake device loops the file, and clips to the window', () => {
    expect(episodes(video, absent.positive, 0, 40)).toEqual([{ start: 5, end: 10 }, { start: 25, end: 30 }]);
    expect(episodes(video, absent.positive, 7, 26)).toEqual([{ start: 7, end: 10 }, { start: 25, end: 26 }]);
  });

  it('joins an episode that runs over the loop point into one', () => {
    const wrap: LabelledFile = { duration_s: 10, timeline: [seg(0, 2, { faces: 0 }), seg(2, 8, {}), seg(8, 10, { faces: 0 })] };
    expect(episodes(wrap, absent.positive, 0, 20)).toEqual([{ start: 0, end: 2 }, { start: 8, end: 12 }, { start: 18, end: 20 }]);
  });

  it('counts recall per episode, precision per incident, and false incidents per clean minute', () => {
    const score = scoreClass(absent, video, report([
      { type: 'face.absent', start: 5.1, end: 10.4, confidence: 0.9 }, // the first episode
      { type: 'face.absent', start: 15, end: 16, confidence: 0.7 }, // nobody was absent then
      { type: 'face.multiple', start: 26, end: 28, confidence: 0.8 }, // another class
    ]));
    expect(score).toMatchObject({ episodes: 2, detected: 1, recall: 0.5, incidents: 2, correct: 1, precision: 0.5 });
    expect(score.cleanMinutes).toBeCloseTo(30 / 60);
    expect(score.falsePerCleanMinute).toBeCloseTo(2);
  });

  it('accepts an incident that opens just after its episode (the persistence window) but not long after', () => {
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 11, end: 12, confidence: 1 }], 0, 20)).detected).toBe(1);
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 13, end: 14, confidence: 1 }], 0, 20)).detected).toBe(0);
  });

  it('an incident still open at the end runs to the end of the window', () => {
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 26, end: null, confidence: 1 }])).correct).toBe(1);
  });

  it('says nothing (null) where the labels do not speak to a class', () => {
    const speech = CLASSES.find((c) => c.type === 'audio.speech')!;
    const s = scoreClass(speech, video, report([]));
    expect(s.recall).toBeNull();
    expect(s.precision).toBeNull();
    expect(s.falsePerCleanMinute).toBeNull();
  });

  it('scores samples: face count accuracy away from cuts, speech precision and recall', () => {
    const audio: LabelledFile = { duration_s: 10, timeline: [seg(0, 5, { speech: false }), seg(5, 10, { speech: true })] };
    const r: EvalReport = {
      window: { from: 0, to: 10 },
      incidents: [],
      samples: [
        { t: 1, faces: 1, yawDeg: 0, pitchDeg: 0, speech: null, levelDb: null, objects: null },
        { t: 6, faces: 1, yawDeg: 0, pitchDeg: 0, speech: null, levelDb: null, objects: null }, // wrong: nobody there
        { t: 5.1, faces: 0, yawDeg: null, pitchDeg: null, speech: null, levelDb: null, objects: null }, // at a cut: skipped
        { t: 2, faces: null, yawDeg: null, pitchDeg: null, speech: 0.9, levelDb: -50, objects: null }, // false speech
        { t: 7, faces: null, yawDeg: null, pitchDeg: null, speech: 0.8, levelDb: -20, objects: null },
        { t: 8, faces: null, yawDeg: null, pitchDeg: null, speech: 0.1, levelDb: -20, objects: null }, // missed
      ],
    };
    expect(scoreSamples(r, video, audio, 0.6)).toEqual({ faceSamples: 2, faceCountAccuracy: 0.5, speechSamples: 3, speechPrecision: 0.5, speechRecall: 0.5 });
  });
});

describe('identity scores in the eval report (rule 2.8.6)', () => {
  it('summarises the similarity of the checks, the verdict and the face.mismatch incidents', () => {
    const same = scoreIdentity(
      [
        { t: 1, similarity: 0.84, matched: true },
        { t: 11, similarity: 0.79, matched: true },
        { t: 21, similarity: null, matched: null, skipped: 'no face' },
        { t: 31, similarity: 0.88, matched: true },
      ],
      [{ type: 'face.absent', start: 20, end: 22, confidence: 1 }],
      0.6,
    );
    expect(same).toEqual({ checks: 4, skipped: 1, similarity: { min: 0.79, median: 0.84, max: 0.88 }, threshold: 0.6, verified: true, mismatchIncidents: 0 });
    const other = scoreIdentity([{ t: 1, similarity: 0.43, matched: false }, { t: 11, similarity: 0.45, matched: false }], [{ type: 'face.mismatch', start: 1, end: null, confidence: 1 }], 0.6);
    expect(other).toMatchObject({ verified: false, mismatchIncidents: 1, similarity: { min: 0.43, median: 0.43, max: 0.45 } });
    expect(scoreIdentity([{ t: 1, similarity: null, matched: null, skipped: 'several faces' }], [], 0.6)).toMatchObject({ verified: false, similarity: null, skipped: 1 });
  });
});

describe('centreMismatches (issue 11: face.mismatch is raised at the centre)', () => {
  it('reads one incident per run of mismatched checks that the centre closed with an incident id, from the run\'s first check', () => {
    const checked = [
      { serverAt: 1_000, data: { matched: false } },
      { serverAt: 11_000, data: { matched: true } },
      { serverAt: 21_000, data: { matched: false } },
      { serverAt: 31_000, data: { matched: false, incidentId: 'identity-check-4' } },
      { serverAt: 41_000, data: { matched: false } },
    ];
    expect(centreMismatches(checked)).toEqual([{ type: 'face.mismatch', start: 21_000, end: 31_000, confidence: 1 }]);
    expect(centreMismatches(checked.slice(0, 2))).toEqual([]);
  });
});
