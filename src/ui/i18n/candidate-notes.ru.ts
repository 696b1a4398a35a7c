/** Russian messages of the candidate notes (issue 10). */
import type { candidateNotesEn } from './candidate-notes.en';

export const candidateNotesRu: Record<keyof typeof candidateNotesEn, string> = {
};
