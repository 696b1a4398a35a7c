/**
 * Rules 10-11: what each accommodation changes, judged by the same rule 13 policy both the
 * browser and the centre run. Each row: an accommodation, a candidate's incidents, what rule 13 decides.
 */
import { describe, expect, it } from 'vitest';
import {
  accommodatedConfig,
  breakRefusal,
  excusedIncidents,
  extraTimeMs,
  hasAccommodations,
  NO_ACCOMMODATIONS,
  type Accommodations,
} from './accommodations';
import { accommodationsBodySchema, accommodationsSchema } from './accommodations-schema';
import type { Incident, IncidentType } from './incidents';
import { applyPolicy, INITIAL_POLICY, settledAt, type PolicyState } from './policy';
import { DEFAULT_PROCTORING } from './proctoring-config';

const T0 = 1_760_000_000_000;
const inc = (id: string, type: IncidentType, startSec: number, endSec: number | null = null): Incident => ({
  id,
  type,
  start: T0 + startSec * 1000,
  end: endSec === null ? null : T0 + endSec * 1000,
  confidence: 0.9,
  detail: {},
});
const judge = (a: Accommodations, incidents: Incident[]) => {
  const config = accommodatedConfig(DEFAULT_PROCTORING, a);
  let state: PolicyState = INITIAL_POLICY;
  const kinds: string[] = [];
  for (const i of incidents) {
    const r = applyPolicy(state, i, config, i.end ?? settledAt(i, config));
    state = r.state;
    kinds.push(r.decision.kind === 'none' ? `none:${r.decision.reason}` : r.decision.kind);
  }
  return { kinds, outcome: state.outcome };
};
const withA = (over: Partial<Accommodations>): Accommodations => ({ ...NO_ACCOMMODATIONS, ...over });

describe('rule 13 with accommodations (one table)', () => {
  const two = [inc('m1', 'face.multiple', 10), inc('m2', 'face.multiple', 100)];
  const speech = [inc('s1', 'audio.speech', 10), inc('s2', 'audio.speech', 100)];
  const away = [inc('h1', 'head.away', 10), inc('h2', 'head.away', 100)];
  const rows: Array<{ name: string; a: Accommodations; incidents: Incident[]; kinds: string[]; outcome: PolicyState['outcome'] }> = [
    {
      name: 'no accommodation: a second face warns, its repeat ends the exam',
      a: NO_ACCOMMODATIONS,
      incidents: two,
      kinds: ['warn', 'terminate'],
      outcome: 'terminated',
    },
    {
      name: 'an assistant allowed: a second face is never a violation',
      a: withA({ assistant: { name: 'Ахметова Д.' } }),
      incidents: two,
      kinds: ['none:not_violation', 'none:not_violation'],
      outcome: 'active',
    },
    {
      name: 'an assistant allowed: speech is never a violation',
      a: withA({ assistant: { name: 'Ахметова Д.' } }),
      incidents: speech,
      kinds: ['none:not_violation', 'none:not_violation'],
      outcome: 'active',
    },
    {
      name: 'an assistant allowed: a phone still warns',
      a: withA({ assistant: { name: 'Ахметова Д.' } }),
      incidents: [inc('p', 'object.phone', 10)],
      kinds: ['warn'],
      outcome: 'active',
    },
    {
      name: 'no accommodation: speech warns and ends',
      a: NO_ACCOMMODATIONS,
      incidents: speech,
      kinds: ['warn', 'terminate'],
      outcome: 'terminated',
    },
    {
      name: 'speech allowed (dictation): speech is not a violation',
      a: withA({ speech: true }),
      incidents: speech,
      kinds: ['none:not_violation', 'none:not_violation'],
      outcome: 'active',
    },
    {
      name: 'speech allowed: a second face still warns',
      a: withA({ speech: true }),
      incidents: two,
      kinds: ['warn', 'terminate'],
      outcome: 'terminated',
    },
    {
      name: 'no accommodation: head away warns and ends',
      a: NO_ACCOMMODATIONS,
      incidents: away,
      kinds: ['warn', 'terminate'],
      outcome: 'terminated',
    },
    {
      name: 'a screen reader allowed: head away is not a violation',
      a: withA({ screenReader: true }),
      incidents: away,
      kinds: ['none:not_violation', 'none:not_violation'],
      outcome: 'active',
    },
    {
      name: 'a screen reader allowed: leaving the place still warns',
      a: withA({ screenReader: true }),
      incidents: [inc('a', 'face.absent', 10)],
      kinds: ['warn'],
      outcome: 'active',
    },
    {
      name: 'extra time, large text, contrast, breaks: rule 13 unchanged',
      a: withA({ extraTime: { unit: 'percent', value: 50 }, largeText: true, highContrast: true, breaks: { count: 2, minutes: 10 } }),
      incidents: two,
      kinds: ['warn', 'terminate'],
      outcome: 'terminated',
    },
  ];
  it.each(rows)('$name', ({ a, incidents, kinds, outcome }) => {
    expect(judge(a, incidents)).toEqual({ kinds, outcome });
  });

  it('changes what is a violation, never what is detected: windows and detectors stay', () => {
    const config = accommodatedConfig(DEFAULT_PROCTORING, withA({ assistant: { name: 'X' }, screenReader: true }));
    expect(config.incidents['face.multiple']).toEqual({ ...DEFAULT_PROCTORING.incidents['face.multiple'], violation: false });
    expect(config.incidents['object.phone']).toEqual(DEFAULT_PROCTORING.incidents['object.phone']);
    expect(config.head).toBe(DEFAULT_PROCTORING.head);
    expect(config.audio).toBe(DEFAULT_PROCTORING.audio);
    expect(accommodatedConfig(DEFAULT_PROCTORING, NO_ACCOMMODATIONS)).toBe(DEFAULT_PROCTORING);
    expect(accommodatedConfig(DEFAULT_PROCTORING, null)).toBe(DEFAULT_PROCTORING);
    // The programme's own settings are not touched.
    expect(DEFAULT_PROCTORING.incidents['face.multiple'].violation).toBe(true);
  });

  it('the excused types, per accommodation', () => {
    expect(excusedIncidents(withA({ screenReader: true }))).toEqual(['head.away']);
    expect(excusedIncidents(withA({ assistant: { name: 'X' } }))).toEqual(['audio.speech', 'face.multiple']);
    expect(excusedIncidents(withA({ speech: true, assistant: { name: 'X' } }))).toEqual(['audio.speech', 'face.multiple']);
    expect(excusedIncidents(withA({ largeText: true, breaks: { count: 1, minutes: 5 } }))).toEqual([]);
  });
});

describe('extra time', () => {
  it.each([
    { extra: null, duration: 60, ms: 0 },
    { extra: { unit: 'minutes' as const, value: 30 }, duration: 60, ms: 30 * 60_000 },
    { extra: { unit: 'percent' as const, value: 50 }, duration: 60, ms: 30 * 60_000 },
    { extra: { unit: 'percent' as const, value: 25 }, duration: 45, ms: 12 * 60_000 }, // 11.25 → 12 whole minutes
    { extra: { unit: 'percent' as const, value: 100 }, duration: 90, ms: 90 * 60_000 },
  ])('$extra on $duration min: $ms ms', ({ extra, duration, ms }) => {
    expect(extraTimeMs(duration, withA({ extraTime: extra }))).toBe(ms);
  });
});

describe('what an admin may set', () => {
  it('accepts each accommodation within its bounds and refuses the rest', () => {
    expect(accommodationsSchema.safeParse(withA({ extraTime: { unit: 'percent', value: 100 } })).success).toBe(true);
    expect(accommodationsSchema.safeParse(withA({ extraTime: { unit: 'percent', value: 101 } })).success).toBe(false);
    expect(accommodationsSchema.safeParse(withA({ extraTime: { unit: 'minutes', value: 0 } })).success).toBe(false);
    expect(accommodationsSchema.safeParse(withA({ extraTime: { unit: 'hours', value: 1 } as never })).success).toBe(false);
    expect(accommodationsSchema.safeParse(withA({ assistant: { name: '  ' } })).success).toBe(false);
    expect(accommodationsSchema.safeParse(withA({ breaks: { count: 11, minutes: 5 } })).success).toBe(false);
    expect(accommodationsSchema.safeParse({ ...NO_ACCOMMODATIONS, extra: true }).success).toBe(false);
    expect(accommodationsBodySchema.safeParse({ accommodations: NO_ACCOMMODATIONS, reason: '' }).success).toBe(false);
    expect(
      accommodationsBodySchema.safeParse({ accommodations: NO_ACCOMMODATIONS, reason: 'Справка МСЭ № 12', document: null }).success,
    ).toBe(true);
  });
  it('knows when nothing is set', () => {
    expect(hasAccommodations(NO_ACCOMMODATIONS)).toBe(false);
    expect(hasAccommodations(null)).toBe(false);
    expect(hasAccommodations(withA({ highContrast: true }))).toBe(true);
  });
});

describe('breaks', () => {
  const running = { status: 'in_progress', paused: null, accommodations: withA({ breaks: { count: 2, minutes: 10 } }), taken: 0 };
  it.each([
    { name: 'allowed with breaks left', s: running, refusal: null },
    { name: 'the last one', s: { ...running, taken: 1 }, refusal: null },
    { name: 'all taken', s: { ...running, taken: 2 }, refusal: 'none_left' },
    { name: 'no breaks among the accommodations', s: { ...running, accommodations: withA({ largeText: true }) }, refusal: 'no_breaks' },
    { name: 'no accommodations', s: { ...running, accommodations: null }, refusal: 'no_breaks' },
    { name: 'already paused (a break or the proctor)', s: { ...running, paused: { reason: 'break' } }, refusal: 'paused' },
    { name: 'the exam is not running', s: { ...running, status: 'submitted' }, refusal: 'not_running' },
  ])('$name', ({ s, refusal }) => {
    expect(breakRefusal(s)).toBe(refusal);
  });
});
