import { describe, expect, it } from 'vitest';
import { IDENTITY_FAILURE_TEXT, IDENTITY_FAILURES } from '../shared/identity-failures';
import { CLIENT_OPERATIONS } from '../shared/protocol';
import { describeEvent } from './event-text';
import { translator } from './i18n/i18n';

describe('event text', () => {
  it('a failed identity attempt says why in the reader’s language, never the log’s English sentence', () => {
    for (const language of ['kk', 'ru'] as const) {
      const t = translator(language);
      for (const code of IDENTITY_FAILURES) {
        const text = describeEvent(t, {
          type: 'identity.failed',
          data: { reason: IDENTITY_FAILURE_TEXT[code], reasonCode: code, similarity: 0.31 },
        });
        expect(text).not.toContain(IDENTITY_FAILURE_TEXT[code]);
        expect(text, `${language} ${code}`).not.toMatch(/\b(?:the|face|match|photos?)\b/i);
      }
      // An entry from before the codes: a plain general reason, not the English one.
      const old = describeEvent(t, { type: 'identity.failed', data: { reason: 'face does not match the reference', similarity: 0.2 } });
      expect(old).not.toContain('face does not match');
    }
    expect(describeEvent(translator('en'), { type: 'identity.failed', data: { reasonCode: 'no_turn' } })).toContain('turned both ways');
  });

  it("a browser failure says what failed and why, in words, without the log's English message", () => {
    const data = { operation: 'incident_report', code: 'timeout', message: 'no answer within 8000 ms' };
    expect(describeEvent(translator('en'), { type: 'client.error', data })).toBe(
      "The candidate's browser could not put an incident in the log: no answer in time",
    );
    expect(describeEvent(translator('ru'), { type: 'client.error', data })).toBe(
      'Браузер кандидата не смог записать нарушение в журнал: нет ответа вовремя',
    );
    for (const language of ['kk', 'ru'] as const) {
      for (const operation of CLIENT_OPERATIONS) {
        for (const code of ['timeout', 'invalid', 'error']) {
          const text = describeEvent(translator(language), {
            type: 'client.error',
            data: { operation, code, message: 'Some English detail' },
          });
          expect(text, `${language} ${operation} ${code}`).not.toMatch(/[A-Za-z{}]/);
        }
      }
    }
  });

  it("the assistant's photo in the log names the assistant and says accepted or refused, in the reader's language (rule 11)", () => {
    const accepted = { accepted: true, assistant: 'Ахметова Дана', photo: 'identity-assistant-2', similarity: 0.41, threshold: 0.5 };
    const refused = {
      ...accepted,
      accepted: false,
      reason: "the assistant's photo shows the candidate's own face",
      reasonCode: 'same_person',
      similarity: 0.83,
    };
    expect(describeEvent(translator('en'), { type: 'identity.assistant', data: accepted })).toBe(
      'Assistant Ахметова Дана: photo accepted; similarity to the candidate 0.41',
    );
    for (const language of ['kk', 'ru'] as const) {
      const text = describeEvent(translator(language), { type: 'identity.assistant', data: refused });
      expect(text).toContain('Ахметова Дана');
      expect(text.replace('Ахметова Дана', ''), language).not.toMatch(/[A-Za-z]/);
    }
    // A proctor's decision after every try: about the assistant, not the candidate's own identity.
    const decided = {
      person: 'assistant',
      assistant: 'Ахметова Дана',
      photo: 'identity-assistant-5',
      reason: 'сурдопереводчик из справки',
      by: { name: 'Proctor Demo' },
    };
    expect(describeEvent(translator('en'), { type: 'identity.approved', data: decided })).toBe(
      'The assistant Ахметова Дана confirmed by the proctor Proctor Demo (rule 11): сурдопереводчик из справки',
    );
    expect(describeEvent(translator('ru'), { type: 'identity.rejected', data: decided })).toBe(
      'Ассистент Ахметова Дана не подтверждён проктором Proctor Demo (пункт 11): сурдопереводчик из справки',
    );
  });

  it('accommodations in the log are said in words, each one', () => {
    const data = {
      accommodations: {
        extraTime: { unit: 'percent', value: 50 },
        screenReader: true,
        assistant: { name: 'Ахметова Дана' },
        speech: false,
        largeText: true,
        highContrast: false,
        breaks: { count: 2, minutes: 10 },
      },
      reason: 'Справка МСЭ № 12',
      by: { role: 'admin', name: 'Admin Demo' },
    };
    const ru = describeEvent(translator('ru'), { type: 'accommodations.set', data });
    expect(ru).toBe(
      'Особые условия задал(а) Admin Demo: дополнительное время: +50%; программа экранного доступа: взгляд в сторону от экрана не нарушение; ассистент в комнате (Ахметова Дана): второй человек и речь не нарушение; перерывы: 2, каждый до 10 мин; крупный текст. Основание: Справка МСЭ № 12',
    );
    const kk = describeEvent(translator('kk'), { type: 'accommodations.applied', data });
    expect(kk).toContain('қосымша уақыт: +50%');
    expect(kk).not.toMatch(/[A-Za-z]{3,}/);
    expect(describeEvent(translator('en'), { type: 'accommodations.set', data: { ...data, accommodations: null } })).toBe(
      'Accommodations set by Admin Demo: none. Reason: Справка МСЭ № 12',
    );
  });

  it('an unsupported browser reads in words: which browser, which version, why', () => {
    const data = { browser: 'yandex', version: 98, reason: 'old_version', missing: [] };
    expect(describeEvent(translator('ru'), { type: 'browser.unsupported', data })).toBe(
      'Браузер не подходит для экзамена: Яндекс Браузер 98 (слишком старая версия)',
    );
    expect(describeEvent(translator('kk'), { type: 'browser.unsupported', data })).toBe(
      'Браузер емтиханға жарамайды: Яндекс Браузер 98 (нұсқасы тым ескі)',
    );
    expect(
      describeEvent(translator('en'), {
        type: 'browser.unsupported',
        data: { browser: 'safari', version: 18, reason: 'unknown_browser', missing: [] },
      }),
    ).toBe('The browser cannot run the exam: Safari 18 (a browser the exam has not been checked in)');
  });
});
