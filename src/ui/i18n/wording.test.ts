/** Words that must not be confused, and no English in the Kazakh and Russian catalogues of the staff screens touched here. */
import { describe, expect, it } from 'vitest';
import { kk } from './kk';
import { ru } from './ru';
import { sessionListKk } from './session-list.kk';
import { sessionListRu } from './session-list.ru';
import { displayKk } from './display.kk';
import { displayRu } from './display.ru';
import { accommodationsKk } from './accommodations.kk';
import { accommodationsRu } from './accommodations.ru';

describe('wording', () => {
  it('Kazakh says "submitted" and "admitted" with different words', () => {
    const stem = (s: string) => s.split(' ')[0]!.slice(0, 5);
    expect(stem(kk['status.submitted'])).not.toBe(stem(kk['proctor.admitted']));
    expect(stem(kk['status.submitted'])).not.toBe(stem(kk['sl.outcomeName.admitted']));
    expect(kk['status.submitted']).toBe('тапсырылды');
    expect(kk['proctor.admitted']).toBe('рұқсат етілді');
  });
  it('the sessions list and the error words have no Latin letters in kk and ru', () => {
    for (const [lang, catalogue] of [
      ['kk', sessionListKk],
      ['ru', sessionListRu],
    ] as const) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.replace(/\{\w+\}/g, ''), `${lang} ${key}`).not.toMatch(/[A-Za-z]/);
    }
    for (const code of [
      'conflict',
      'forbidden',
      'not_found',
      'invalid',
      'offline',
      'timeout',
      'too_many',
      'closed',
      'unauthorised',
      'other',
    ] as const) {
      expect(kk[`cr.error.${code}`]).not.toMatch(/[A-Za-z]/);
      expect(ru[`cr.error.${code}`]).not.toMatch(/[A-Za-z]/);
    }
  });
  it('the assistant at the identity step (rule 11) has no Latin letters in kk and ru', () => {
    for (const [lang, catalogue] of [
      ['kk', accommodationsKk],
      ['ru', accommodationsRu],
    ] as const) {
      for (const [key, text] of Object.entries(catalogue)) {
        if (key.startsWith('assistant.') || key === 'event.identity.assistant')
          expect(text.replace(/\{\w+\}/g, ''), `${lang} ${key}`).not.toMatch(/[A-Za-z]/);
      }
    }
  });
  it('the display switch (rule 11) has no Latin letters in kk and ru', () => {
    for (const [lang, catalogue] of [
      ['kk', displayKk],
      ['ru', displayRu],
    ] as const) {
      for (const [key, text] of Object.entries(catalogue)) expect(text, `${lang} ${key}`).not.toMatch(/[A-Za-z]/);
    }
  });
});
