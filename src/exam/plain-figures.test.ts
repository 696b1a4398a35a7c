import { describe, expect, it } from 'vitest';
import { translator } from '../ui/i18n/i18n';
import { CURRENT_CONSENT } from '../shared/consent';
import { consentEdition, soundLevel } from './plain-figures';

describe('plain figures for candidates', () => {
  it('sound as a level of 100, not dBFS', () => {
    expect([soundLevel(0), soundLevel(-30), soundLevel(-60), soundLevel(-90), soundLevel(Number.NEGATIVE_INFINITY), soundLevel(3)]).toEqual(
      [100, 50, 0, 0, 0, 100],
    );
    for (const lang of ['kk', 'ru', 'en'] as const) expect(translator(lang)('check.figure.microphone', { level: 50 })).not.toMatch(/dB|дБ/);
  });
  it('the consent text by its edition, not its internal id', () => {
    expect(consentEdition('appendix1-2023.1')).toBe('2023.1');
    const shown = translator('ru')('consent.version', { edition: consentEdition(CURRENT_CONSENT.version) });
    expect(shown).not.toContain(CURRENT_CONSENT.version);
  });
  it('a percentage in the result has a decimal comma in kk and ru', () => {
    expect(translator('ru')('result.score', { correct: 23, total: 30, percent: '76,7\u00a0%' })).toBe(
      'Правильных ответов: 23 из 30 (76,7\u00a0%)',
    );
  });
});
