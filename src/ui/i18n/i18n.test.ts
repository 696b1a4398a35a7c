import { BROWSER_PRODUCT_NAMES } from './browser.en';
import { describe, expect, it } from 'vitest';
import { CLIENT_EVENT_TYPES, SERVER_EVENT_TYPES } from '../../shared/protocol';
import { UI_LANGUAGES } from '../../shared/languages';
import { en } from './en';
import { CATALOGUES, format, translator } from './i18n';
import { kk } from './kk';
import { ru } from './ru';

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
const keysOf = (o: object) => Object.keys(o).sort();

describe('message catalogues', () => {
  it('kk, ru and en are the catalogues of every UI language', () => {
    expect(keysOf(CATALOGUES)).toEqual([...UI_LANGUAGES].sort());
    expect(CATALOGUES.kk).toBe(kk);
    expect(CATALOGUES.ru).toBe(ru);
    expect(CATALOGUES.en).toBe(en);
  });

  it('rule 9: kk, ru and en have exactly the same keys', () => {
    expect(keysOf(kk)).toEqual(keysOf(en));
    expect(keysOf(ru)).toEqual(keysOf(en));
  });

  it('every message is a non-empty string', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      for (const [key, value] of Object.entries(catalogue)) {
        expect(typeof value, `${lang} ${key}`).toBe('string');
        expect(value.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('each key has the same placeholders in every language', () => {
    const mismatches: string[] = [];
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      const expected = placeholders(en[key]).join(',');
      for (const [lang, catalogue] of [
        ['kk', kk],
        ['ru', ru],
      ] as const) {
        const got = placeholders(catalogue[key]).join(',');
        if (got !== expected) mismatches.push(`${lang} ${key}: {${got}} vs en {${expected}}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('rule 9: the Kazakh catalogue is written in Kazakh (at least 5 distinct Kazakh-specific letters)', () => {
    const text = Object.values(kk).join(' ').toLowerCase();
    const found = [...'әғқңөұүһі'].filter((ch) => text.includes(ch));
    expect(found.length, `found ${found.join(' ')}`).toBeGreaterThanOrEqual(5);
  });

  it('the Russian catalogue is in Cyrillic', () => {
    const text = Object.values(ru).join(' ');
    const cyrillic = text.match(/[А-Яа-яЁё]/g)?.length ?? 0;
    const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
    expect(cyrillic).toBeGreaterThan(10 * latin);
  });

  it('kk and ru messages are translated, not copied from English', () => {
    // Allowed to equal English: the language names (each written in its own language, as a
    // language switcher shows them), browsers' product names (as their makers write them)
    // and messages that contain no words outside their placeholders.
    const SAME_EVERYWHERE = new Set<string>(['lang.kk', 'lang.ru', 'lang.en', ...Object.keys(BROWSER_PRODUCT_NAMES)]);
    const hasWords = (text: string) => /\p{L}/u.test(text.replace(/\{\w+\}/g, ''));
    const copied: string[] = [];
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      if (SAME_EVERYWHERE.has(key) || !hasWords(en[key])) continue;
      if (kk[key] === en[key]) copied.push(`kk ${key}`);
      if (ru[key] === en[key]) copied.push(`ru ${key}`);
    }
    expect(copied).toEqual([]);
  });

  it('every logged event type has a message (the live feed and the review timeline describe each one)', () => {
    const missing = [...CLIENT_EVENT_TYPES, ...SERVER_EVENT_TYPES].filter((type) => !(`event.${type}` in en));
    expect(missing).toEqual([]);
  });
});

describe('format', () => {
  it.each<[string, Record<string, string | number> | undefined, string]>([
    ['Welcome, {name}', { name: 'Айгерім' }, 'Welcome, Айгерім'],
    ['{correct} of {total} correct ({percent}%)', { correct: 22, total: 30, percent: 73.3 }, '22 of 30 correct (73.3%)'],
    ['{n} and {n}', { n: 0 }, '0 and 0'],
    ['Hello {name}, {unknown}', { name: 'A' }, 'Hello A, {unknown}'],
    ['Hello {name}', undefined, 'Hello {name}'],
    ['Hello {name}', {}, 'Hello {name}'],
    ['no placeholders', { name: 'A' }, 'no placeholders'],
    ['{name}', { name: '{other}' }, '{other}'],
    ['{ name }', { name: 'A' }, '{ name }'],
  ])('%j with %j → %j', (template, vars, result) => {
    expect(format(template, vars)).toBe(result);
  });

  it('does not treat inherited object members as variables', () => {
    expect(format('{toString}', {})).toBe('{toString}');
  });
});

describe('translator', () => {
  it('looks up the chosen language and fills placeholders', () => {
    expect(translator('en')('exam.welcome', { name: 'Aigerim' })).toBe('Welcome, Aigerim');
    expect(translator('kk')('exam.welcome', { name: 'Айгерім' })).toBe(format(kk['exam.welcome'], { name: 'Айгерім' }));
    expect(translator('ru')('exam.welcome', { name: 'Айгерім' })).toBe(format(ru['exam.welcome'], { name: 'Айгерім' }));
    expect(translator('kk')('exam.welcome', { name: 'X' })).not.toBe(translator('ru')('exam.welcome', { name: 'X' }));
  });

  it('is the same function for a language on every call, so effects that depend on it do not re-run each render', () => {
    expect(translator('ru')).toBe(translator('ru'));
    expect(translator('kk')).not.toBe(translator('ru'));
  });
});
