/**
 * Rule 11 (access for people with disabilities): the candidate's text size and contrast, pure.
 * Everyone may switch them on every candidate screen; a candidate whose accommodations say large text or
 * high contrast starts that way until they choose otherwise. The page shows the result as data attributes
 * on <html> that styles.css reads (rem-based scaling; a black, white and yellow palette).
 */
import type { Accommodations } from '../shared/accommodations';

export const TEXT_SIZES = ['normal', 'large', 'larger'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
/** How much each size scales the root font (every rem in styles.css grows with it). */
export const TEXT_SCALE_PERCENT: Record<TextSize, number> = { normal: 100, large: 125, larger: 150 };

/** What the candidate chose in this browser; null where they have not chosen (the accommodations decide). */
export interface DisplayChoice {
  textSize: TextSize | null;
  highContrast: boolean | null;
}

/** What the screens show. */
export interface Display {
  textSize: TextSize;
  highContrast: boolean;
}

/** The accommodations' part that sets the starting display. */
export type DisplayDefaults = Pick<Accommodations, 'largeText' | 'highContrast'>;

export const NO_CHOICE: DisplayChoice = { textSize: null, highContrast: null };

/** The candidate's own choice wins; what they have not chosen comes from the accommodations, else normal. */
export function effectiveDisplay(choice: DisplayChoice, defaults: DisplayDefaults | null): Display {
  return {
    textSize: choice.textSize ?? (defaults?.largeText ? 'large' : 'normal'),
    highContrast: choice.highContrast ?? defaults?.highContrast ?? false,
  };
}

const isTextSize = (v: unknown): v is TextSize => typeof v === 'string' && (TEXT_SIZES as readonly string[]).includes(v);

/** Reads a stored choice; anything unreadable counts as no choice (a stale or hand-edited value never breaks the page). */
export function parseChoice(raw: string | null): DisplayChoice {
  if (!raw) return NO_CHOICE;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return NO_CHOICE;
  }
  if (value === null || typeof value !== 'object') return NO_CHOICE;
  const v = value as Record<string, unknown>;
  return {
    textSize: isTextSize(v.textSize) ? v.textSize : null,
    highContrast: typeof v.highContrast === 'boolean' ? v.highContrast : null,
  };
}

export function serialiseChoice(choice: DisplayChoice): string {
  return JSON.stringify(choice);
}

/** The attributes on <html> that styles.css reads. */
export function displayAttributes(display: Display): { 'data-text-size': TextSize; 'data-contrast': 'high' | 'normal' } {
  return { 'data-text-size': display.textSize, 'data-contrast': display.highContrast ? 'high' : 'normal' };
}
