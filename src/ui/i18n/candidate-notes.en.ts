/** English messages of the candidate notes (issue 10). kk and ru have the same keys. */
export const candidateNotesEn = {
} as const;
