/**
 * The candidate's display preference (rule 11): one vanilla store, kept in this browser's localStorage,
 * with the accommodations' defaults set from the exam snapshot. The logic is in display-preference.ts.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import {
  displayAttributes,
  effectiveDisplay,
  parseChoice,
  serialiseChoice,
  type Display,
  type DisplayChoice,
  type DisplayDefaults,
  type TextSize,
} from './display-preference';

export const DISPLAY_STORAGE_KEY = 'tanu.display';

function loadChoice(): DisplayChoice {
  try {
    return parseChoice(typeof localStorage !== 'undefined' ? localStorage.getItem(DISPLAY_STORAGE_KEY) : null);
  } catch {
    return parseChoice(null);
  }
}

export const displayStore = createStore<{ choice: DisplayChoice; defaults: DisplayDefaults | null }>(() => ({
  choice: loadChoice(),
  defaults: null,
}));

function choose(patch: Partial<DisplayChoice>): void {
  const choice = { ...displayStore.getState().choice, ...patch };
  displayStore.setState({ choice });
  try {
    localStorage.setItem(DISPLAY_STORAGE_KEY, serialiseChoice(choice));
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export const chooseTextSize = (textSize: TextSize): void => choose({ textSize });
export const chooseHighContrast = (highContrast: boolean): void => choose({ highContrast });

/** The accommodations' starting display (null: none). Unchanged values do not touch the store. */
export function setDisplayDefaults(defaults: DisplayDefaults | null): void {
  const before = displayStore.getState().defaults;
  const next = defaults ? { largeText: defaults.largeText, highContrast: defaults.highContrast } : null;
  if (before?.largeText === next?.largeText && before?.highContrast === next?.highContrast) return;
  displayStore.setState({ defaults: next });
}

export function useDisplay(): Display {
  const textSize = useStore(displayStore, (s) => effectiveDisplay(s.choice, s.defaults).textSize);
  const highContrast = useStore(displayStore, (s) => effectiveDisplay(s.choice, s.defaults).highContrast);
  return { textSize, highContrast };
}

/** Shows the display on <html> while the calling page is mounted (the candidate's page; staff pages keep theirs). */
export function useDisplayOnPage(): Display {
  const { textSize, highContrast } = useDisplay();
  useEffect(() => {
    const root = document.documentElement;
    const attributes = Object.entries(displayAttributes({ textSize, highContrast }));
    for (const [name, value] of attributes) root.setAttribute(name, value);
    return () => {
      for (const [name] of attributes) root.removeAttribute(name);
    };
  }, [textSize, highContrast]);
  return { textSize, highContrast };
}
