/**
 * The persistence window on its own (DESIGN §3: an incident is raised only after its condition
 * held for its window, which kills single-frame flicker). Readings every 100 ms, written as
 * patterns: 'T' holds, 'F' does not, '.' no reading.
 */
import { describe, expect, it } from 'vitest';
import { ConditionWindow, type IncidentUpdate, type Reading, type WindowTiming } from './condition-window';
import { sequentialIds } from '../testing/proctoring-signals';

const HOLDS: Reading = { holds: true, confidence: 0.8, severity: 1, detail: { faces: 2 } };
const ABSENT: Reading = { holds: false, confidence: 0, severity: 0, detail: {} };
const FRAMES: WindowTiming = { afterMs: 3000, clearMs: 1000, bridgeMs: 500, staleMs: 2000 };
const STATE: WindowTiming = { afterMs: 5000, clearMs: 0, bridgeMs: 0, staleMs: Infinity };

type Seen = IncidentUpdate<string> & { at: number };

/** Feeds a pattern from `startMs`, one character per `stepMs`; returns every update with its time. */
function feed(window: ConditionWindow<string>, pattern: string, startMs = 0, stepMs = 100): Seen[] {
  const out: Seen[] = [];
  [...pattern.replace(/\s/g, '')].forEach((c, i) => {
    const t = startMs + i * stepMs;
    const updates = c === '.' ? window.expire(t) : window.observe(t, c === 'T' ? HOLDS : ABSENT);
    out.push(...updates.map((u) => ({ ...u, at: t })));
  });
  return out;
}

const make = (timing = FRAMES) => new ConditionWindow<string>('face.multiple', timing, sequentialIds());
const brief = (seen: Seen[]) => seen.map((u) => ({ kind: u.kind, at: u.at, start: u.incident.start, end: u.incident.end }));

describe('opening: the condition must persist for afterSec (rule 2.8 settled facts, not raw frames)', () => {
  const cases: Array<{ name: string; pattern: string; opensAt: number | null; start?: number }> = [
    {
      name: 'held exactly 3.0 s (31 readings from 0 to 3000 ms) opens on the reading at 3000',
      pattern: 'T'.repeat(31),
      opensAt: 3000,
      start: 0,
    },
    { name: 'held 2.9 s then gone: nothing, ever', pattern: 'T'.repeat(30) + 'F'.repeat(50), opensAt: null },
    { name: 'a single reading never opens anything', pattern: 'T' + 'F'.repeat(60), opensAt: null },
    {
      name: 'one missed reading in a long run is bridged; start stays at the beginning',
      pattern: 'T'.repeat(20) + 'F' + 'T'.repeat(15),
      opensAt: 3000,
      start: 0,
    },
    {
      name: 'four missed readings (0.4 s < bridge) are bridged too',
      pattern: 'T'.repeat(15) + 'FFFF' + 'T'.repeat(15),
      opensAt: 3000,
      start: 0,
    },
    {
      name: 'a 0.5 s gap restarts the window where the condition came back',
      pattern: 'T'.repeat(20) + 'FFFFF' + 'T'.repeat(31),
      opensAt: 5500,
      start: 2500,
    },
    { name: 'one-frame flicker every 0.6 s for a minute never opens', pattern: 'TFFFFF'.repeat(100), opensAt: null },
    { name: 'one frame in three for a minute never opens (contrary readings outnumber)', pattern: 'TFF'.repeat(200), opensAt: null },
    {
      name: 'flicker, then a solid run: start is where the solid run began',
      pattern: 'TFFFF'.repeat(10) + 'T'.repeat(31),
      opensAt: 8000,
      start: 5000,
    },
    { name: 'held on half the readings (alternating) counts as held', pattern: 'TF'.repeat(20), opensAt: 3000, start: 0 },
  ];
  it.each(cases)('$name', ({ pattern, opensAt, start }) => {
    const opens = feed(make(), pattern).filter((u) => u.kind === 'open');
    if (opensAt === null) return expect(opens).toEqual([]);
    expect(opens).toHaveLength(1);
    expect(opens[0]!.at).toBe(opensAt);
    expect(opens[0]!.incident).toMatchObject({ start, end: null, type: 'face.multiple', id: 'i1' });
  });

  it('afterSec 0 opens on the first reading', () => {
    const seen = feed(make({ ...FRAMES, afterMs: 0 }), 'T');
    expect(brief(seen)).toEqual([{ kind: 'open', at: 0, start: 0, end: null }]);
  });
});

describe('closing: hysteresis (clearSec), end = the first moment it was seen absent', () => {
  const open = 'T'.repeat(31); // opens at 3000
  const cases: Array<{ name: string; tail: string; closesAt: number | null; end?: number }> = [
    { name: 'absent 0.9 s then back: stays open', tail: 'F'.repeat(9) + 'T'.repeat(20), closesAt: null },
    { name: 'absent 1.0 s: closes, end = first absent reading', tail: 'F'.repeat(11), closesAt: 4100, end: 3100 },
    { name: 'a one-frame blip during the clearing does not keep it open', tail: 'FFFTFFFTFFFT' + 'F'.repeat(5), closesAt: 4100, end: 3100 },
    {
      name: 'a blip that catches up (as many holding as absent readings) cancels the clearing',
      tail: 'FFTT' + 'F'.repeat(9) + 'T',
      closesAt: null,
    },
  ];
  it.each(cases)('$name', ({ tail, closesAt, end }) => {
    const closes = feed(make(), open + tail).filter((u) => u.kind === 'close');
    if (closesAt === null) return expect(closes).toEqual([]);
    expect(brief(closes)).toEqual([{ kind: 'close', at: closesAt, start: 0, end }]);
    expect(closes[0]!.incident.id).toBe('i1');
  });

  it('after closing, a new occurrence is a new incident with a new id and its own start', () => {
    const seen = feed(make(), 'T'.repeat(31) + 'F'.repeat(11) + 'T'.repeat(31));
    expect(seen.map((u) => [u.kind, u.incident.id, u.incident.start, u.incident.end])).toEqual([
      ['open', 'i1', 0, null],
      ['close', 'i1', 0, 3100],
      ['open', 'i2', 4200, null],
    ]);
  });

  it('clearSec 0 closes on the first absent reading', () => {
    const seen = feed(make({ ...FRAMES, clearMs: 0 }), 'T'.repeat(31) + 'F');
    expect(brief(seen).at(-1)).toEqual({ kind: 'close', at: 3100, start: 0, end: 3100 });
  });
});

describe('time alone (expire): stale signals and state windows', () => {
  it('frames stop while open: closes once stale, end = the last reading', () => {
    const seen = feed(make(), 'T'.repeat(40) + '.'.repeat(30)); // last reading at 3900; stale after 2 s
    expect(brief(seen)).toEqual([
      { kind: 'open', at: 3000, start: 0, end: null },
      { kind: 'close', at: 6000, start: 0, end: 3900 },
    ]);
  });

  it('frames stop while pending: the window is dropped, never opened on data we do not have', () => {
    expect(feed(make(), 'T'.repeat(25) + '.'.repeat(60))).toEqual([]);
  });

  it('frames pause shorter than the stale time while pending: the next reading continues the window', () => {
    const seen = feed(make(), 'T'.repeat(10) + '.'.repeat(10) + 'T'.repeat(11));
    expect(brief(seen)).toEqual([{ kind: 'open', at: 3000, start: 0, end: null }]);
  });

  it('a state (focus lost) reported once opens on a tick when its window has passed, start = the report', () => {
    const w = make(STATE);
    expect(w.observe(1000, HOLDS)).toEqual([]);
    expect(w.expire(5900)).toEqual([]);
    const [opened] = w.expire(6000);
    expect(opened).toMatchObject({ kind: 'open', incident: { start: 1000, end: null } });
    expect(w.observe(9000, ABSENT)).toEqual([{ kind: 'close', incident: { ...opened!.incident, end: 9000 } }]);
  });

  it('a state that ends before its window passes raises nothing', () => {
    const w = make(STATE);
    w.observe(1000, HOLDS);
    expect(w.observe(5000, ABSENT)).toEqual([]);
    expect(w.expire(20_000)).toEqual([]);
  });

  it('time never runs backwards inside a window (a late reading is taken at the last time)', () => {
    const w = make({ ...FRAMES, afterMs: 1000 });
    w.observe(0, HOLDS);
    w.observe(1000, HOLDS);
    expect(w.incident?.start).toBe(0);
    expect(w.observe(500, ABSENT)).toEqual([]); // taken at 1000: absence starts there
    expect(w.observe(2000, ABSENT)[0]?.incident.end).toBe(1000);
  });
});

describe('closeAt (end of exam)', () => {
  it('an open incident ends now; a pending one is dropped; the window is reusable', () => {
    const w = make();
    feed(w, 'T'.repeat(35));
    expect(w.closeAt(3500)).toMatchObject([{ kind: 'close', incident: { start: 0, end: 3500 } }]);
    expect(w.incident).toBeNull();
    feed(w, 'T'.repeat(5), 20_000);
    expect(w.closeAt(21_000)).toEqual([]);
  });

  it('an incident already fading ends when it was first seen absent', () => {
    const w = make();
    feed(w, 'T'.repeat(31) + 'FFFF');
    expect(w.closeAt(3800)[0]?.incident.end).toBe(3100);
  });

  it('an incident whose signal went stale ends at its last reading', () => {
    const w = make();
    feed(w, 'T'.repeat(35));
    expect(w.closeAt(9000)[0]?.incident.end).toBe(3400);
  });
});

describe('confidence, detail and evidence come from the window', () => {
  it('confidence is the mean over the window; detail and evidence are those of the worst reading', () => {
    const w = make({ ...FRAMES, afterMs: 300 });
    w.observe(0, { holds: true, confidence: 0.6, severity: 2, detail: { faces: 2 } }, 'a');
    w.observe(100, { holds: true, confidence: 0.9, severity: 3, detail: { faces: 3 } }, 'b');
    w.observe(200, { holds: true, confidence: 0.6, severity: 3, detail: { faces: 3 } }, 'c'); // a tie keeps the earlier
    const [opened] = w.observe(300, { holds: true, confidence: 0.9, severity: 2, detail: { faces: 2 } }, 'd');
    expect(opened).toEqual({ kind: 'open', incident: expect.objectContaining({ confidence: 0.75, detail: { faces: 3 } }), evidence: 'b' });
  });

  it('a reading that came with evidence beats a worse one without; no evidence at all gives none', () => {
    const w = make({ ...FRAMES, afterMs: 200 });
    w.observe(0, { ...HOLDS, severity: 1 }, 'snap');
    w.observe(100, { ...HOLDS, severity: 9 });
    expect(w.observe(200, HOLDS)[0]).toMatchObject({ kind: 'open', evidence: 'snap' });
    const bare = make({ ...FRAMES, afterMs: 0 }).observe(0, HOLDS)[0]!;
    expect('evidence' in bare).toBe(false);
  });
});
