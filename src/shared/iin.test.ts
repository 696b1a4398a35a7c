import { describe, expect, it } from 'vitest';
import { iinCheckDigit, isValidIin } from './iin';

const VALID = '950315450012'; // the seeded demo candidate's IIN

/** Replace the check digit with each other digit. */
const withCheckDigit = (iin: string, d: number) => iin.slice(0, 11) + String(d);

describe('isValidIin (Appendix 1: 12-digit IIN)', () => {
  it('accepts a valid IIN', () => {
    expect(isValidIin(VALID)).toBe(true);
  });

  it('the check digit of the valid IIN is what iinCheckDigit computes', () => {
    expect(iinCheckDigit(VALID.slice(0, 11))).toBe(Number(VALID[11]));
  });

  it('rejects every wrong check digit', () => {
    const good = Number(VALID[11]);
    for (let d = 0; d <= 9; d++) {
      if (d !== good) expect(isValidIin(withCheckDigit(VALID, d)), `check digit ${d}`).toBe(false);
    }
  });

  it.each([
    ['11 digits', VALID.slice(0, 11)],
    ['13 digits', `${VALID}0`],
    ['letters', '95031545001A'],
    ['a space', '950315 50012'],
    ['empty', ''],
  ])('rejects %s', (_name, iin) => {
    expect(isValidIin(iin)).toBe(false);
  });

  /** The date part is wrong but the check digit fits the other 11 digits, so only the date check can reject it. */
  const withFittingCheckDigit = (yymmdd: string): string => {
    for (let serial = 45001; serial < 46000; serial++) {
      const first11 = `${yymmdd}${serial}`;
      const check = iinCheckDigit(first11);
      if (check !== null) return first11 + String(check);
    }
    throw new Error('no serial with a check digit');
  };

  it.each([
    ['month 13', '951315'],
    ['month 00', '950015'],
    ['day 00', '950300'],
    ['day 32', '950332'],
  ])('rejects %s even with a fitting check digit', (_name, yymmdd) => {
    const iin = withFittingCheckDigit(yymmdd);
    expect(iinCheckDigit(iin.slice(0, 11))).toBe(Number(iin[11]));
    expect(isValidIin(iin)).toBe(false);
  });

  it('accepts month 12 and day 31 with a fitting check digit', () => {
    expect(isValidIin(withFittingCheckDigit('951231'))).toBe(true);
  });
});

describe('iinCheckDigit', () => {
  // The two weight rounds, written out independently of the module, to search for prefixes.
  const w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  const round = (digits: number[], w: number[]) => digits.reduce((a, d, i) => a + d * w[i]!, 0) % 11;

  it('returns null for input that is not 11 digits', () => {
    expect(iinCheckDigit('9503154500')).toBeNull();
    expect(iinCheckDigit('950315450012')).toBeNull();
    expect(iinCheckDigit('95031545001')).not.toBeNull();
    expect(iinCheckDigit('9503154500a')).toBeNull();
  });

  it('uses the second weight round when the first gives 10', () => {
    // Search for a prefix whose first round gives 10 and second round does not.
    let found: string | null = null;
    for (let n = 0; n < 100_000 && !found; n++) {
      const prefix = `950315${String(n).padStart(5, '0')}`;
      const digits = [...prefix].map(Number);
      if (round(digits, w1) === 10 && round(digits, w2) !== 10) found = prefix;
    }
    expect(found).not.toBeNull();
    const digits = [...found!].map(Number);
    expect(iinCheckDigit(found!)).toBe(round(digits, w2));
    expect(isValidIin(found! + String(round(digits, w2)))).toBe(true);
  });

  it('returns null when both weight rounds give 10 (no valid IIN has that prefix)', () => {
    let found: string | null = null;
    for (let n = 0; n < 100_000 && !found; n++) {
      const prefix = `950315${String(n).padStart(5, '0')}`;
      const digits = [...prefix].map(Number);
      if (round(digits, w1) === 10 && round(digits, w2) === 10) found = prefix;
    }
    expect(found, 'a 10-10 prefix exists among 950315xxxxx').not.toBeNull();
    expect(iinCheckDigit(found!)).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidIin(found! + String(d)), `check digit ${d}`).toBe(false);
  });
});
