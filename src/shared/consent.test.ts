import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UI_LANGUAGES } from './languages';
import { consentBody, CONSENT_TEXTS, CURRENT_CONSENT, findConsentText } from './consent';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('Appendix 1 consent texts', () => {
  it.each(CONSENT_TEXTS.flatMap((c) => UI_LANGUAGES.map((l) => [c.version, l, c] as const)))(
    '%s %s: the listed sha256 is the hash of the text',
    (_v, language, c) => {
      expect(c.sha256[language]).toBe(sha256(consentBody(c, language)));
    },
  );

  it('every version is listed once and the current one is listed', () => {
    expect(new Set(CONSENT_TEXTS.map((c) => c.version)).size).toBe(CONSENT_TEXTS.length);
    expect(CONSENT_TEXTS).toContain(CURRENT_CONSENT);
  });

  it('the Kazakh text carries the consent line of Appendix 1', () => {
    expect(consentBody(CURRENT_CONSENT, 'kk')).toContain('дербес деректерді өңдеуге келісемін');
    expect(consentBody(CURRENT_CONSENT, 'kk')).toContain('ҰБЖ цифрлық платформасында');
  });

  it('the three languages have the same number of paragraphs', () => {
    const counts = UI_LANGUAGES.map((l) => CURRENT_CONSENT.text[l].length);
    expect(new Set(counts).size).toBe(1);
  });

  it('finds a text only by its exact version, language and hash', () => {
    const { version } = CURRENT_CONSENT;
    expect(findConsentText(version, 'ru', CURRENT_CONSENT.sha256.ru)).toBe(CURRENT_CONSENT);
    expect(findConsentText(version, 'kk', CURRENT_CONSENT.sha256.ru)).toBeNull(); // the Russian hash for the Kazakh text
    expect(findConsentText('appendix1-1999.1', 'ru', CURRENT_CONSENT.sha256.ru)).toBeNull();
    expect(findConsentText(version, 'ru', sha256(consentBody(CURRENT_CONSENT, 'ru') + ' '))).toBeNull(); // one character more
  });
});
