/**
 * Rule 11 of Order No. 374: the assistant the accommodations allow is identified at the
 * identity step, after the candidate's own identity (rule 2.8.6, identity-service.ts) and before any
 * later step (prestart-steps.ts gates the room scan and the start on it).
 *
 * One photo, the assistant alone in front of the camera. It is decoded and described in the face
 * worker exactly as an identity photo (a readable JPEG of exactly one face within the same caps, else
 * 'invalid' / 'too_large' and nothing kept, no try counted). The face must NOT be the candidate's:
 * it is compared with the candidate's reference face (file or enrolled; if a proctor approved a
 * candidate without one, with the face of their last identity photo) and a face as like the candidate
 * as their own turned face must be (SAME_FACE_THRESHOLD) is refused ('same_person', shared/assistant-identity.ts).
 *
 * Every try that had one face is kept as evidence (identity-assistant-N, guarded as identity photos
 * are: face-access.ts) and logged as 'identity.assistant' with the assistant's name from the
 * accommodations (never from the browser), the photo's evidence id and hash, and the similarity to
 * the candidate (staff only: the browser is told accepted or not and why, never a figure).
 * MAX_IDENTITY_ATTEMPTS tries; then the step refuses ('too_many') and the candidate contacts the centre.
 */
import { createHash } from 'node:crypto';
import {
  ASSISTANT_SAME_PERSON_THRESHOLD,
  assistantPhotoId,
  judgeAssistantFace,
  type AssistantIdentityResult,
} from '../shared/assistant-identity';
import { cosineSimilarity, MAX_IDENTITY_ATTEMPTS, roundSimilarity } from '../shared/identity';
import type { ExamSnapshot } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import type { ExamSessionRow, PrestartRecord, Store } from './store/store';

export interface AssistantIdentityDeps {
  store: Store;
  clock: Clock;
  exams: ExamService;
  /** The face worker's description of a photo of exactly one face (IdentityService.oneFace), else an ExamError. */
  oneFace(jpeg: Uint8Array, which: string): Promise<{ descriptor: Float32Array }>;
}

/** What the proctor and the reviewer are told when a photo is the candidate's own face. */
export const SAME_PERSON_TEXT = "the assistant's photo shows the candidate's own face";

/** Sessions with a try being analysed now: one try at a time, so two photos sent at once cannot both count as the same try. */
const inFlight = new Set<string>();

/**
 * The candidate's face to compare with: the reference, else (a proctor approved a candidate without one) their last identity photo's face.
 */
async function candidateFace(deps: AssistantIdentityDeps, s: ExamSessionRow, prestart: PrestartRecord): Promise<Float32Array | null> {
  const reference = await deps.store.getCandidateReference(s.candidateId);
  if (reference) return reference.descriptor;
  for (let i = prestart.identity?.attempts ?? 0; i >= 1; i--) {
    const photo = await deps.store.getEvidence(s.id, `identity-${i}`);
    if (!photo) continue;
    // No readable face in the identity photo: compared as 'no face' below, and logged.
    const face = await deps.oneFace(photo.bytes, "the candidate's identity photo").catch(() => null);
    if (face) return face.descriptor;
  }
  return null;
}

/** Why the assistant cannot be identified now, or null. */
async function refusal(deps: AssistantIdentityDeps, s: ExamSessionRow, prestart: PrestartRecord): Promise<ExamError | null> {
  if (s.status !== 'issued') return new ExamError('closed', 'the assistant is identified before the exam starts');
  const accommodations = await deps.exams.accommodationsOf(s);
  if (!accommodations?.assistant) return new ExamError('conflict', 'no assistant is allowed for this exam (rules 10-11)');
  if (typeof prestart.identity?.verifiedAt !== 'number')
    return new ExamError('conflict', "the candidate's own identity is confirmed first (rule 2.8.6): finish that step first");
  if (typeof prestart.assistant?.acceptedAt === 'number')
    return new ExamError('conflict', 'the assistant is already identified for this exam');
  if ((prestart.assistant?.attempts ?? 0) >= MAX_IDENTITY_ATTEMPTS) {
    return new ExamError('too_many', `the assistant could not be identified in ${MAX_IDENTITY_ATTEMPTS} tries: contact the centre`);
  }
  return null;
}

/** One try: the assistant's photo judged, kept and logged; the candidate's browser gets accepted or not, and the snapshot. */
export async function identifyAssistant(
  deps: AssistantIdentityDeps,
  sessionId: string,
  jpeg: Uint8Array,
): Promise<{ result: AssistantIdentityResult; snapshot: ExamSnapshot }> {
  if (inFlight.has(sessionId)) throw new ExamError('too_many', 'one photo at a time: wait for the answer to the last one');
  inFlight.add(sessionId);
  try {
    const s = await deps.exams.session(sessionId);
    const prestart = await deps.store.getPrestart(sessionId);
    const refused = await refusal(deps, s, prestart);
    if (refused) throw refused;
    const name = (await deps.exams.accommodationsOf(s))!.assistant!.name; // the frozen (or standing) accommodations, never the browser
    const face = await deps.oneFace(jpeg, "the assistant's photo"); // a photo refused here is no try and nothing is kept
    const candidate = await candidateFace(deps, s, prestart);
    const similarity = candidate ? roundSimilarity(cosineSimilarity(candidate, face.descriptor)) : null;
    const reason = judgeAssistantFace(similarity);
    const attempts = (prestart.assistant?.attempts ?? 0) + 1;
    const photo = assistantPhotoId(attempts);
    const photoSha256 = createHash('sha256').update(jpeg).digest('hex');
    const now = deps.clock.now();
    await deps.store.putEvidence(sessionId, { incidentId: photo, sha256: photoSha256, mime: 'image/jpeg', bytes: jpeg, storedAt: now });
    const accepted = reason === null;
    await deps.exams.logServerEvent(sessionId, 'identity.assistant', {
      accepted,
      assistant: name,
      photo,
      photoSha256,
      similarity,
      threshold: ASSISTANT_SAME_PERSON_THRESHOLD,
      attempts,
      ...(candidate ? {} : { compared: false }), // no face of the candidate to compare with: the proctor should look
      ...(reason ? { reason: SAME_PERSON_TEXT, reasonCode: reason } : {}),
    });
    await deps.store.updatePrestart(sessionId, {
      assistant: accepted
        ? { acceptedAt: now, attempts, photo, similarity }
        : { acceptedAt: null, attempts, photo: null, similarity: null },
    });
    const result: AssistantIdentityResult = { accepted, reason, attempts, attemptsLeft: MAX_IDENTITY_ATTEMPTS - attempts };
    return { result, snapshot: await deps.exams.snapshot(sessionId) };
  } finally {
    inFlight.delete(sessionId);
  }
}
