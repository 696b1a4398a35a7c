import { beforeEach, describe, expect, it } from 'vitest';
import { effectiveDisplay, NO_CHOICE } from './display-preference';
import { chooseHighContrast, chooseTextSize, displayStore, setDisplayDefaults } from './display-store';

const shown = () => effectiveDisplay(displayStore.getState().choice, displayStore.getState().defaults);

describe('the display store', () => {
  beforeEach(() => displayStore.setState({ choice: NO_CHOICE, defaults: null }));

  it('starts from the accommodations and keeps the candidate’s later choice over them', () => {
    setDisplayDefaults({ largeText: true, highContrast: true });
    expect(shown()).toEqual({ textSize: 'large', highContrast: true });
    chooseTextSize('normal');
    chooseHighContrast(false);
    setDisplayDefaults({ largeText: true, highContrast: true }); // the next snapshot says the same again
    expect(shown()).toEqual({ textSize: 'normal', highContrast: false });
  });

  it('does not touch the store when a snapshot repeats the same defaults', () => {
    setDisplayDefaults({ largeText: false, highContrast: true });
    const before = displayStore.getState();
    setDisplayDefaults({ largeText: false, highContrast: true });
    expect(displayStore.getState()).toBe(before);
    setDisplayDefaults(null);
    expect(displayStore.getState().defaults).toBeNull();
  });
});
