import { describe, expect, it } from 'vitest';
import {
  centreMismatches,
  CLASSES,
  clearSecOf,
  episodes,
  falseViolations,
  scoreClass,
  scoreIdentity,
  scoreSamples,
  scoreUnexpected,
  type EvalReport,
  type LabelledFile,
  type LabelSegment,
} from './eval-score';

const seg = (start_s: number, end_s: number, over: Partial<LabelSegment>): LabelSegment => ({
  start_s,
  end_s,
  faces: 1,
  face_turned: false,
  speech: null,
  noise: null,
  phone: false,
  ...over,
});
/** 20 s: 0-5 one face, 5-10 nobody, 10-20 one face. */
const video: LabelledFile = { duration_s: 20, timeline: [seg(0, 5, {}), seg(5, 10, { faces: 0 }), seg(10, 20, {})] };
const absent = CLASSES.find((c) => c.type === 'face.absent')!;
const report = (incidents: EvalReport['incidents'], from = 0, to = 40): EvalReport => ({ window: { from, to }, samples: [], incidents });

describe('eval scoring against labelled timelines', () => {
  it('repeats the timeline as the fake device loops the file, and clips to the window', () => {
    expect(episodes(video, absent.positive, 0, 40)).toEqual([
      { start: 5, end: 10 },
      { start: 25, end: 30 },
    ]);
    expect(episodes(video, absent.positive, 7, 26)).toEqual([
      { start: 7, end: 10 },
      { start: 25, end: 26 },
    ]);
  });

  it('joins an episode that runs over the loop point into one', () => {
    const wrap: LabelledFile = { duration_s: 10, timeline: [seg(0, 2, { faces: 0 }), seg(2, 8, {}), seg(8, 10, { faces: 0 })] };
    expect(episodes(wrap, absent.positive, 0, 20)).toEqual([
      { start: 0, end: 2 },
      { start: 8, end: 12 },
      { start: 18, end: 20 },
    ]);
  });

  it('counts recall per episode, precision per incident, and false incidents per clean minute', () => {
    const score = scoreClass(
      absent,
      video,
      report([
        { type: 'face.absent', start: 5.1, end: 10.4, confidence: 0.9 }, // the first episode
        { type: 'face.absent', start: 15, end: 16, confidence: 0.7 }, // nobody was absent then
        { type: 'face.multiple', start: 26, end: 28, confidence: 0.8 }, // another class
      ]),
    );
    expect(score).toMatchObject({ episodes: 2, detected: 1, recall: 0.5, incidents: 2, correct: 1, precision: 0.5 });
    expect(score.cleanMinutes).toBeCloseTo(30 / 60);
    expect(score.falsePerCleanMinute).toBeCloseTo(2);
  });

  it('accepts an incident that opens just after its episode (the persistence window) but not long after', () => {
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 11, end: 12, confidence: 1 }], 0, 20)).detected).toBe(1);
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 13, end: 14, confidence: 1 }], 0, 20)).detected).toBe(0);
  });

  it('does not judge an episode that starts too late in the window to settle there (its persistence and the slack)', () => {
    // face.absent needs 3 s: an absence from 25 s in a window ending at 29.4 s cannot open in it; one ending at 29.6 s can.
    expect(scoreClass(absent, video, report([], 0, 29.4)).episodes).toBe(1);
    expect(scoreClass(absent, video, report([], 0, 29.6)).episodes).toBe(2);
  });

  it('does not judge the recall of an episode already going on when the window opened', () => {
    // The window opens at 7 s, inside the 5-10 s absence: only the 25-30 s one is judged.
    const s = scoreClass(absent, video, report([{ type: 'face.absent', start: 25.2, end: 30.5, confidence: 1 }], 7, 40));
    expect(s).toMatchObject({ episodes: 1, detected: 1, recall: 1 });
  });

  it('an incident still open at the end runs to the end of the window', () => {
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 26, end: null, confidence: 1 }])).correct).toBe(1);
  });

  it('scores an incident that stays open long past its episode as a false stretch, by the seconds it overran', () => {
    // An incident open from 6 s to the end of a 40 s window used to score precision 1.
    const open = scoreClass(absent, video, report([{ type: 'face.absent', start: 6, end: null, confidence: 1 }]));
    expect(open).toMatchObject({ correct: 1, precision: 1, falseStretches: 1 });
    // Allowed: the episode 5-10 s (and 25-30 s, which it also spans) widened by 1.5 s of slack before and clear + slack after.
    const clear = clearSecOf('face.absent');
    expect(clear).toBe(1);
    const allowedAfter6 = 10 + clear + 1.5 - 6 + (30 + clear + 1.5 - (25 - 1.5));
    expect(open.falseSeconds).toBeCloseTo(34 - allowedAfter6);
    expect(open.falseSecondsPerCleanMinute).toBeCloseTo(open.falseSeconds / (30 / 60));
    // Closing within the clear window and the slack is not a stretch; one second later is.
    expect(scoreClass(absent, video, report([{ type: 'face.absent', start: 8, end: 12.5, confidence: 1 }])).falseStretches).toBe(0);
    const late = scoreClass(absent, video, report([{ type: 'face.absent', start: 8, end: 13.5, confidence: 1 }]));
    expect(late.falseStretches).toBe(1);
    expect(late.falseSeconds).toBeCloseTo(1);
    // A false incident is all false seconds, and is not a stretch (it matched no episode).
    const wrong = scoreClass(absent, video, report([{ type: 'face.absent', start: 15, end: 17, confidence: 1 }]));
    expect(wrong).toMatchObject({ correct: 0, falseStretches: 0 });
    expect(wrong.falseSeconds).toBeCloseTo(2);
  });

  it('counts every incident type no class scores as false, with its seconds', () => {
    const r = report([
      { type: 'face.absent', start: 5, end: 9, confidence: 1 },
      { type: 'tech.model_failed', start: 3, end: 8, confidence: 1 },
      { type: 'object.book', start: 12, end: 14, confidence: 0.5 },
      { type: 'object.book', start: 30, end: null, confidence: 0.5 },
    ]);
    expect(scoreUnexpected(r)).toEqual([
      { type: 'object.book', incidents: 2, seconds: 12 },
      { type: 'tech.model_failed', incidents: 1, seconds: 5 },
    ]);
  });

  it('counts false violations per clean hour: violation types only, outside every labelled episode', () => {
    const r = report([
      { type: 'face.absent', start: 5.5, end: 10, confidence: 1 }, // the labelled absence: right
      { type: 'face.absent', start: 15, end: 17, confidence: 1 }, // nobody was absent: a false violation
      { type: 'head.away', start: 31, end: 35, confidence: 1 }, // no turned head labelled: a false violation
      { type: 'body.motion', start: 2, end: 4, confidence: 1 }, // not a violation (rule 13 does not count it)
    ]);
    const fv = falseViolations(r, video, null);
    expect(fv.count).toBe(2);
    // 40 s, of which 5-10 and 25-30 s are absences: 30 clean seconds.
    expect(fv.cleanMinutes).toBeCloseTo(0.5);
    expect(fv.perCleanHour).toBeCloseTo(240);
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
    expect(scoreSamples(r, video, audio, 0.6)).toEqual({
      faceSamples: 2,
      faceCountAccuracy: 0.5,
      speechSamples: 3,
      speechPrecision: 0.5,
      speechRecall: 0.5,
    });
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
    expect(same).toEqual({
      checks: 4,
      skipped: 1,
      similarity: { min: 0.79, median: 0.84, max: 0.88 },
      threshold: 0.6,
      verified: true,
      mismatchIncidents: 0,
    });
    const other = scoreIdentity(
      [
        { t: 1, similarity: 0.43, matched: false },
        { t: 11, similarity: 0.45, matched: false },
      ],
      [{ type: 'face.mismatch', start: 1, end: null, confidence: 1 }],
      0.6,
    );
    expect(other).toMatchObject({ verified: false, mismatchIncidents: 1, similarity: { min: 0.43, median: 0.43, max: 0.45 } });
    expect(scoreIdentity([{ t: 1, similarity: null, matched: null, skipped: 'several faces' }], [], 0.6)).toMatchObject({
      verified: false,
      similarity: null,
      skipped: 1,
    });
  });
});

describe('centreMismatches (face.mismatch is raised at the centre)', () => {
  it("reads one incident per run of mismatched checks that the centre closed with an incident id, from the run's first check", () => {
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
