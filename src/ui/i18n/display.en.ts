/** English messages of the candidate's display switch (rule 11: text size and contrast on every candidate screen). */
export const displayEn = {
  'display.label': 'Display',
  'display.textSize': 'Text size',
  'display.highContrast': 'High contrast',
} as const;
