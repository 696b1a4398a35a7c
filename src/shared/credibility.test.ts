import { describe, expect, it } from 'vitest';
import { credibilityOf, incidentsOfLog, type CredibilityInput } from './credibility';

const inc = (id: string, type: CredibilityInput['incidents'][number]['type']) => ({ id, type });
const none: CredibilityInput = { incidents: [], reviews: [], verdict: null };

describe('credibilityOf', () => {
  it.each<[string, CredibilityInput, number]>([
    ['no incidents', none, 100],
    ['one phone, undecided', { ...none, incidents: [inc('a', 'object.phone')] }, 80],
    [
      'one phone, confirmed by the proctor',
      { ...none, incidents: [inc('a', 'object.phone')], reviews: [{ incidentId: 'a', decision: 'confirmed', at: 1 }] },
      70,
    ],
    [
      'one phone, dismissed by the proctor',
      { ...none, incidents: [inc('a', 'object.phone')], reviews: [{ incidentId: 'a', decision: 'dismissed', at: 1 }] },
      100,
    ],
    [
      'the later decision wins',
      {
        ...none,
        incidents: [inc('a', 'object.phone')],
        reviews: [
          { incidentId: 'a', decision: 'dismissed', at: 2 },
          { incidentId: 'a', decision: 'confirmed', at: 1 },
        ],
      },
      100,
    ],
    ['technical faults take nothing off', { ...none, incidents: [inc('a', 'tech.offline'), inc('b', 'tech.camera_lost')] }, 100],
    ['head turned twice and speech', { ...none, incidents: [inc('a', 'head.away'), inc('b', 'head.away'), inc('c', 'audio.speech')] }, 80],
    ['a repeated id counts once', { ...none, incidents: [inc('a', 'head.away'), inc('a', 'head.away')] }, 95],
    ['clamped at 0', { ...none, incidents: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => inc(id, 'face.mismatch')) }, 0],
    [
      'verdict "violation confirmed" confirms what it rests on',
      {
        incidents: [inc('a', 'object.phone'), inc('b', 'head.away')],
        reviews: [],
        verdict: { kind: 'violation_confirmed', incidentIds: ['a'] },
      },
      65,
    ],
    [
      'verdict "no violation" dismisses what no person confirmed',
      {
        incidents: [inc('a', 'object.phone'), inc('b', 'head.away')],
        reviews: [{ incidentId: 'b', decision: 'confirmed', at: 1 }],
        verdict: { kind: 'no_violation', incidentIds: [] },
      },
      93,
    ],
    [
      'overturned termination dismisses the incidents named',
      {
        incidents: [inc('a', 'face.multiple'), inc('b', 'face.multiple')],
        reviews: [],
        verdict: { kind: 'termination_overturned', incidentIds: ['b'] },
      },
      80,
    ],
  ])('%s → %i', (_what, input, score) => {
    expect(credibilityOf(input).score).toBe(score);
  });

  it('returns its parts, largest first, with the points that add up to what was taken off', () => {
    const c = credibilityOf({
      incidents: [inc('a', 'object.phone'), inc('b', 'head.away'), inc('c', 'head.away'), inc('d', 'tech.offline')],
      reviews: [{ incidentId: 'a', decision: 'confirmed', at: 1 }],
      verdict: null,
    });
    expect(c.parts).toEqual([
      { type: 'object.phone', decision: 'confirmed', count: 1, weight: 20, factor: 1.5, points: 30 },
      { type: 'head.away', decision: 'undecided', count: 2, weight: 5, factor: 1, points: 10 },
    ]);
    expect(c.score).toBe(100 - 30 - 10);
  });
});

describe('incidentsOfLog', () => {
  it('reads incident.open entries and room-scan objects, once per id, and skips anything else', () => {
    const events = [
      { type: 'incident.open', data: { incident: { id: 'inc-00001', type: 'head.away' } } },
      { type: 'incident.open', data: { incident: { id: 'inc-00001', type: 'head.away' } } },
      { type: 'incident.close', data: { incident: { id: 'inc-00001', type: 'head.away' } } },
      { type: 'room_scan.object', data: { id: 'scan-0001', incident: 'object.book' } },
      { type: 'incident.open', data: { incident: { id: 'x', type: 'no.such' } } },
      { type: 'answer.saved', data: {} },
    ];
    expect(incidentsOfLog(events)).toEqual([
      { id: 'inc-00001', type: 'head.away', technical: false },
      { id: 'scan-0001', type: 'object.book', technical: false },
    ]);
  });
});
