/**
 * Rules 10-11 of Order No. 374: a candidate whose accommodations allow an assistant in the
 * room (a reader, a sign-language interpreter) has the assistant identified at the identity step,
 * after their own identity (rule 2.8.6) and before any later step. The assistant sits in front of the
 * camera alone; the centre keeps one photo of exactly one face that is not the candidate's, and logs
 * it with the assistant's name from the accommodations (never from the browser). Pure: the centre's
 * gate (src/server/prestart-steps.ts), the centre's judgement (src/server/assistant-identity.ts) and
 * the browser's phase (src/exam/phase.ts) all ask this module.
 */
import type { Accommodations } from './accommodations';
import type { StaffActor } from './control-room';
import { SAME_FACE_THRESHOLD } from './identity';

/**
 * Evidence ids of the assistant's photos, one per try (identity-assistant-1, …): face photos, guarded as identity photos are
 * (face-access.ts).
 */
export const ASSISTANT_PHOTO_PREFIX = 'identity-assistant-';
export const assistantPhotoId = (attempt: number): string => `${ASSISTANT_PHOTO_PREFIX}${attempt}`;

/** Why the centre did not accept an assistant's photo that had one readable face: it is the candidate's own face. */
export type AssistantRefusal = 'same_person';

/** The centre's answer on one try, as the candidate's browser gets it: accepted or not and why; never a similarity. */
export interface AssistantIdentityResult {
  accepted: boolean;
  reason: AssistantRefusal | null;
  attempts: number;
  attemptsLeft: number;
}

/** Where the assistant's identification stands, as the centre records it with the steps before the exam. */
export interface AssistantIdentityRecord {
  /** When a photo was accepted (null: not yet). */
  acceptedAt: number | null;
  attempts: number;
  /** The evidence id of the accepted photo. */
  photo: string | null;
  /** The accepted face's similarity to the candidate's reference (staff only; null when there was nothing to compare with). */
  similarity: number | null;
  /** A proctor's decision after every try failed (as for the candidate's own identity), with who and when. */
  decision?: { outcome: 'approved' | 'rejected'; by: StaffActor; at: number; reason: string };
}

/** Every try used, none accepted, and no person has decided yet: the proctor must look (no candidate is left at a dead end). */
export function assistantLocked(record: AssistantIdentityRecord | null | undefined, maxAttempts: number): boolean {
  return !!record && record.acceptedAt === null && !record.decision && record.attempts >= maxAttempts;
}

/** Whether this exam's accommodations call for the assistant to be identified (rule 11). */
export function assistantRequired(a: Accommodations | null | undefined): boolean {
  return Boolean(a?.assistant);
}

/** Whether the identity step is finished as far as the assistant goes: none required, or their photo accepted. */
export function assistantDone(a: Accommodations | null | undefined, record: { acceptedAt: number | null } | null | undefined): boolean {
  return !assistantRequired(a) || typeof record?.acceptedAt === 'number';
}

/**
 * The assistant's face against the candidate's: a face as like the candidate as the candidate's own turned
 * face must be (SAME_FACE_THRESHOLD, 0.5, below IDENTITY_THRESHOLD: a candidate turning the head a little
 * scores under 0.6 against their frontal reference and must not pass as their own assistant; the most
 * similar stranger measured scored 0.47, shared/identity.ts) is the candidate, not an assistant. Null
 * similarity: nothing to compare with (the candidate has no face on file), accepted and flagged in the log.
 */
export const ASSISTANT_SAME_PERSON_THRESHOLD = SAME_FACE_THRESHOLD;

export function judgeAssistantFace(similarityToCandidate: number | null): AssistantRefusal | null {
  return similarityToCandidate !== null && similarityToCandidate >= ASSISTANT_SAME_PERSON_THRESHOLD ? 'same_person' : null;
}
