/**
 * IncidentTracker, camera conditions (rule 2.8.2 multiple faces, 2.8.6 the person, 2.8.7 head
 * and body movement, rule 12 forbidden objects) on realistic frame sequences: 15 fps unless a
 * test needs exact times (10 fps), pose on every 3rd frame, objects every 1.5 s.
 * Audio, environment, tech.low_fps and closeAll are in incident-tracker-env.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { IncidentTracker } from './incident-tracker';
import { DEFAULT_PROCTORING, resolveProctoring, type ProctoringConfig } from '../shared/proctoring-config';
import type { IncidentType } from '../shared/incidents';
import {
  face,
  frames,
  object,
  play,
  pose,
  sec,
  sequentialIds,
  ticks,
  type FramePatch,
  type Played,
  type Step,
} from '../testing/proctoring-signals';

const tracker = (config: ProctoringConfig = DEFAULT_PROCTORING) => new IncidentTracker<string>(config, sequentialIds());
const TWO_FACES: FramePatch = { faces: [face(0.93, 0.2), face(0.81, 0.7)] };
const NO_FACE: FramePatch = { faces: [], head: null };
const summary = (played: Played<string>[]) =>
  played.map((u) => ({ kind: u.kind, type: u.incident.type, at: sec(u.at), start: sec(u.incident.start), end: sec(u.incident.end) }));
const opened = (played: Played<string>[], type?: IncidentType) =>
  played.filter((u) => u.kind === 'open' && (!type || u.incident.type === type));

/** Normal frames, with `patch` applied from `fromSec` to `toSec`. */
const during = (fromSec: number, toSec: number, patch: FramePatch) => (s: number) => (s >= fromSec - 1e-9 && s < toSec - 1e-9 ? patch : {});

describe('no single-frame flicker, glance, cough or stray detection ever raises an incident', () => {
  const cases: Array<{ name: string; script: Step[] }> = [
    { name: 'face detector misses one frame every second for a minute', script: frames(0, 60, (_s, i) => (i % 15 === 7 ? NO_FACE : {})) },
    { name: 'a second face on one frame in six for a minute', script: frames(0, 60, (_s, i) => (i % 6 === 0 ? TWO_FACES : {})) },
    { name: 'a second face on two frames in five for a minute', script: frames(0, 60, (_s, i) => (i % 5 < 2 ? TWO_FACES : {})) },
    {
      name: 'a 1 s glance aside every 5 s (head.away needs 3 s)',
      script: frames(0, 60, (s) => (s % 5 < 1 ? { head: { yawDeg: 45, pitchDeg: 0, rollDeg: 0 } } : {})),
    },
    {
      name: 'landmark jitter: one frame at pitch -40 every half second',
      script: frames(0, 60, (_s, i) => (i % 7 === 3 ? { head: { yawDeg: 0, pitchDeg: -40, rollDeg: 0 } } : {})),
    },
    {
      name: 'a 2.5 s look down at the keyboard (pitch) every 10 s',
      script: frames(0, 60, (s) => (s % 10 < 2.5 ? { head: { yawDeg: 4, pitchDeg: -32, rollDeg: 0 } } : {})),
    },
    {
      name: 'a phone seen in one object analysis out of three',
      script: frames(0, 60, (_s, i) => (i % 22 === 0 ? { objects: i % 66 === 0 ? [object('object.phone', 0.7)] : [] } : {})),
    },
    {
      name: 'one pose frame in ten with no shoulders and no face',
      script: frames(0, 60, (_s, i) => (i % 30 === 0 ? { ...NO_FACE, pose: pose(0.5, 0.05) } : i % 3 === 0 ? { pose: pose() } : {})),
    },
  ];
  it.each(cases)('$name', ({ script }) => {
    expect(opened(play(tracker(), script, ticks(0, 62)))).toEqual([]);
  });
});

describe('exact persistence window; start = when the condition began; hysteresis on close (10 fps)', () => {
  const cases: Array<{ type: IncidentType; patch: FramePatch; afterSec: number; clearSec: number }> = [
    { type: 'face.absent', patch: NO_FACE, afterSec: 3, clearSec: 1 },
    { type: 'face.multiple', patch: TWO_FACES, afterSec: 2, clearSec: 1 },
    { type: 'head.away', patch: { head: { yawDeg: 45, pitchDeg: 0, rollDeg: 0 } }, afterSec: 3, clearSec: 1 },
    { type: 'head.away', patch: { head: { yawDeg: 5, pitchDeg: -35, rollDeg: 0 } }, afterSec: 3, clearSec: 1 }, // looking down at a phone
    // A full profile: the mesh gives no pose, the face detector's keypoints give the yaw (face-keypoints-yaw.ts).
    { type: 'head.away', patch: { head: { yawDeg: 84, pitchDeg: 0, rollDeg: 0, from: 'keypoints' } }, afterSec: 3, clearSec: 1 },
  ];

  it.each(cases)('$type: opens at start + $afterSec s, closes $clearSec s after it is gone', ({ type, patch, afterSec, clearSec }) => {
    const played = play(tracker(), frames(0, 25, during(10, 15, patch), { fps: 10 }));
    expect(summary(played)).toEqual([
      { kind: 'open', type, at: 10 + afterSec, start: 10, end: null },
      { kind: 'close', type, at: 15 + clearSec, start: 10, end: 15 },
    ]);
    expect(played[0]!.incident.id).toBe(played[1]!.incident.id);
  });

  it('a profile seen only by the keypoints says so in its evidence, without a pitch it did not measure', () => {
    const played = play(tracker(), frames(0, 25, during(10, 15, cases[4]!.patch), { fps: 10 }));
    expect(played[0]!.incident.detail).toEqual({ yawDeg: 84, poseFrom: 'keypoints' });
  });

  it.each(cases)('$type held 0.1 s less than its window never opens', ({ patch, afterSec }) => {
    expect(play(tracker(), frames(0, 25, during(10, 10 + afterSec, patch), { fps: 10 }))).toEqual([]);
  });

  it("a programme's longer window is honoured", () => {
    const config = resolveProctoring({ incidents: { 'face.multiple': { afterSec: 6 } } });
    expect(summary(opened(play(tracker(config), frames(0, 25, during(10, 15, TWO_FACES), { fps: 10 }))))).toEqual([]);
    expect(summary(opened(play(tracker(config), frames(0, 25, during(10, 17, TWO_FACES), { fps: 10 }))))[0]).toMatchObject({
      at: 16,
      start: 10,
    });
  });

  it('the second person steps out for 0.8 s: still one incident; out for good: closed 1 s later, end = first frame without', () => {
    const patch = (s: number) => ((s >= 10 && s < 20) || (s >= 20.8 && s < 30) ? TWO_FACES : {});
    expect(summary(play(tracker(), frames(0, 40, patch, { fps: 10 })))).toEqual([
      { kind: 'open', type: 'face.multiple', at: 12, start: 10, end: null },
      { kind: 'close', type: 'face.multiple', at: 31, start: 10, end: 30 },
    ]);
  });

  it('one missed frame in a long absence does not restart the window', () => {
    const patch = (s: number, i: number) => (s >= 10 && s < 20 && i !== 112 ? NO_FACE : {}); // frame 112 = 11.2 s sees a face
    expect(summary(opened(play(tracker(), frames(0, 20, patch, { fps: 10 }))))).toEqual([
      { kind: 'open', type: 'face.absent', at: 13, start: 10, end: null },
    ]);
  });

  it("faces under the programme's minimum score do not count", () => {
    const played = play(tracker(), frames(0, 20, during(5, 15, { faces: [face(0.95), face(0.4, 0.8)] })));
    expect(opened(played)).toEqual([]);
  });
});

describe('objects (rule 12): analysed every 1.5 s, the last analysis holds in between', () => {
  /** Analyses on every 15th frame at 10 fps; `objectsAt` says what each analysis found. */
  const analyses = (objectsAt: (s: number) => ReturnType<typeof object>[]) => (s: number, i: number) =>
    i % 15 === 0 ? { objects: objectsAt(s) } : {};
  const phoneBetween = (from: number, to: number, score = 0.62) =>
    analyses((s) => (s >= from - 1e-9 && s <= to + 1e-9 ? [object('object.phone', score)] : []));

  it('opens between analyses when the window passes (2 s after the first sighting), closes 3 s after an analysis without it', () => {
    const played = play(tracker(), frames(0, 25, phoneBetween(10.5, 15), { fps: 10, evidence: true }));
    expect(summary(played)).toEqual([
      { kind: 'open', type: 'object.phone', at: 12.5, start: 10.5, end: null },
      { kind: 'close', type: 'object.phone', at: 19.5, start: 10.5, end: 16.5 },
    ]);
    expect(played[0]!.incident).toMatchObject({ confidence: 0.62, detail: { score: 0.62 } });
  });

  it('a detection under objects.minScore is not a sighting', () => {
    expect(play(tracker(), frames(0, 25, phoneBetween(3, 20, 0.3), { fps: 10 }))).toEqual([]);
  });

  it('an allow-listed class never raises; other classes still do', () => {
    const config = resolveProctoring({ objects: { allow: ['object.phone'] } });
    const both = analyses((s) => (s >= 3 ? [object('object.phone', 0.9), object('object.book', 0.7)] : []));
    const types = opened(play(tracker(config), frames(0, 10, both, { fps: 10 }))).map((u) => u.incident.type);
    expect(types).toEqual(['object.book']);
  });

  it('when the object analysis stops, its last result does not hold for ever', () => {
    const stopped = (s: number, i: number) => (s < 14 ? phoneBetween(3, 14)(s, i) : {});
    const played = play(tracker(), frames(0, 30, stopped, { fps: 10 }));
    const closed = played.find((u) => u.kind === 'close');
    expect(closed?.incident.type).toBe('object.phone');
    expect(sec(closed!.incident.end)).toBeGreaterThan(13.5);
    expect(sec(closed!.incident.end)).toBeLessThanOrEqual(13.5 + 3.75); // the analysis at 13.5 holds 2.5 intervals
  });
});

describe('body (rule 2.8.7): pose on every 3rd frame', () => {
  const poseFrames = (patch: (s: number, k: number) => FramePatch) => (s: number, i: number) => (i % 3 === 0 ? patch(s, i / 3) : {});

  it('body.left: no shoulders and no face on pose frames for 5 s', () => {
    const left = poseFrames((s) => (s >= 10 && s < 20 ? { ...NO_FACE, pose: pose(0.5, 0.1) } : { pose: pose() }));
    const bodyLeft = opened(
      play(
        tracker(),
        frames(0, 20, (s, i) => ({ ...(s >= 10 && s < 20 ? NO_FACE : {}), ...left(s, i) })),
      ),
      'body.left',
    );
    expect(summary(bodyLeft)).toEqual([{ kind: 'open', type: 'body.left', at: 15, start: 10, end: null }]);
    expect(bodyLeft[0]!.incident).toMatchObject({ confidence: 0.9, detail: { shoulderScore: 0.1 } });
  });

  it('body.left is not raised while a face is seen (a torso out of frame is normal up close)', () => {
    const played = play(
      tracker(),
      frames(
        0,
        20,
        poseFrames(() => ({ pose: pose(0.5, 0.1) })),
      ),
    );
    expect(opened(played)).toEqual([]);
  });

  it('body.motion: shoulders swinging 5 widths/s for 6 s opens after 3 s; the incident ends at the last fast pair', () => {
    const swing = poseFrames((s, k) => ({ pose: pose(s >= 10 - 1e-9 && s < 16 - 1e-9 ? (k % 2 === 0 ? 0.35 : 0.65) : 0.5) }));
    const motion = play(tracker(), frames(0, 25, swing)).filter((u) => u.incident.type === 'body.motion');
    expect(summary(motion)).toEqual([
      { kind: 'open', type: 'body.motion', at: 13, start: 10, end: null },
      { kind: 'close', type: 'body.motion', at: 18.2, start: 10, end: 16.2 },
    ]);
    expect(motion[0]!.incident.detail).toEqual({ shoulderWidthsPerSec: 5 });
  });

  it('body.motion: a slow drift is not motion', () => {
    expect(
      play(
        tracker(),
        frames(
          0,
          30,
          poseFrames((s) => ({ pose: pose(0.3 + s * 0.01) })),
        ),
      ),
    ).toEqual([]);
  });
});

describe('evidence is the frame at the worst moment of the window; confidence and detail match', () => {
  const evidenceOf = (played: Played<string>[], type: IncidentType) => opened(played, type)[0] as Extract<Played<string>, { kind: 'open' }>;

  it('face.multiple: the frame with the most faces', () => {
    const patch = (s: number) =>
      s >= 10 && s < 15 ? (Math.abs(s - 11) < 1e-9 ? { faces: [face(0.9, 0.1), face(0.8, 0.4), face(0.7, 0.7)] } : TWO_FACES) : {};
    const open = evidenceOf(play(tracker(), frames(0, 15, patch, { fps: 10, evidence: true })), 'face.multiple');
    expect(open).toMatchObject({ evidence: 'ev@11.000', incident: { detail: { faces: 3 } } });
    expect(open.incident.confidence).toBeCloseTo(0.81, 2); // the second face's score on (almost) every frame
  });

  it('head.away: the frame furthest beyond the limit', () => {
    const yaw = (s: number) => (s >= 10 && s < 15 ? 50 - Math.abs(s - 12) * 5 : 0); // 40° at 10 s, 50° at 12 s, back to 40° at 14 s
    const open = evidenceOf(
      play(
        tracker(),
        frames(0, 15, (s) => ({ head: { yawDeg: yaw(s), pitchDeg: 0, rollDeg: 0 } }), { fps: 10, evidence: true }),
      ),
      'head.away',
    );
    expect(open).toMatchObject({ evidence: 'ev@12.000', incident: { detail: { yawDeg: 50, pitchDeg: 0 } } });
    expect([sec(open.at), sec(open.incident.start)]).toEqual([13, 10]);
  });

  it('objects: the analysis with the highest score', () => {
    const scores: Record<string, number> = { '10.5': 0.5, '12': 0.8 };
    const patch = (s: number, i: number) =>
      i % 15 === 0 ? { objects: scores[String(s)] ? [object('object.book', scores[String(s)]!)] : [] } : {};
    const open = evidenceOf(play(tracker(), frames(0, 14, patch, { fps: 10, evidence: true })), 'object.book');
    expect(open).toMatchObject({ evidence: 'ev@12.000', incident: { detail: { score: 0.8 } } });
    expect(sec(open.incident.start)).toBe(10.5);
    expect(open.incident.confidence).toBeCloseTo((15 * 0.5 + 6 * 0.8) / 21, 3);
  });

  it('face.absent: any frame will do, the first one is kept', () => {
    const open = evidenceOf(play(tracker(), frames(0, 15, during(10, 15, NO_FACE), { fps: 10, evidence: true })), 'face.absent');
    expect(open.evidence).toBe('ev@10.000');
  });
});
