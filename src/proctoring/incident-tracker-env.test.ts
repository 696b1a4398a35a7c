/**
 * IncidentTracker, the rest of the catalogue: audio (rule 2.8.1 noise level, speech), the
 * browser environment (rule 2.8.4 suspicious events, rule 12 second screen), technical
 * incidents (rule 11: camera, microphone, network, models, analysis rate), tick() settling
 * when signals stop, closeAll at the end of the exam, and determinism.
 */
import { describe, expect, it } from 'vitest';
import { IncidentTracker } from './incident-tracker';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { IncidentType } from '../shared/incidents';
import type { EnvSignal } from './signals';
import { at, audio, env, face, frames, play, sec, sequentialIds, ticks, type Played, type Step } from '../testing/proctoring-signals';

const tracker = () => new IncidentTracker<string>(DEFAULT_PROCTORING, sequentialIds());
const summary = (played: Played<string>[]) =>
  played.map((u) => ({ kind: u.kind, type: u.incident.type, at: sec(u.at), start: sec(u.incident.start), end: sec(u.incident.end) }));
const opened = (played: Played<string>[]) => played.filter((u) => u.kind === 'open');
const typesOpened = (played: Played<string>[]) => [...new Set(opened(played).map((u) => u.incident.type))];

describe('audio (rule 2.8.1): speech by voice activity, noise = loud non-speech, muted', () => {
  const QUIET = audio(0, 5, -60, 0.05);
  const cases: Array<{ name: string; script: Step[]; types: IncidentType[] }> = [
    { name: 'speech for 10 s', script: [...QUIET, ...audio(5, 15, -25, 0.9)], types: ['audio.speech'] },
    { name: 'loud non-speech (music, knocking) for 10 s', script: [...QUIET, ...audio(5, 15, -20, 0.1)], types: ['audio.noise'] },
    {
      name: 'VAD not ready: a loud sound is noise (the level is all we know)',
      script: [...QUIET, ...audio(5, 15, -20, null)],
      types: ['audio.noise'],
    },
    { name: 'VAD not ready and quiet: nothing', script: audio(0, 20, -60, null), types: [] },
    { name: 'a quiet room for a minute: nothing', script: audio(0, 60, -60, 0.05), types: [] },
    { name: 'digital silence for 12 s: muted (after 10 s)', script: [...QUIET, ...audio(5, 17, -100, 0)], types: ['audio.muted'] },
    { name: 'digital silence for 9 s: nothing', script: [...QUIET, ...audio(5, 14, -100, 0), ...audio(14, 20, -60, 0.05)], types: [] },
    {
      name: 'a 200 ms cough every 3 s: nothing',
      script: [0, 3, 6, 9, 12, 15].flatMap((s) => [...audio(s, s + 0.2, -25, 0.9), ...audio(s + 0.2, s + 3, -60, 0.05)]),
      types: [],
    },
  ];
  it.each(cases)('$name → $types', ({ script, types }) => {
    expect(typesOpened(play(tracker(), script, ticks(0, 20)))).toEqual(types);
  });

  it('speech with short pauses between words is one incident from the first word; detail and confidence from the VAD', () => {
    const talk = [5, 6, 7, 8].flatMap((s) => [...audio(s, s + 0.7, -25, 0.9), ...audio(s + 0.7, s + 1, -50, 0.1)]);
    const played = play(tracker(), [...QUIET, ...talk, ...audio(9, 15, -60, 0.05)]);
    expect(summary(played)).toEqual([
      { kind: 'open', type: 'audio.speech', at: 6.512, start: 5, end: null }, // the first buffer 1.5 s after 5.000
      { kind: 'close', type: 'audio.speech', at: 10.216, start: 5, end: 8.7 }, // the first buffer 1.5 s after the last word ended
    ]);
    expect(played[0]!.incident).toMatchObject({ confidence: 0.9, detail: { speechProbability: 0.9, levelDb: -25 } });
    expect('evidence' in played[0]!).toBe(false);
  });
});

describe('environment and devices: a state opens after its window, closes clearSec after it is over (end = when it was over)', () => {
  const cases: Array<{ off: EnvSignal; on: EnvSignal; type: IncidentType; opensAt: number }> = [
    { off: { t: at(10), kind: 'focus', on: false }, on: { t: at(30), kind: 'focus', on: true }, type: 'env.focus_lost', opensAt: 15 },
    {
      off: { t: at(10), kind: 'tab_visible', on: false },
      on: { t: at(30), kind: 'tab_visible', on: true },
      type: 'env.tab_hidden',
      opensAt: 12,
    },
    {
      off: { t: at(10), kind: 'fullscreen', on: false },
      on: { t: at(30), kind: 'fullscreen', on: true },
      type: 'env.fullscreen_exit',
      opensAt: 20,
    },
    { off: { t: at(10), kind: 'screens', count: 2 }, on: { t: at(30), kind: 'screens', count: 1 }, type: 'env.second_screen', opensAt: 10 },
    { off: { t: at(10), kind: 'camera', on: false }, on: { t: at(30), kind: 'camera', on: true }, type: 'tech.camera_lost', opensAt: 12 },
    {
      off: { t: at(10), kind: 'microphone', on: false },
      on: { t: at(30), kind: 'microphone', on: true },
      type: 'tech.mic_lost',
      opensAt: 12,
    },
    {
      off: { t: at(10), kind: 'network', online: false },
      on: { t: at(30), kind: 'network', online: true },
      type: 'tech.offline',
      opensAt: 15,
    },
  ];
  it.each(cases)('$type', ({ off, on, type, opensAt }) => {
    const played = play(tracker(), [env({ t: at(0), kind: 'screens', count: 1 }), env(off), env(on)], ticks(0, 40));
    expect(summary(played)).toEqual([
      { kind: 'open', type, at: opensAt, start: 10, end: null },
      { kind: 'close', type, at: 30 + DEFAULT_PROCTORING.incidents[type].clearSec, start: 10, end: 30 },
    ]);
  });

  it('a camera that comes back for half a second and drops again is still one incident (clearSec hysteresis)', () => {
    const flap = [false, true, false, true].map((on, i) => env({ t: at([10, 20, 20.5, 30][i]!), kind: 'camera', on }));
    const played = play(tracker(), flap, ticks(0, 40));
    expect(summary(played)).toEqual([
      { kind: 'open', type: 'tech.camera_lost', at: 12, start: 10, end: null },
      { kind: 'close', type: 'tech.camera_lost', at: 31, start: 10, end: 30 },
    ]);
  });

  it('focus lost for 4 s (window 5 s), twice: nothing', () => {
    const script = [4, 4, 4].flatMap((_, i) => [
      env({ t: at(10 * i), kind: 'focus', on: false }),
      env({ t: at(10 * i + 4), kind: 'focus', on: true }),
    ]);
    expect(play(tracker(), script, ticks(0, 40))).toEqual([]);
  });

  it.each([
    { signal: { t: at(7), kind: 'clipboard', action: 'paste' } as EnvSignal, type: 'env.clipboard', detail: { action: 'paste' } },
    {
      signal: { t: at(7), kind: 'virtual_camera', label: 'OBS Virtual Camera' } as EnvSignal,
      type: 'env.virtual_camera',
      detail: { label: 'OBS Virtual Camera' },
    },
  ])('$type is a point event: opened and closed at once', ({ signal, type, detail }) => {
    const t = tracker();
    const updates = t.env(signal);
    expect(updates).toEqual([
      { kind: 'open', incident: { id: 'i1', type, start: at(7), end: null, confidence: 1, detail } },
      { kind: 'close', incident: { id: 'i1', type, start: at(7), end: at(7), confidence: 1, detail } },
    ]);
    expect(t.open()).toEqual([]);
  });

  it('tech.model_failed lasts until a frame shows that model working again', () => {
    const failed = env({ t: at(10), kind: 'model_failed', model: 'objects', message: 'centernet: out of memory' });
    const script = frames(0, 30, (s) => (s >= 20 ? { ms: { total: 180, faces: 8, objects: 150 } } : {}));
    const played = play(tracker(), script, [failed]).filter((u) => u.incident.type === 'tech.model_failed');
    expect(summary(played)).toEqual([
      { kind: 'open', type: 'tech.model_failed', at: 10, start: 10, end: null },
      { kind: 'close', type: 'tech.model_failed', at: 20, start: 10, end: 20 },
    ]);
    expect(played[0]!.incident.detail).toEqual({ model: 'objects', message: 'centernet: out of memory' });
  });

  it('a failed model that no signal shows working stays open (a long one suspends the exam, rule 11)', () => {
    const t = tracker();
    play(t, frames(0, 30), [env({ t: at(10), kind: 'model_failed', model: 'objects', message: 'x' })], ticks(0, 30));
    expect(t.open().map((i) => i.type)).toEqual(['tech.model_failed']);
  });
});

describe('tech.low_fps (rule 11): analysed frames per second over a sliding 5 s window', () => {
  const lowFps = (played: Played<string>[]) => played.filter((u) => u.incident.type === 'tech.low_fps');

  it('15 fps for a minute: never', () => {
    expect(play(tracker(), frames(0, 60), ticks(0, 60))).toEqual([]);
  });

  it('2 fps from the start: measured only once frames ran 5 s, opens 10 s later', () => {
    const played = lowFps(play(tracker(), frames(0, 30, {}, { fps: 2 }), ticks(0, 30)));
    expect(summary(played)).toEqual([{ kind: 'open', type: 'tech.low_fps', at: 15, start: 5, end: null }]);
    expect(played[0]!.incident.detail).toEqual({ fps: 2 });
  });

  it('drops from 15 to 2 fps at 10 s and recovers at 40 s: one incident over the slow stretch', () => {
    const played = lowFps(play(tracker(), frames(0, 10), frames(10, 40, {}, { fps: 2 }), frames(40, 60), ticks(0, 60)));
    expect(played.map((u) => u.kind)).toEqual(['open', 'close']);
    const { start, end } = played[1]!.incident;
    expect(sec(start)).toBeGreaterThan(14.5); // the 5 s average falls under 3 fps about 4.6 s after the drop
    expect(sec(start)).toBeLessThanOrEqual(15);
    expect(sec(played[0]!.at)! - sec(start)!).toBeCloseTo(10, 0);
    expect(sec(end)).toBeGreaterThan(40);
    expect(sec(end)).toBeLessThan(41);
  });

  it('not raised while the tab is hidden (the browser throttles it) or the camera is reported lost', () => {
    const hidden = [env({ t: at(8), kind: 'tab_visible', on: false }), env({ t: at(50), kind: 'tab_visible', on: true })];
    expect(lowFps(play(tracker(), frames(0, 10), frames(10, 50, {}, { fps: 1 }), hidden, ticks(0, 50)))).toEqual([]);
    const camera = [env({ t: at(10), kind: 'camera', on: false })];
    expect(lowFps(play(tracker(), frames(0, 10), camera, ticks(0, 50)))).toEqual([]);
  });

  it('frames stop with no report at all: the analysis stalled, low_fps is raised', () => {
    expect(typesOpened(play(tracker(), frames(0, 10), ticks(0, 30)))).toEqual(['tech.low_fps']);
  });
});

describe('tick() settles windows when signals stop', () => {
  const TWO = { faces: [face(0.9, 0.2), face(0.85, 0.7)] };

  it('frames stop while an incident is open: it closes on a tick, end = the last frame', () => {
    const played = play(
      tracker(),
      frames(0, 20, (s) => (s >= 10 ? TWO : {}), { fps: 10 }),
      ticks(0, 25),
    );
    expect(summary(played.filter((u) => u.incident.type === 'face.multiple'))).toEqual([
      { kind: 'open', type: 'face.multiple', at: 12, start: 10, end: null },
      { kind: 'close', type: 'face.multiple', at: 22, start: 10, end: 19.9 }, // stale 2 s after the last frame
    ]);
  });

  it('frames stop while a condition is pending: nothing is settled on frames we did not get', () => {
    const played = play(
      tracker(),
      frames(0, 12, (s) => (s >= 10 ? { faces: [], head: null } : {})),
      ticks(0, 30),
    );
    expect(typesOpened(played)).toEqual(['tech.low_fps']);
  });
});

describe('closeAll (end of the exam)', () => {
  it('closes what is open at `now`, drops what is pending, and leaves nothing open', () => {
    const t = tracker();
    const script = [
      ...frames(0, 20, (s) => (s >= 10 ? { faces: [face(0.9, 0.2), face(0.85, 0.7)] } : {})),
      env({ t: at(12), kind: 'tab_visible', on: false }),
      env({ t: at(19), kind: 'focus', on: false }), // pending: 1 s of a 5 s window
    ];
    play(t, script, ticks(0, 20));
    expect(t.open().map((i) => i.type)).toEqual(['face.multiple', 'env.tab_hidden']);
    const closed = t.closeAll(at(20));
    expect(closed.map((u) => [u.kind, u.incident.type, sec(u.incident.start), sec(u.incident.end)])).toEqual([
      ['close', 'face.multiple', 10, 20],
      ['close', 'env.tab_hidden', 12, 20],
    ]);
    expect(t.open()).toEqual([]);
    expect(t.tick(at(40))).toEqual([]);
  });
});

describe('determinism: the same signals give the same incidents', () => {
  it('a mixed 60 s session played twice', () => {
    const session = (): Step[] => [
      ...frames(0, 60, (s, i) => ({
        faces: s > 20 && s < 26 ? [] : [face()],
        head: s > 40 && s < 45 ? { yawDeg: 5, pitchDeg: -40, rollDeg: 0 } : { yawDeg: 1, pitchDeg: 0, rollDeg: 0 },
        objects:
          i % 22 === 0 ? (s > 30 && s < 36 ? [{ type: 'object.phone', score: 0.7, box: { x: 0, y: 0, w: 0.1, h: 0.1 } }] : []) : null,
      })),
      ...audio(10, 14, -25, 0.9),
      env({ t: at(50), kind: 'focus', on: false }),
      env({ t: at(57), kind: 'focus', on: true }),
      ...ticks(0, 60),
    ];
    const first = play(tracker(), session());
    expect(first).toEqual(play(tracker(), session()));
    expect(typesOpened(first)).toEqual(['audio.speech', 'face.absent', 'object.phone', 'head.away', 'env.focus_lost']);
  });
});
