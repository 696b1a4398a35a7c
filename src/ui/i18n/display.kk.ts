/** Үміткер экранының көрінісі (11-тармақ): мәтін өлшемі және контраст, үміткердің әр экранында. */
import type { displayEn } from './display.en';

export const displayKk: Record<keyof typeof displayEn, string> = {
  'display.label': 'Экран көрінісі',
  'display.textSize': 'Мәтін өлшемі',
  'display.highContrast': 'Жоғары контраст',
};
