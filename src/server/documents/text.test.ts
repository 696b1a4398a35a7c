/** The documents' catalogue: both languages complete and in their own words, templates that agree. */
import { describe, expect, it } from 'vitest';
import { PASS_THRESHOLD_PERCENT } from '../../shared/scoring';
import { DOCUMENT_TEXT, fillTemplate, sayer } from './text';

const KAZAKH_ONLY = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const slots = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('document catalogue', () => {
  it('kk and ru have the same keys, and each template the same {slots}', () => {
    expect(Object.keys(DOCUMENT_TEXT.kk).sort()).toEqual(Object.keys(DOCUMENT_TEXT.ru).sort());
    for (const [key, ru] of Object.entries(DOCUMENT_TEXT.ru))
      expect(slots(DOCUMENT_TEXT.kk[key as keyof typeof DOCUMENT_TEXT.kk]), key).toEqual(slots(ru));
  });

  it('no English: Latin letters only in QR, SHA-256 and the slots', () => {
    for (const catalogue of [DOCUMENT_TEXT.kk, DOCUMENT_TEXT.ru]) {
      for (const [key, text] of Object.entries(catalogue)) {
        const latin = text.replace(/\{\w+\}/g, '').replace(/QR|SHA-256/g, '');
        expect(latin, key).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it('Russian has no Kazakh letters; Kazakh has them, and cites the Rules as "Қағидалардың N-тармағы"', () => {
    for (const [key, text] of Object.entries(DOCUMENT_TEXT.ru)) expect(text, key).not.toMatch(KAZAKH_ONLY);
    const kk = Object.values(DOCUMENT_TEXT.kk).join(' ');
    for (const letter of 'әғқңөұүі') expect(kk).toContain(letter);
    expect(sayer('kk')('rule', { rule: 12 })).toBe('Қағидалардың 12-тармағы');
    expect(sayer('ru')('rule', { rule: 12 })).toBe('пункт 12 Правил');
  });

  it('the threshold is spelled out as rule 15 says it: more than seventy per cent', () => {
    expect(PASS_THRESHOLD_PERCENT).toBe(70);
    expect(DOCUMENT_TEXT.ru['protocol.theory.ruleValue']).toContain('более семидесяти процентов');
    expect(DOCUMENT_TEXT.kk['protocol.theory.ruleValue']).toContain('жетпіс пайыздан астам');
  });

  it('a slot without a value is an error, not "{name}" on paper', () => {
    expect(() => fillTemplate('Акт № {act}', {})).toThrow(/\{act\}/);
    expect(fillTemplate('{a} и {a}', { a: 1 })).toBe('1 и 1');
  });

  it('a date ending in "г." or "ж." before a full stop prints one point', () => {
    expect(fillTemplate('Последний день: {date}.', { date: '21 января 2026\u00a0г.' })).toBe('Последний день: 21 января 2026\u00a0г.');
    expect(fillTemplate('Соңғы күні: {date}.', { date: '2026 ж. 15 қаңтар' })).toBe('Соңғы күні: 2026 ж. 15 қаңтар.');
  });
});
