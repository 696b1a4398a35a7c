import { describe, expect, it } from 'vitest';
import {
  displayAttributes,
  effectiveDisplay,
  NO_CHOICE,
  parseChoice,
  serialiseChoice,
  type DisplayChoice,
  type DisplayDefaults,
} from './display-preference';

const none: DisplayDefaults = { largeText: false, highContrast: false };
const both: DisplayDefaults = { largeText: true, highContrast: true };

describe('effectiveDisplay: the candidate’s choice, else the accommodations (rule 11), else normal', () => {
  it.each<[string, DisplayChoice, DisplayDefaults | null, { textSize: string; highContrast: boolean }]>([
    ['nothing chosen, no accommodations', NO_CHOICE, null, { textSize: 'normal', highContrast: false }],
    ['nothing chosen, accommodations without display', NO_CHOICE, none, { textSize: 'normal', highContrast: false }],
    ['nothing chosen, large text and high contrast accommodated', NO_CHOICE, both, { textSize: 'large', highContrast: true }],
    ['only large text accommodated', NO_CHOICE, { largeText: true, highContrast: false }, { textSize: 'large', highContrast: false }],
    ['only high contrast accommodated', NO_CHOICE, { largeText: false, highContrast: true }, { textSize: 'normal', highContrast: true }],
    [
      'chose normal size and no contrast over the accommodations',
      { textSize: 'normal', highContrast: false },
      both,
      { textSize: 'normal', highContrast: false },
    ],
    [
      'chose larger, contrast left to the accommodations',
      { textSize: 'larger', highContrast: null },
      both,
      { textSize: 'larger', highContrast: true },
    ],
    [
      'chose high contrast without accommodations',
      { textSize: null, highContrast: true },
      null,
      { textSize: 'normal', highContrast: true },
    ],
    ['chose large without accommodations', { textSize: 'large', highContrast: null }, none, { textSize: 'large', highContrast: false }],
  ])('%s', (_, choice, defaults, expected) => {
    expect(effectiveDisplay(choice, defaults)).toEqual(expected);
  });
});

describe('the stored choice', () => {
  it('round-trips', () => {
    for (const choice of [
      NO_CHOICE,
      { textSize: 'larger', highContrast: true },
      { textSize: null, highContrast: false },
    ] as DisplayChoice[]) {
      expect(parseChoice(serialiseChoice(choice))).toEqual(choice);
    }
  });
  it.each([null, '', 'not json', '42', 'null', '[]', '{"textSize":"huge","highContrast":"yes"}'])('reads %j as no choice', (raw) => {
    expect(parseChoice(raw)).toEqual(NO_CHOICE);
  });
  it('keeps the readable half of a half-broken value', () => {
    expect(parseChoice('{"textSize":"large","highContrast":1}')).toEqual({ textSize: 'large', highContrast: null });
  });
});

describe('displayAttributes', () => {
  it('names the size and the contrast for styles.css', () => {
    expect(displayAttributes({ textSize: 'larger', highContrast: true })).toEqual({ 'data-text-size': 'larger', 'data-contrast': 'high' });
    expect(displayAttributes({ textSize: 'normal', highContrast: false })).toEqual({
      'data-text-size': 'normal',
      'data-contrast': 'normal',
    });
  });
});
