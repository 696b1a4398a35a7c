/** The appeal filing's limits (rule 20), without zod: the candidate's page and the centre's schema (appeal.ts) share them. */
export const APPEAL_TEXT_MIN = 10;
export const APPEAL_TEXT_MAX = 4000;
export const APPEAL_REASONS_MAX = 4000;
export const APPEAL_FILES_MAX = 3;
/** One file (a photo or a scan of a certificate): 2 MB; the body carries them base64-encoded. */
export const APPEAL_FILE_MAX_BYTES = 2 * 1024 * 1024;
/** The filing's HTTP body: the text and the files in base64 (4/3 of their size) with room for the JSON around them. */
export const APPEAL_BODY_MAX_BYTES = Math.ceil((APPEAL_FILES_MAX * APPEAL_FILE_MAX_BYTES * 4) / 3) + APPEAL_TEXT_MAX * 4 + 64 * 1024;

export const APPEAL_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AppealFileType = (typeof APPEAL_FILE_TYPES)[number];
