/**
 * Interface language and message lookup. Kazakh and Russian for candidates (rule 9),
 * English for reviewers' convenience. No UI string lives outside the catalogues.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { UiLanguage } from '../../shared/programme';
import { en, type MessageKey, type Messages } from './en';
import { kk } from './kk';
import { ru } from './ru';

export const CATALOGUES: Record<UiLanguage, Messages> = { kk, ru, en };
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

const translators = new Map<UiLanguage, Translate>();

/**
 * One function per language, made once: screens list `t` among their effects' dependencies, and a new
 * function on every render re-ran those effects on every render (the appeal screen fetched its appeal
 * in a loop, and a fetch in flight could show a decision before the document it issues).
 */
export function translator(language: UiLanguage): Translate {
  let t = translators.get(language);
  if (!t) {
    const catalogue = CATALOGUES[language];
    t = (key, vars) => format(catalogue[key] ?? en[key], vars);
    translators.set(language, t);
  }
  return t;
}

function initialLanguage(): UiLanguage {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('tanu.lang') : null;
  if (saved === 'kk' || saved === 'ru' || saved === 'en') return saved;
  const nav = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'ru';
  return nav === 'kk' ? 'kk' : nav === 'en' ? 'en' : 'ru';
}

export const languageStore = createStore<{ language: UiLanguage }>(() => ({ language: initialLanguage() }));

export function setUiLanguage(language: UiLanguage): void {
  languageStore.setState({ language });
  try {
    localStorage.setItem('tanu.lang', language);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = language;
}

export function useT(): Translate {
  const language = useStore(languageStore, (s) => s.language);
  return translator(language);
}

export function useUiLanguage(): UiLanguage {
  return useStore(languageStore, (s) => s.language);
}
