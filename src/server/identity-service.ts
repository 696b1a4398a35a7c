/**
 * Identity at the centre (rule 2.8.6). The decision is made here, from photos the centre analyses
 * itself: the browser sends photos, never a figure the centre believes. Every photo is
 * decoded and described in the face worker (face-models.ts: header checked against the pixel cap
 * before decoding, the same detector and descriptor code as the browsers), and must be a readable
 * JPEG of exactly one face, else the command is refused ('invalid', 'too_large') and nothing kept.
 *
 * - Before the exam (identity:verify), only after the language, the system check (if the
 *   programme has it) and consent to Appendix 1: nothing biometric is kept before consent. Three
 *   photos: frontal and the two extremes of a head turn. Liveness is judged here: the face mesh's
 *   yaw of the three must reach both sides (turnsPass) and the turned faces must be the frontal
 *   face (SAME_FACE_THRESHOLD). The frontal face is compared with the reference descriptor.
 *   The browser's own liveness summary, if sent, is logged as advisory and decides nothing.
 * - A candidate with no photo on file: the first frontal face that passed liveness is ENROLLED as
 *   the reference (source 'enrolled', flagged in the logged event so the proctor knows it was not
 *   matched against a file photo).
 * - MAX_IDENTITY_ATTEMPTS tries; then the step refuses further tries until a proctor looks.
 * - During the exam (identity:check) a photo is compared with the reference; checks are limited
 *   (no more often than every identityCheckSec/2, at most identityCheckLimit() per exam: 'too_many'),
 *   and IDENTITY_MISMATCH_RUN mismatches in a row raise face.mismatch, judged by rule 13 here.
 * - The candidate is told matched or not and the tries left: never a similarity or the threshold
 *   (a figure returned is an oracle that rebuilds the reference). Staff see the figures
 *   in the log.
 *
 * Who sees face photos (one rule): admins and reviewers see every reference photo and
 * identity photo. A proctor sees a session's face photos (its reference, file or enrolled, and its
 * identity-N photos) only while that session is live (issued or in progress) and not assigned to
 * another proctor: an enrolled reference IS an identity photo, so both are guarded alike
 * (face-access.ts; control-room-routes.ts and http-routes.ts). The reference never goes to a
 * candidate's browser, nor its descriptor.
 *
 * Staff (admin, reviewer) upload a candidate's reference photo over REST: the centre finds the
 * face in the worker and refuses a photo with no face or with several.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Incident } from '../shared/incidents';
import {
  cosineSimilarity,
  IDENTITY_THRESHOLD,
  MAX_IDENTITY_ATTEMPTS,
  roundSimilarity,
  SAME_FACE_THRESHOLD,
  turnsPass,
} from '../shared/identity';
import {
  invalid,
  type ExamSnapshot,
  type IdentityCheckResult,
  type IdentityResult,
  type IdentityVerifyPayload,
  type StaffRole,
} from '../shared/protocol';
import type { AssistantIdentityResult } from '../shared/assistant-identity';
import { identifyAssistant } from './assistant-identity';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { PhotoDecodeError, type FaceModels, type PhotoFaces } from './face-models';
import { requireStaffRole } from './http-routes';
import { MISSING_STEP_MESSAGE, missingPrestartStep } from './prestart-steps';
import type { ProctoringService } from './proctoring-service';
import { fullName, type CandidateReferenceRow, type ExamSessionRow, type Store } from './store/store';
import { IDENTITY_FAILURE_TEXT, type IdentityFailure } from '../shared/identity-failures';

/** Staff who may upload and view reference photos (candidates' personal data: not proctors). */
export const REFERENCE_ROLES: readonly StaffRole[] = ['admin', 'reviewer'];
/** A reference photo upload, at most (a phone photo at full size is 2-5 MB: staff should scale it down). */
export const MAX_REFERENCE_PHOTO_BYTES = 2 * 1024 * 1024;

/** Mismatched re-checks in a row that raise face.mismatch (one odd frame is not an incident). */
export const IDENTITY_MISMATCH_RUN = 2;
/** Re-checks allowed beyond one per identityCheckSec of the exam's length (reconnections, retries). */
export const IDENTITY_CHECK_SLACK = 10;

/** At most this many re-checks in an exam of `durationMs` with checks every `identityCheckSec`. */
export function identityCheckLimit(durationMs: number, identityCheckSec: number): number {
  return Math.ceil(durationMs / (identityCheckSec * 1000)) + IDENTITY_CHECK_SLACK;
}

/**
 * Liveness from the three photos' faces (pure): the yaw must reach both sides of the camera axis
 * (turnsPass) and each turned face must be the frontal face. Returns the failure reason or null.
 */
export function judgeTurn(photos: { frontal: PhotoFaces; left: PhotoFaces; right: PhotoFaces }): {
  yawMinDeg: number | null;
  yawMaxDeg: number | null;
  sameFace: number[];
  reason: string | null;
  reasonCode: IdentityFailure | null;
} {
  const all = [photos.frontal, photos.left, photos.right];
  const yaws = all.map((p) => p.yawDeg).filter((y): y is number => y !== null);
  const yawMinDeg = yaws.length === 3 ? Math.min(...yaws) : null;
  const yawMaxDeg = yaws.length === 3 ? Math.max(...yaws) : null;
  const front = photos.frontal.descriptor!;
  const sameFace = [photos.left, photos.right].map((p) => roundSimilarity(cosineSimilarity(front, p.descriptor!)));
  let reasonCode: IdentityFailure | null = null;
  if (yawMinDeg === null || yawMaxDeg === null) reasonCode = 'pose_unread';
  else if (!turnsPass(yawMinDeg, yawMaxDeg)) reasonCode = 'no_turn';
  else if (sameFace.some((s) => s < SAME_FACE_THRESHOLD)) reasonCode = 'not_same_face';
  const reason = reasonCode === null ? null : IDENTITY_FAILURE_TEXT[reasonCode];
  return {
    yawMinDeg: yawMinDeg === null ? null : Math.round(yawMinDeg * 10) / 10,
    yawMaxDeg: yawMaxDeg === null ? null : Math.round(yawMaxDeg * 10) / 10,
    sameFace,
    reason,
    reasonCode,
  };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const isJpeg = (b: Uint8Array): boolean => b.byteLength > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

export interface ReferenceInfo {
  candidateId: string;
  source: 'file' | 'enrolled';
  sha256: string;
  bytes: number;
  storedAt: number;
}

const infoOf = (r: CandidateReferenceRow): ReferenceInfo => ({
  candidateId: r.candidateId,
  source: r.source,
  sha256: r.sha256,
  bytes: r.jpeg.byteLength,
  storedAt: r.storedAt,
});

export class IdentityService {
  /** Per session, the centre time of the last re-check asked for (rate limit; in memory: a restart allows one more). */
  private readonly lastCheckAt = new Map<string, number>();
  /** Per session, mismatched re-checks in a row since the last match or incident. */
  private readonly mismatchRun = new Map<string, { count: number; firstAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly faces: FaceModels,
    private readonly proctoring: ProctoringService,
  ) {}

  /** A photo's faces from the worker; a file that is not a readable JPEG within the caps is refused with its code. */
  private async describe(jpeg: Uint8Array, which: string, yaw: boolean): Promise<PhotoFaces> {
    try {
      return await this.faces.describePhoto(jpeg, { yaw });
    } catch (e) {
      if (e instanceof PhotoDecodeError) throw new ExamError(e.code, `${which}: ${e.message}`);
      throw e;
    }
  }

  /** A photo of exactly one face, else 'invalid' with what was found (also the assistant's photo: assistant-identity.ts). */
  async oneFace(jpeg: Uint8Array, which: string, yaw: boolean): Promise<PhotoFaces & { descriptor: Float32Array }> {
    const found = await this.describe(jpeg, which, yaw);
    if (found.faces === 0 || !found.descriptor) {
      if (found.faces === 0) throw new ExamError('invalid', `${which}: no face was found`, 'no_face');
      throw new ExamError('invalid', `${which}: ${found.faces} faces were found; only the candidate may be in view`, 'several_faces');
    }
    return { ...found, descriptor: found.descriptor };
  }

  /** Rule 2.8.6 and Appendix 1: no face is taken or kept before the language, the system check (if required) and consent. */
  private async requireStepsBeforeIdentity(session: ExamSessionRow): Promise<void> {
    if (!session.language) throw new ExamError('conflict', 'choose the exam language first (rule 9)');
    const steps = (await this.exams.proctoringConfig(session.programmeId)).steps;
    const missing = missingPrestartStep(await this.store.getPrestart(session.id), steps, 'identity');
    if (missing) throw new ExamError('conflict', `${MISSING_STEP_MESSAGE[missing]}: finish that step first`);
  }

  /** Staff upload: one face must be found; it replaces any earlier reference (a file photo or an enrolled face). */
  async uploadReference(candidateId: string, jpeg: Uint8Array): Promise<ReferenceInfo> {
    if (!(await this.store.getCandidate(candidateId))) throw new ExamError('not_found', 'no such candidate');
    if (!isJpeg(jpeg)) throw new ExamError('invalid', 'the photo must be a JPEG file', 'not_jpeg');
    const found = await this.describe(jpeg, 'the photo', false);
    if (found.faces === 0)
      throw new ExamError('invalid', "no face was found in the photo: upload a frontal photo of the candidate's face, well lit", 'no_face');
    if (found.faces > 1 || !found.descriptor)
      throw new ExamError(
        'invalid',
        `${found.faces} faces were found in the photo: upload a photo of the candidate alone`,
        'several_faces',
      );
    const row: CandidateReferenceRow = {
      candidateId,
      jpeg,
      sha256: sha256(jpeg),
      descriptor: found.descriptor,
      source: 'file',
      storedAt: this.clock.now(),
    };
    await this.store.putCandidateReference(row);
    return infoOf(row);
  }

  async referenceOf(candidateId: string): Promise<CandidateReferenceRow | null> {
    return this.store.getCandidateReference(candidateId);
  }

  /**
   * Before the exam: three photos judged here for liveness; the frontal face compared with the reference (or enrolled when there is none).
   */
  async verify(sessionId: string, live: IdentityVerifyPayload): Promise<{ result: IdentityResult; snapshot: ExamSnapshot }> {
    const session = await this.exams.session(sessionId);
    if (session.status !== 'issued') throw new ExamError('closed', 'identity is verified before the exam starts');
    const prestart = await this.store.getPrestart(sessionId);
    const before = prestart.identity ?? { verifiedAt: null, similarity: null, attempts: 0, reference: null };
    if (before.verifiedAt !== null) throw new ExamError('conflict', 'identity is already verified for this exam');
    if ('decision' in before && before.decision?.outcome === 'rejected')
      throw new ExamError('closed', 'the proctor did not confirm your identity: contact the centre');
    if (before.attempts >= MAX_IDENTITY_ATTEMPTS) {
      throw new ExamError(
        'too_many',
        `identity could not be confirmed in ${MAX_IDENTITY_ATTEMPTS} tries: the proctor has been told and will check your identity`,
      );
    }
    await this.requireStepsBeforeIdentity(session); // before any photo is analysed or kept
    // Each photo must be a readable JPEG of one face; a refused photo is no try and nothing is kept.
    const frontal = await this.oneFace(live.frontal, 'the photo looking at the camera', true);
    const left = await this.oneFace(live.left, 'the photo turned to one side', true);
    const right = await this.oneFace(live.right, 'the photo turned to the other side', true);
    const turn = judgeTurn({ frontal, left, right });
    const attempts = before.attempts + 1;
    const attemptsLeft = MAX_IDENTITY_ATTEMPTS - attempts;
    const now = this.clock.now();
    const photoSha256 = sha256(live.frontal);
    // The frontal photo is kept as evidence of this attempt (reviewers see it with the log); the turned ones by hash.
    await this.store.putEvidence(sessionId, {
      incidentId: `identity-${attempts}`,
      sha256: photoSha256,
      mime: 'image/jpeg',
      bytes: live.frontal,
      storedAt: now,
    });
    const liveness = {
      passed: turn.reason === null,
      method: 'turn' as const,
      yawMinDeg: turn.yawMinDeg,
      yawMaxDeg: turn.yawMaxDeg,
      sameFace: turn.sameFace,
      turnedSha256: [sha256(live.left), sha256(live.right)],
    };
    const advisory = live.liveness ? { browserLiveness: live.liveness } : {};
    const reference = await this.store.getCandidateReference(session.candidateId);

    let result: IdentityResult;
    let similarity: number | null = null;
    if (!liveness.passed) {
      similarity = reference ? roundSimilarity(cosineSimilarity(reference.descriptor, frontal.descriptor)) : null;
      result = { matched: false, liveness: false, reference: reference?.source ?? 'enrolled', attempts, attemptsLeft };
      await this.exams.logServerEvent(sessionId, 'identity.failed', {
        similarity,
        threshold: IDENTITY_THRESHOLD,
        liveness,
        ...advisory,
        reason: turn.reason,
        reasonCode: turn.reasonCode,
        attempts,
        photoSha256,
      });
    } else if (!reference) {
      await this.store.putCandidateReference({
        candidateId: session.candidateId,
        jpeg: live.frontal,
        sha256: photoSha256,
        descriptor: frontal.descriptor,
        source: 'enrolled',
        storedAt: now,
      });
      result = { matched: true, liveness: true, reference: 'enrolled', attempts, attemptsLeft };
      // enrolled: no photo on file, so this face was not matched against anything: the proctor should look.
      await this.exams.logServerEvent(sessionId, 'identity.verified', {
        similarity: null,
        threshold: IDENTITY_THRESHOLD,
        liveness,
        ...advisory,
        reference: 'enrolled',
        enrolled: true,
        photoSha256,
        attempts,
      });
    } else {
      similarity = roundSimilarity(cosineSimilarity(reference.descriptor, frontal.descriptor));
      const matched = similarity >= IDENTITY_THRESHOLD;
      result = { matched, liveness: true, reference: reference.source, attempts, attemptsLeft };
      const data = {
        similarity,
        threshold: IDENTITY_THRESHOLD,
        liveness,
        ...advisory,
        reference: reference.source,
        referenceSha256: reference.sha256,
        photoSha256,
        attempts,
      };
      await this.exams.logServerEvent(
        sessionId,
        matched ? 'identity.verified' : 'identity.failed',
        matched ? data : { ...data, reason: IDENTITY_FAILURE_TEXT.no_match, reasonCode: 'no_match' },
      );
    }
    if (!result.matched && attempts >= MAX_IDENTITY_ATTEMPTS) {
      await this.exams.logServerEvent(sessionId, 'identity.failed', {
        reason: `no match in ${MAX_IDENTITY_ATTEMPTS} tries: the proctor must check the candidate`,
        reasonCode: 'attempts_exhausted',
        attempts,
        similarity,
        threshold: IDENTITY_THRESHOLD,
      });
    }
    await this.store.updatePrestart(sessionId, {
      identity: {
        verifiedAt: result.matched ? now : null,
        similarity: result.reference === 'enrolled' && result.matched ? null : similarity,
        attempts,
        reference: result.matched ? result.reference : (reference?.source ?? null),
      },
    });
    return { result, snapshot: await this.exams.snapshot(sessionId) };
  }

  /** Rule 11: the assistant's photo, after the candidate's own identity (assistant-identity.ts). */
  async identifyAssistant(sessionId: string, jpeg: Uint8Array): Promise<{ result: AssistantIdentityResult; snapshot: ExamSnapshot }> {
    return identifyAssistant(
      { store: this.store, clock: this.clock, exams: this.exams, oneFace: (photo, which) => this.oneFace(photo, which, false) },
      sessionId,
      jpeg,
    );
  }

  /**
   * During the exam: a fresh photo against the reference; logged either way; matched or not to the
   * browser. Rate-limited and capped ('too_many'); IDENTITY_MISMATCH_RUN mismatches in a row raise
   * face.mismatch at the centre, judged by rule 13 (ProctoringService.judgeCentreIncident).
   */
  async check(sessionId: string, jpeg: Uint8Array): Promise<IdentityCheckResult> {
    const session = await this.exams.session(sessionId);
    if (session.status !== 'in_progress') throw new ExamError('closed', 'identity is re-checked only while the exam runs');
    const config = await this.exams.proctoringConfig(session.programmeId);
    const now = this.clock.now();
    const minGapMs = (config.identityCheckSec * 1000) / 2;
    const last = this.lastCheckAt.get(sessionId);
    if (last !== undefined && now - last < minGapMs) {
      throw new ExamError('too_many', `identity is re-checked at most every ${Math.round(minGapMs / 1000)} s`);
    }
    this.lastCheckAt.set(sessionId, now); // set before the first await below, so two checks at once cannot both pass
    const durationMs = session.startedAt !== null && session.deadlineAt !== null ? session.deadlineAt - session.startedAt : 0;
    const limit = identityCheckLimit(durationMs, config.identityCheckSec);
    const done = (await this.store.listEvents(sessionId)).filter((e) => e.type === 'identity.checked').length;
    if (done >= limit) throw new ExamError('too_many', `identity is re-checked at most ${limit} times in this exam`);
    const reference = await this.store.getCandidateReference(session.candidateId);
    if (!reference) throw new ExamError('not_found', 'no reference face for this candidate: verify identity before the exam');
    const face = await this.oneFace(jpeg, 'the photo', false);
    const similarity = roundSimilarity(cosineSimilarity(reference.descriptor, face.descriptor));
    const matched = similarity >= IDENTITY_THRESHOLD;
    const photoSha256 = sha256(jpeg);
    let incidentId: string | null = null;
    const run = matched
      ? null
      : { count: (this.mismatchRun.get(sessionId)?.count ?? 0) + 1, firstAt: this.mismatchRun.get(sessionId)?.firstAt ?? now };
    if (run && run.count >= IDENTITY_MISMATCH_RUN) {
      incidentId = `identity-check-${done + 1}`;
      this.mismatchRun.delete(sessionId);
    } else if (run) this.mismatchRun.set(sessionId, run);
    else this.mismatchRun.delete(sessionId);
    await this.exams.logServerEvent(sessionId, 'identity.checked', {
      similarity,
      threshold: IDENTITY_THRESHOLD,
      matched,
      reference: reference.source,
      photoSha256,
      ...(incidentId ? { incidentId } : {}),
    });
    if (incidentId && run) {
      // The mismatched photo is the incident's evidence; the incident goes through rule 13 like any other.
      const stored = await this.store.putEvidence(sessionId, {
        incidentId,
        sha256: photoSha256,
        mime: 'image/jpeg',
        bytes: jpeg,
        storedAt: now,
      });
      if (stored === 'stored')
        await this.exams.logServerEvent(sessionId, 'evidence.stored', { incidentId, sha256: photoSha256, bytes: jpeg.byteLength });
      const incident: Incident = {
        id: incidentId,
        type: 'face.mismatch',
        start: run.firstAt,
        end: now,
        confidence: 1,
        detail: { checks: run.count, similarity, threshold: IDENTITY_THRESHOLD },
      };
      await this.proctoring.judgeCentreIncident(sessionId, incident);
    }
    return { matched };
  }
}

const candidateParams = z.object({ id: z.string().uuid() });

/** REST for reference photos: upload (JPEG body), its details, the photo itself, and the candidates to choose from. */
export function registerIdentityRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock; identity: IdentityService }): void {
  const requireRole = (req: FastifyRequest, reply: FastifyReply) => requireStaffRole(deps, req, reply, REFERENCE_ROLES);
  const fail = (reply: FastifyReply, e: unknown) => {
    if (!(e instanceof ExamError)) throw e;
    const status = e.code === 'not_found' ? 404 : e.code === 'too_large' ? 413 : 400;
    return reply.code(status).send({ error: { code: e.code, message: e.message, ...(e.reason ? { reason: e.reason } : {}) } });
  };

  /** Candidates with whether a reference face is held (no IIN: names only). */
  app.get('/api/candidates', async (req, reply) => {
    if (!(await requireRole(req, reply))) return reply;
    const candidates = await deps.store.listCandidates();
    const refs = await Promise.all(candidates.map((c) => deps.store.getCandidateReference(c.id)));
    return { data: candidates.map((c, i) => ({ id: c.id, name: fullName(c), reference: refs[i] ? infoOf(refs[i]) : null })) };
  });

  app.get('/api/candidates/:id/reference-photo', async (req, reply) => {
    if (!(await requireRole(req, reply))) return reply;
    const params = candidateParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const ref = await deps.identity.referenceOf(params.data.id);
    if (!ref) return reply.code(404).send({ error: { code: 'not_found', message: 'no reference photo for this candidate' } });
    return reply.header('Cache-Control', 'private, no-store').type('image/jpeg').send(Buffer.from(ref.jpeg));
  });

  // The JPEG body is parsed only on this route (its own scope), with its own size limit.
  app.register(async (scope) => {
    scope.addContentTypeParser('image/jpeg', { parseAs: 'buffer', bodyLimit: MAX_REFERENCE_PHOTO_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.post('/api/candidates/:id/reference-photo', { bodyLimit: MAX_REFERENCE_PHOTO_BYTES }, async (req, reply) => {
      const user = await requireRole(req, reply);
      if (!user) return reply;
      const params = candidateParams.safeParse(req.params);
      if (!params.success) return reply.code(400).send(invalid(params.error));
      if (!Buffer.isBuffer(req.body) || req.body.byteLength === 0) {
        return reply
          .code(400)
          .send({ error: { code: 'invalid', message: 'send the photo as the request body with Content-Type: image/jpeg' } });
      }
      try {
        const info = await deps.identity.uploadReference(params.data.id, new Uint8Array(req.body));
        // Who put which photo on file, in the centre's audit log.
        await deps.store.appendAudit({
          at: deps.clock.now(),
          actor: { userId: user.id, name: user.displayName, role: user.role },
          action: 'candidate.photo',
          subject: `candidate:${params.data.id}`,
          changes: { sha256: info.sha256, bytes: info.bytes },
        });
        return { data: info };
      } catch (e) {
        return fail(reply, e);
      }
    });
  });
}
