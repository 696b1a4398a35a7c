/** Вид экрана кандидата (пункт 11): размер текста и контраст на каждом экране кандидата. */
import type { displayEn } from './display.en';

export const displayRu: Record<keyof typeof displayEn, string> = {
  'display.label': 'Вид экрана',
  'display.textSize': 'Размер текста',
  'display.highContrast': 'Высокий контраст',
};
