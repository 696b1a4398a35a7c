/**
 * The wire's limits and constants that the browsers use as values. No zod here (and nothing that
 * imports it): the candidate's and the staff's bundles import these from this module, so they
 * need no copies, while protocol.ts and control-room.ts re-export them for the centre's schemas.
 */

export type SessionStatus = 'issued' | 'in_progress' | 'submitted' | 'terminated' | 'suspended' | 'expired';
export const FINISHED_STATUSES: readonly SessionStatus[] = ['submitted', 'terminated', 'suspended', 'expired'];

/**
 * One recording chunk (rules 2.8.5 and 14). Below the socket transport limit, with room for the rest
 * of the message: at 300 kbps a 5-second chunk is about 190 KB.
 */
export const MAX_RECORDING_CHUNK_BYTES = 768 * 1024;

/** A live thumbnail: a small camera still, sent only while a proctor has the card on screen. */
export const MAX_THUMB_BYTES = 15 * 1024;
/** A proctor's comment or reason, and the longest message to a candidate. */
export const COMMENT_MAX = 500;
/** The candidate's reply to a proctor's note. */
export const NOTE_REPLY_MAX = 300;
export const MAX_ADDED_MINUTES = 120;
/** Cards a proctor can have on screen at once (thumbnails). */
export const MAX_WATCHED_CARDS = 200;
