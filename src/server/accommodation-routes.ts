/**
 * Rules 10-11: the admin sets a candidate's accommodations before the exam, with the reason
 * and, optionally, the supporting document (a photo or a PDF, checked by its first bytes). Each setting is
 * one transaction with its audit entry, and an 'accommodations.set' entry in the log of every exam of the
 * candidate not started yet (an exam that has started keeps what it started with: frozen in its row).
 *
 * | route                                                  | roles |
 * |--------------------------------------------------------|-------|
 * | GET /api/admin/candidates/:id/accommodations           | admin |
 * | PUT /api/admin/candidates/:id/accommodations           | admin |
 * | GET /api/admin/candidates/:id/accommodations/document  | admin |
 *
 * The proctor sees them on the candidate's card (LiveSession.accommodations), the candidate in the briefing.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { hasAccommodations, type AccommodationRecord } from '../shared/accommodations';
import { accommodationsBodySchema } from '../shared/accommodations-schema';
import { invalid } from '../shared/protocol';
import { checkCertificate } from '../shared/reschedule';
import { actorOf } from './admin-routes';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import { requireStaffRole } from './http-routes';
import type { Store } from './store/store';

export interface AccommodationRouteDeps {
  store: Store;
  clock: Clock;
  exams: ExamService;
  /** An exam's state changed for its candidate and its card (the briefing shows the accommodations). */
  changed: (sessionId: string) => void;
}

const idParams = z.object({ id: z.string().uuid() });
/** The base64 of a 5 MB document with the JSON around it. */
const BODY_LIMIT = 7 * 1024 * 1024 + 64 * 1024;

export function registerAccommodationRoutes(app: FastifyInstance, deps: AccommodationRouteDeps): void {
  const { store, clock, exams } = deps;
  const refuse = (reply: FastifyReply, status: number, code: string, message: string, reason?: string) =>
    reply.code(status).send({ error: { code, message, ...(reason ? { reason } : {}) } });

  app.get('/api/admin/candidates/:id/accommodations', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, ['admin']))) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    if (!(await store.getCandidate(params.data.id))) return refuse(reply, 404, 'not_found', 'no such candidate');
    return { data: await store.getAccommodations(params.data.id) };
  });

  app.put('/api/admin/candidates/:id/accommodations', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['admin']);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const body = accommodationsBodySchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const candidateId = params.data.id;
    if (!(await store.getCandidate(candidateId))) return refuse(reply, 404, 'not_found', 'no such candidate');
    let document: { name: string; type: string; sha256: string; bytes: Uint8Array } | null = null;
    if (body.data.document) {
      const bytes = new Uint8Array(Buffer.from(body.data.document.data, 'base64'));
      const checked = checkCertificate(bytes);
      if (!checked.ok)
        return refuse(
          reply,
          checked.reason === 'too_large' ? 413 : 400,
          checked.reason === 'too_large' ? 'too_large' : 'invalid',
          'the document is not a photo or a PDF',
          checked.reason,
        );
      document = { name: body.data.document.name, type: checked.type, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
    }
    const now = clock.now();
    const by = actorOf(user);
    const record: AccommodationRecord = {
      accommodations: body.data.accommodations,
      reason: body.data.reason,
      setBy: { role: by.role, name: by.name },
      setAt: now,
      document: document && { name: document.name, type: document.type, sha256: document.sha256, bytes: document.bytes.byteLength },
    };
    const audit = {
      at: now,
      actor: by,
      action: 'candidate.accommodations',
      subject: `candidate:${candidateId}`,
      changes: { accommodations: record.accommodations, reason: record.reason, documentSha256: document?.sha256 ?? null },
    };
    if (!(await store.setAccommodations(candidateId, record, document, audit))) return refuse(reply, 404, 'not_found', 'no such candidate');
    // The log of each exam not started yet says what it will run with, who set it and why.
    const notStarted = (await store.listSessions({ statuses: ['issued'] })).filter((s) => s.candidateId === candidateId);
    for (const s of notStarted) {
      await exams.logServerEvent(s.id, 'accommodations.set', {
        accommodations: hasAccommodations(record.accommodations) ? record.accommodations : null,
        reason: record.reason,
        documentSha256: document?.sha256 ?? null,
        by,
      });
      deps.changed(s.id);
    }
    return { data: { record, exams: notStarted.length } };
  });

  app.get('/api/admin/candidates/:id/accommodations/document', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, ['admin']))) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const doc = await store.getAccommodationDocument(params.data.id);
    if (!doc) return refuse(reply, 404, 'not_found', 'no document');
    return reply
      .header('content-type', doc.type)
      .header(
        'content-disposition',
        `attachment; filename="accommodations-${params.data.id}.${doc.type === 'application/pdf' ? 'pdf' : doc.type === 'image/png' ? 'png' : 'jpg'}"`,
      )
      .header('cache-control', 'no-store')
      .send(Buffer.from(doc.bytes));
  });
}
