import { describe, expect, it } from 'vitest';
import { percentile } from './percentile';

describe('percentile (nearest rank)', () => {
  it.each<[number[], number, number]>([
    [[5, 1, 4, 2, 3], 50, 3],
    [[5, 1, 4, 2, 3], 0, 1],
    [[5, 1, 4, 2, 3], 99, 5],
    [[5, 1, 4, 2, 3], 100, 5],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 99, 100],
    [[7], 50, 7],
  ])('%j at p%i → %i, whatever the order', (values, p, expected) => {
    const copy = [...values];
    expect(percentile(values, p)).toBe(expected);
    expect(values).toEqual(copy);
  });

  it('is NaN for no figures', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
