/**
 * Why an identity attempt failed (rule 2.8.6), as a code in the log entry (reasonCode) that staff screens
 * translate; the English sentence stays in the entry (reason) as the log's own record.
 */
export const IDENTITY_FAILURES = ['pose_unread', 'no_turn', 'not_same_face', 'no_match', 'attempts_exhausted'] as const;
export type IdentityFailure = (typeof IDENTITY_FAILURES)[number];

export const IDENTITY_FAILURE_TEXT: Record<IdentityFailure, string> = {
  pose_unread: 'the head pose could not be read in every photo',
  no_turn: 'the photos do not show a head turn both ways',
  not_same_face: 'the turned face is not the face looking at the camera',
  no_match: 'face does not match the reference',
  attempts_exhausted: 'no match in the tries allowed: the proctor must check the candidate',
};

export function isIdentityFailure(v: unknown): v is IdentityFailure {
  return typeof v === 'string' && (IDENTITY_FAILURES as readonly string[]).includes(v);
}
