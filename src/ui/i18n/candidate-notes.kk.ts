/** Kazakh messages of the candidate notes (issue 10). */
import type { candidateNotesEn } from './candidate-notes.en';

export const candidateNotesKk: Record<keyof typeof candidateNotesEn, string> = {
};
