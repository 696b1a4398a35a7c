/**
 * A qualification programme's proctoring settings (rule 2: the programme decides the tools and
 * methods; rule 12: it may allow listed devices; rule 13: which incidents are violations;
 * rule 11: technical faults are never violations).
 */
import { describe, expect, it } from 'vitest';
import { isViolation } from './policy';
import { DEFAULT_PROCTORING, proctoringConfigSchema, resolveProctoring } from './proctoring-config';
import { INCIDENT_TYPES, INCIDENTS, type IncidentType } from './incidents';

const TECHNICAL = INCIDENT_TYPES.filter((t) => INCIDENTS[t].technical);

describe('the defaults', () => {
  it('validate against the schema and are what an empty programme gets', () => {
    expect(proctoringConfigSchema.parse(DEFAULT_PROCTORING)).toEqual(DEFAULT_PROCTORING);
    for (const empty of [undefined, {}, null]) expect(resolveProctoring(empty)).toEqual(DEFAULT_PROCTORING);
  });

  it('have a rule for every incident type, and technical ones are not violations (rule 11)', () => {
    expect(Object.keys(DEFAULT_PROCTORING.incidents).sort()).toEqual([...INCIDENT_TYPES].sort());
    for (const type of TECHNICAL) expect(DEFAULT_PROCTORING.incidents[type].violation, type).toBe(false);
  });

  it('give every camera and audio condition a persistence window, so one frame never raises an incident', () => {
    const sensed = INCIDENT_TYPES.filter((t) => ['face', 'head', 'body', 'audio', 'object'].includes(INCIDENTS[t].group));
    for (const type of sensed) expect(DEFAULT_PROCTORING.incidents[type].afterSec, type).toBeGreaterThanOrEqual(1);
  });

  it("are not shared with the resolved settings (mutating one programme's settings changes nothing else)", () => {
    const before = JSON.stringify(DEFAULT_PROCTORING);
    const config = resolveProctoring({});
    config.objects.allow.push('object.phone');
    config.incidents['face.absent'].afterSec = 99;
    config.head.maxYawDeg = 80;
    expect(JSON.stringify(DEFAULT_PROCTORING)).toBe(before);
    expect(resolveProctoring({})).toEqual(DEFAULT_PROCTORING);
  });
});

describe('overrides merge over the defaults', () => {
  it('one field of one section', () => {
    const config = resolveProctoring({ head: { maxYawDeg: 40 } });
    expect(config.head).toEqual({ maxYawDeg: 40, maxPitchDeg: DEFAULT_PROCTORING.head.maxPitchDeg });
    expect({ ...config, head: DEFAULT_PROCTORING.head }).toEqual(DEFAULT_PROCTORING);
  });

  it('one field of one incident rule; the other rules are untouched', () => {
    const config = resolveProctoring({ incidents: { 'face.absent': { afterSec: 5 } } });
    expect(config.incidents['face.absent']).toEqual({ ...DEFAULT_PROCTORING.incidents['face.absent'], afterSec: 5 });
    expect({ ...config.incidents, 'face.absent': DEFAULT_PROCTORING.incidents['face.absent'] }).toEqual(DEFAULT_PROCTORING.incidents);
  });

  it('top-level numbers, observe mode and the allow-list (which replaces, not appends)', () => {
    const config = resolveProctoring({ warningGraceSec: 30, technicalFaultSec: 300, observe: true, objects: { allow: ['object.book'] } });
    expect(config).toMatchObject({ warningGraceSec: 30, technicalFaultSec: 300, observe: true });
    expect(config.objects).toEqual({ ...DEFAULT_PROCTORING.objects, allow: ['object.book'] });
  });

  it('one step before the exam switched off, the others stay on; all are on by default', () => {
    expect(DEFAULT_PROCTORING.steps).toEqual({ systemCheck: true, identity: true, roomScan: true });
    expect(resolveProctoring({ steps: { roomScan: false } }).steps).toEqual({ systemCheck: true, identity: true, roomScan: false });
  });

  it('boundary values are accepted', () => {
    expect(() => resolveProctoring({ face: { minScore: 0.99 }, incidents: { 'head.away': { afterSec: 0, clearSec: 600 } } })).not.toThrow();
    expect(resolveProctoring({ identityTurnSec: 5, recordingChunkSec: 1 })).toMatchObject({ identityTurnSec: 5, recordingChunkSec: 1 });
    expect(resolveProctoring({ identityTurnSec: 120, recordingChunkSec: 10 })).toMatchObject({
      identityTurnSec: 120,
      recordingChunkSec: 10,
    });
  });
});

describe('bad overrides are refused with an error naming the setting', () => {
  const cases: Array<{ name: string; overrides: unknown; names: RegExp }> = [
    { name: 'unknown top-level key', overrides: { maxFaces: 2 }, names: /maxFaces/ },
    { name: 'unknown key in a section', overrides: { face: { maxFaces: 2 } }, names: /face.*maxFaces/ },
    { name: 'out-of-range number', overrides: { face: { minScore: 5 } }, names: /face\.minScore/ },
    { name: 'negative window', overrides: { incidents: { 'face.absent': { afterSec: -1 } } }, names: /incidents\.face\.absent\.afterSec/ },
    {
      name: 'window over 10 minutes',
      overrides: { incidents: { 'object.phone': { clearSec: 601 } } },
      names: /incidents\.object\.phone\.clearSec/,
    },
    { name: 'wrong type', overrides: { head: { maxYawDeg: 'wide' } }, names: /head\.maxYawDeg/ },
    { name: 'analysis rate 0', overrides: { analysisFps: 0 }, names: /analysisFps/ },
    { name: 'pose on every 1.5th frame', overrides: { body: { everyNthFrame: 1.5 } }, names: /body\.everyNthFrame/ },
    { name: 'unknown incident type', overrides: { incidents: { 'object.pager': { afterSec: 1 } } }, names: /object\.pager/ },
    { name: 'unknown key in an incident rule', overrides: { incidents: { 'face.absent': { after: 3 } } }, names: /face\.absent.*after/ },
    {
      name: 'a non-object class in the allow-list',
      overrides: { objects: { allow: ['env.focus_lost'] } },
      names: /objects\.allow.*not an object class/,
    },
    { name: 'a misspelt class in the allow-list', overrides: { objects: { allow: ['object.phne'] } }, names: /objects\.allow/ },
    { name: 'grace period over 5 minutes', overrides: { warningGraceSec: 301 }, names: /warningGraceSec/ },
    { name: 'a head turn allowed under 5 s', overrides: { identityTurnSec: 4 }, names: /identityTurnSec/ },
    { name: 'recording chunks over 10 s', overrides: { recordingChunkSec: 11 }, names: /recordingChunkSec/ },
    { name: 'recording chunks under 1 s', overrides: { recordingChunkSec: 0.5 }, names: /recordingChunkSec/ },
    { name: 'consent is not a switch (Appendix 1)', overrides: { steps: { consent: false } }, names: /steps.*consent/ },
    { name: 'a step switch that is not a boolean', overrides: { steps: { identity: 'no' } }, names: /steps\.identity/ },
    { name: 'not an object at all', overrides: 'strict', names: /expected object/ },
  ];
  it.each(cases)('$name', ({ overrides, names }) => {
    expect(() => resolveProctoring(overrides)).toThrow(/^proctoring settings: /);
    expect(() => resolveProctoring(overrides)).toThrow(names);
  });
});

describe('technical incidents are forced to non-violations (rule 11), whatever a programme says', () => {
  it.each(TECHNICAL)('%s', (type) => {
    const config = resolveProctoring({ incidents: { [type]: { violation: true, afterSec: 7 } } });
    expect(config.incidents[type]).toEqual({ ...DEFAULT_PROCTORING.incidents[type], afterSec: 7, violation: false });
    expect(isViolation(config, type)).toBe(false);
  });

  it('isViolation says no for a technical type even in hand-built settings', () => {
    const handBuilt = {
      ...DEFAULT_PROCTORING,
      incidents: { ...DEFAULT_PROCTORING.incidents, 'tech.offline': { afterSec: 5, clearSec: 1, violation: true } },
    };
    expect(isViolation(handBuilt, 'tech.offline')).toBe(false);
  });
});

describe('isViolation', () => {
  const allowPhone = resolveProctoring({ objects: { allow: ['object.phone'] } });
  const noiseCounts = resolveProctoring({ incidents: { 'audio.noise': { violation: true } } });
  const observe = resolveProctoring({ observe: true });
  const cases: Array<[name: string, config: typeof DEFAULT_PROCTORING, type: IncidentType, expected: boolean]> = [
    ['a phone by default (rule 12)', DEFAULT_PROCTORING, 'object.phone', true],
    ['a phone the programme allows', allowPhone, 'object.phone', false],
    ['a book when only the phone is allowed', allowPhone, 'object.book', true],
    ['noise by default', DEFAULT_PROCTORING, 'audio.noise', false],
    ['noise when the programme counts it', noiseCounts, 'audio.noise', true],
    ['a second face by default', DEFAULT_PROCTORING, 'face.multiple', true],
    ['a remote control by default (not a rule-12 device)', DEFAULT_PROCTORING, 'object.remote', false],
    ['anything in observe mode', observe, 'face.multiple', false],
  ];
  it.each(cases)('%s → %s', (_name, config, type, expected) => {
    expect(isViolation(config, type)).toBe(expected);
  });
});
