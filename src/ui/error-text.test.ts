import { describe, expect, it } from 'vitest';
import { translator } from './i18n/i18n';
import { errorCodeText } from './error-text';

describe("refusals in the reader's language", () => {
  it('a code becomes words of the catalogue; an unknown code a plain "did not work"; never the English message', () => {
    const ru = translator('ru');
    expect(errorCodeText(ru, 'forbidden')).toBe(ru('cr.error.forbidden'));
    expect(errorCodeText(ru, 'internal')).toBe(ru('cr.error.other'));
    expect(errorCodeText(translator('kk'), 'invalid')).not.toMatch(/[A-Za-z]/);
    expect(errorCodeText(ru, 'too_many')).not.toMatch(/[A-Za-z]/);
  });
});
