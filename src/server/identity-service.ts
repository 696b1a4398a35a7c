/**
 * Identity at the centre (rule 2.8.6). The comparison happens here: the candidate's reference
 * photo and its descriptor never leave the centre for a candidate's browser. The browser sends
 * the descriptor of its live face (computed in its vision worker), its liveness report and the
 * photo it took; the centre compares with the reference descriptor, logs the outcome in the
 * session's hash-chained log, keeps the photo as evidence and records the step.
 *
 * - A candidate with no photo on file: the first live face that passed liveness is ENROLLED as
 *   the reference (source 'enrolled', flagged in the logged event so the proctor knows it was not
 *   matched against a file photo); later checks compare with it.
 * - Liveness not passed: never verified. The centre re-checks that the reported yaw figures
 *   support the verdict (turnsPass), so a report that says "passed" without a turn is refused.
 * - MAX_IDENTITY_ATTEMPTS tries; then the step refuses further tries until a proctor looks.
 * - During the exam, identity:check compares a fresh descriptor and logs 'identity.checked';
 *   the browser turns a mismatch into the face.mismatch incident (rule 13 as any other).
 *
 * Staff (admin, reviewer) upload a candidate's reference photo over REST: the centre finds the
 * face with the same detector code as the browsers (face-models.ts) and refuses a photo with no
 * face or with several.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cosineSimilarity, IDENTITY_THRESHOLD, MAX_IDENTITY_ATTEMPTS, roundSimilarity, turnsPass } from '../shared/identity';
import { invalid, type ExamSnapshot, type IdentityResult, type LivenessReport, type StaffRole } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { PhotoDecodeError, type FaceModels } from './face-models';
import { requireStaffRole } from './http-routes';
import { fullName, type CandidateReferenceRow, type Store } from './store/store';

/** Staff who may upload and view reference photos (candidates' personal data: not proctors). */
export const REFERENCE_ROLES: readonly StaffRole[] = ['admin', 'reviewer'];
/** A reference photo upload, at most (a phone photo at full size is 2-5 MB: staff should scale it down). */
export const MAX_REFERENCE_PHOTO_BYTES = 2 * 1024 * 1024;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const isJpeg = (b: Uint8Array): boolean => b.byteLength > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

export interface ReferenceInfo {
  candidateId: string;
  source: 'file' | 'enrolled';
  sha256: string;
  bytes: number;
  storedAt: number;
}

const infoOf = (r: CandidateReferenceRow): ReferenceInfo => ({ candidateId: r.candidateId, source: r.source, sha256: r.sha256, bytes: r.jpeg.byteLength, storedAt: r.storedAt });

export class IdentityService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly faces: FaceModels,
  ) {}

  /** Staff upload: one face must be found; it replaces any earlier reference (a file photo or an enrolled face). */
  async uploadReference(candidateId: string, jpeg: Uint8Array): Promise<ReferenceInfo> {
    if (!(await this.store.getCandidate(candidateId))) throw new ExamError('not_found', 'no such candidate');
    if (!isJpeg(jpeg)) throw new ExamError('invalid', 'the photo must be a JPEG file');
    let found;
    try {
      found = await this.faces.describePhoto(jpeg);
    } catch (e) {
      if (e instanceof PhotoDecodeError) throw new ExamError('invalid', e.message);
      throw e;
    }
    if (found.faces === 0) throw new ExamError('invalid', 'no face was found in the photo: upload a frontal photo of the candidate\'s face, well lit');
    if (found.faces > 1 || !found.descriptor) throw new ExamError('invalid', `${found.faces} faces were found in the photo: upload a photo of the candidate alone`);
    const row: CandidateReferenceRow = { candidateId, jpeg, sha256: sha256(jpeg), descriptor: found.descriptor, source: 'file', storedAt: this.clock.now() };
    await this.store.putCandidateReference(row);
    return infoOf(row);
  }

  async referenceOf(candidateId: string): Promise<CandidateReferenceRow | null> {
    return this.store.getCandidateReference(candidateId);
  }

  /** Before the exam: compare the live face with the reference (or enrol it when there is none). */
  async verify(sessionId: string, live: { descriptor: number[]; liveness: LivenessReport; jpeg: Uint8Array }): Promise<{ result: IdentityResult; snapshot: ExamSnapshot }> {
    const session = await this.exams.session(sessionId);
    if (session.status !== 'issued') throw new ExamError('closed', 'identity is verified before the exam starts');
    const prestart = await this.store.getPrestart(sessionId);
    const before = prestart.identity ?? { verifiedAt: null, similarity: null, attempts: 0, reference: null };
    if (before.verifiedAt !== null) throw new ExamError('conflict', 'identity is already verified for this exam');
    if ('decision' in before && before.decision?.outcome === 'rejected') throw new ExamError('closed', 'the proctor did not confirm your identity: contact the centre');
    if (before.attempts >= MAX_IDENTITY_ATTEMPTS) {
      throw new ExamError('too_many', `identity could not be confirmed in ${MAX_IDENTITY_ATTEMPTS} tries: the proctor has been told and will check your identity`);
    }
    const attempts = before.attempts + 1;
    const now = this.clock.now();
    const photoSha256 = sha256(live.jpeg);
    // The photo taken for the record is kept as evidence of this attempt (reviewers see it with the log).
    await this.store.putEvidence(sessionId, { incidentId: `identity-${attempts}`, sha256: photoSha256, mime: 'image/jpeg', bytes: live.jpeg, storedAt: now });
    const liveness = { ...live.liveness, passed: live.liveness.passed && turnsPass(live.liveness.yawMinDeg, live.liveness.yawMaxDeg) };
    const reference = await this.store.getCandidateReference(session.candidateId);
    const descriptor = Float32Array.from(live.descriptor);

    let result: IdentityResult;
    if (!liveness.passed) {
      const similarity = reference ? roundSimilarity(cosineSimilarity(reference.descriptor, descriptor)) : 0;
      result = { matched: false, similarity, threshold: IDENTITY_THRESHOLD, reference: reference?.source ?? 'enrolled', attempts };
      const reason = live.liveness.passed ? 'liveness report does not show a turn both ways' : 'liveness not passed';
      await this.exams.logServerEvent(sessionId, 'identity.failed', { similarity, threshold: IDENTITY_THRESHOLD, liveness, reason, attempts, photoSha256 });
    } else if (!reference) {
      await this.store.putCandidateReference({ candidateId: session.candidateId, jpeg: live.jpeg, sha256: photoSha256, descriptor, source: 'enrolled', storedAt: now });
      result = { matched: true, similarity: 1, threshold: IDENTITY_THRESHOLD, reference: 'enrolled', attempts };
      // enrolled: no photo on file, so this face was not matched against anything: the proctor should look.
      await this.exams.logServerEvent(sessionId, 'identity.verified', { similarity: null, threshold: IDENTITY_THRESHOLD, liveness, reference: 'enrolled', enrolled: true, photoSha256, attempts });
    } else {
      const similarity = roundSimilarity(cosineSimilarity(reference.descriptor, descriptor));
      const matched = similarity >= IDENTITY_THRESHOLD;
      result = { matched, similarity, threshold: IDENTITY_THRESHOLD, reference: reference.source, attempts };
      const data = { similarity, threshold: IDENTITY_THRESHOLD, liveness, reference: reference.source, referenceSha256: reference.sha256, photoSha256, attempts };
      await this.exams.logServerEvent(sessionId, matched ? 'identity.verified' : 'identity.failed', matched ? data : { ...data, reason: 'face does not match the reference' });
    }
    if (!result.matched && attempts >= MAX_IDENTITY_ATTEMPTS) {
      await this.exams.logServerEvent(sessionId, 'identity.failed', { reason: `no match in ${MAX_IDENTITY_ATTEMPTS} tries: the proctor must check the candidate`, attempts, similarity: result.similarity, threshold: IDENTITY_THRESHOLD });
    }
    await this.store.updatePrestart(sessionId, {
      identity: { verifiedAt: result.matched ? now : null, similarity: result.reference === 'enrolled' && result.matched ? null : result.similarity, attempts, reference: result.matched ? result.reference : (reference?.source ?? null) },
    });
    return { result, snapshot: await this.exams.snapshot(sessionId) };
  }

  /** During the exam: a fresh descriptor against the reference; logged either way. */
  async check(sessionId: string, descriptor: number[]): Promise<IdentityResult> {
    const session = await this.exams.session(sessionId);
    if (session.status !== 'in_progress') throw new ExamError('closed', 'identity is re-checked only while the exam runs');
    const reference = await this.store.getCandidateReference(session.candidateId);
    if (!reference) throw new ExamError('not_found', 'no reference face for this candidate: verify identity before the exam');
    const similarity = roundSimilarity(cosineSimilarity(reference.descriptor, Float32Array.from(descriptor)));
    const matched = similarity >= IDENTITY_THRESHOLD;
    const attempts = (await this.store.getPrestart(sessionId)).identity?.attempts ?? 0;
    await this.exams.logServerEvent(sessionId, 'identity.checked', { similarity, threshold: IDENTITY_THRESHOLD, matched, reference: reference.source });
    return { matched, similarity, threshold: IDENTITY_THRESHOLD, reference: reference.source, attempts };
  }
}

const candidateParams = z.object({ id: z.string().uuid() });

/** REST for reference photos: upload (JPEG body), its details, the photo itself, and the candidates to choose from. */
export function registerIdentityRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock; identity: IdentityService }): void {
  const requireRole = (req: FastifyRequest, reply: FastifyReply) => requireStaffRole(deps, req, reply, REFERENCE_ROLES);
  const fail = (reply: FastifyReply, e: unknown) => {
    if (!(e instanceof ExamError)) throw e;
    const status = e.code === 'not_found' ? 404 : e.code === 'too_large' ? 413 : 400;
    return reply.code(status).send({ error: { code: e.code, message: e.message } });
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
    scope.addContentTypeParser('image/jpeg', { parseAs: 'buffer', bodyLimit: MAX_REFERENCE_PHOTO_BYTES }, (_req, body, done) => done(null, body));
    scope.post('/api/candidates/:id/reference-photo', { bodyLimit: MAX_REFERENCE_PHOTO_BYTES }, async (req, reply) => {
      if (!(await requireRole(req, reply))) return reply;
      const params = candidateParams.safeParse(req.params);
      if (!params.success) return reply.code(400).send(invalid(params.error));
      if (!Buffer.isBuffer(req.body) || req.body.byteLength === 0) {
        return reply.code(400).send({ error: { code: 'invalid', message: 'send the photo as the request body with Content-Type: image/jpeg' } });
      }
      try {
        return { data: await deps.identity.uploadReference(params.data.id, new Uint8Array(req.body)) };
      } catch (e) {
        return fail(reply, e);
      }
    });
  });
}
