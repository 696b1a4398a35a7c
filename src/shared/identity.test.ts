/** Identity (rule 2.8.6): the comparison, the liveness verdict the centre re-checks, and what the proctor is shown. */
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, IDENTITY_THRESHOLD, roundSimilarity, SAME_FACE_THRESHOLD, turnsPass } from './identity';
import { eventLevel } from './protocol';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite, whatever the length', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity(new Float32Array([3, 4]), [4, 3])).toBeCloseTo(24 / 25, 6);
  });

  it('is 0 for an all-zero descriptor and refuses descriptors of different lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/length/);
  });

  it('rounds to 4 decimals for logs', () => {
    expect(roundSimilarity(0.849_449)).toBe(0.8494);
  });

  it('has thresholds between the measured impostor and genuine figures', () => {
    expect(IDENTITY_THRESHOLD).toBeGreaterThan(0.47); // the most similar other person measured
    expect(IDENTITY_THRESHOLD).toBeLessThan(0.71); // the least similar frame of the same person
    expect(SAME_FACE_THRESHOLD).toBeLessThan(IDENTITY_THRESHOLD);
  });
});

describe('turnsPass', () => {
  it.each([
    [-14, 20, true],
    [-8, 12, true],
    [-8, 8, false], // both sides, but a 16° swing
    [5, 30, false], // one side only
    [-30, -5, false],
    [null, 20, false],
  ])('yaw %s..%s → %s', (min, max, pass) => {
    expect(turnsPass(min, max)).toBe(pass);
  });
});

describe('what the proctor is shown (eventLevel)', () => {
  it('marks failed checks and mismatched re-checks for attention', () => {
    expect(eventLevel('identity.failed', { reason: 'liveness not passed' })).toBe('incident');
    expect(eventLevel('identity.verified', { reference: 'enrolled', enrolled: true })).toBe('info');
    expect(eventLevel('identity.verified', { reference: 'file', similarity: 0.84 })).toBe('info');
    expect(eventLevel('identity.checked', { matched: false, similarity: 0.43 })).toBe('incident');
    expect(eventLevel('identity.checked', { matched: true, similarity: 0.84 })).toBe('info');
  });
});
