import { describe, expect, it } from 'vitest';
import { IDENTITY_FAILURE_TEXT, IDENTITY_FAILURES } from '../shared/identity-failures';
import { describeEvent } from './event-text';
import { translator } from './i18n/i18n';

describe('event text', () => {
  it('a failed identity attempt says why in the reader’s language, never the log’s English sentence', () => {
    for (const language of ['kk', 'ru'] as const) {
      const t = translator(language);
      for (const code of IDENTITY_FAILURES) {
        const text = describeEvent(t, { type: 'identity.failed', data: { reason: IDENTITY_FAILURE_TEXT[code], reasonCode: code, similarity: 0.31 } });
        expect(text).not.toContain(IDENTITY_FAILURE_TEXT[code]);
        expect(text, `${language} ${code}`).not.toMatch(/\b(?:the|face|match|photos?)\b/i);
      }
      // An entry from before the codes: a plain general reason, not the English one.
      const old = describeEvent(t, { type: 'identity.failed', data: { reason: 'face does not match the reference', similarity: 0.2 } });
      expect(old).not.toContain('face does not match');
    }
    expect(describeEvent(translator('en'), { type: 'identity.failed', data: { reasonCode: 'no_turn' } })).toContain('turned both ways');
  });
});
