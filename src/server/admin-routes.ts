/**
 * The admin console's routes (`/api/admin/...`), admins only, checked here at the centre:
 * candidates (Appendix 1 record, find, CSV import), exams (schedule with a window, issue the one-time
 * link, revoke, who has not started) and the centre-level audit log. Each create or edit is written with
 * its audit entry (who, when, what changed) in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  candidateImportSchema,
  scheduleExamSchema,
  type AdminError,
  type AuditView,
  type ImportRefusal,
  type IssuedExam,
  type NotStartedExam,
} from '../shared/admin';
import { parseCandidateCsv } from '../shared/candidate-csv';
import {
  candidateChanges,
  candidateFieldErrors,
  candidateInputSchema,
  type CandidateData,
  type CandidateRecord,
} from '../shared/candidate-record';
import type { StaffActor } from '../shared/control-room';
import { invalid } from '../shared/protocol';
import type { Clock } from './clock';
import { requireStaffRole } from './http-routes';
import type { AuditEntry, CandidateRecordRow } from './store/admin-store';
import { fullName, type StaffUserRow, type Store } from './store/store';

export interface AdminRouteDeps {
  store: Store;
  clock: Clock;
  issueExamLink: (candidateId: string, programmeId: string) => Promise<{ sessionId: string; url: string; expiresAt: number }>;
}

/** A CSV of this many bytes at most (about 2,000 candidates). */
export const MAX_IMPORT_BYTES = 1_000_000;
const idParams = z.object({ id: z.string().uuid() });
const findQuery = z.object({ q: z.string().max(100).optional() });
const auditQuery = z.object({ subject: z.string().max(120).optional() });

export const actorOf = (user: StaffUserRow): StaffActor => ({ userId: user.id, name: user.displayName, role: user.role });

export function toAuditView(e: AuditEntry): AuditView {
  return {
    id: e.id,
    at: e.at,
    actor: { name: e.actor.name, role: e.actor.role },
    action: e.action,
    subject: e.subject,
    changes: e.changes,
  };
}

/** The stored record with the form's fields (pure). */
export function recordRow(id: string, centreId: string, data: CandidateData, now: number, consentAt: number | null): CandidateRecordRow {
  const { consent: _given, ...fields } = data;
  return { id, centreId, ...fields, consentAt: consentAt ?? now, updatedAt: now };
}

function recordView(r: CandidateRecordRow, hasReferencePhoto: boolean): CandidateRecord {
  return {
    id: r.id,
    surname: r.surname,
    givenName: r.givenName,
    patronymic: r.patronymic,
    iin: r.iin,
    birthDate: r.birthDate ?? '',
    address: r.address ?? '',
    email: r.email,
    phone: r.phone ?? '',
    profession: r.profession ?? '',
    nqfLevel: r.nqfLevel ?? 0,
    consentAt: r.consentAt,
    updatedAt: r.updatedAt,
    hasReferencePhoto,
  };
}

const refuse = (reply: FastifyReply, status: number, error: AdminError) => reply.code(status).send({ error });

export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const { store, clock } = deps;
  const admin = (req: FastifyRequest, reply: FastifyReply) => requireStaffRole(deps, req, reply, ['admin']);
  const view = async (r: CandidateRecordRow) => recordView(r, Boolean(await store.getCandidateReference(r.id)));

  app.get('/api/admin/candidates', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const query = findQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(invalid(query.error));
    const rows = await store.findCandidateRecords(query.data.q ?? '', 200);
    return { data: await Promise.all(rows.map(view)) };
  });

  app.get('/api/admin/candidates/:id', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const row = await store.getCandidateRecord(params.data.id);
    if (!row) return refuse(reply, 404, { code: 'not_found', message: 'no such candidate' });
    return { data: { candidate: await view(row), audit: (await store.listAudit(`candidate:${row.id}`, 100)).map(toAuditView) } };
  });

  app.post('/api/admin/candidates', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const parsed = candidateInputSchema.safeParse(req.body);
    if (!parsed.success)
      return refuse(reply, 400, { code: 'invalid', message: 'the form has errors', fields: candidateFieldErrors(parsed.error) });
    const centre = await store.getCentre();
    if (!centre) return refuse(reply, 409, { code: 'conflict', message: 'the centre is not set up' });
    const now = clock.now();
    const row = recordRow(randomUUID(), centre.id, parsed.data, now, null);
    const outcome = await store.createCandidateRecord(row, {
      at: now,
      actor: actorOf(user),
      action: 'candidate.created',
      subject: `candidate:${row.id}`,
      changes: candidateChanges(null, row),
    });
    if (outcome === 'duplicate_iin')
      return refuse(reply, 409, {
        code: 'conflict',
        reason: 'duplicate_iin',
        message: 'a candidate with this IIN is on file',
        fields: { iin: 'duplicate_iin' },
      });
    return { data: await view(row) };
  });

  app.put('/api/admin/candidates/:id', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const parsed = candidateInputSchema.safeParse(req.body);
    if (!parsed.success)
      return refuse(reply, 400, { code: 'invalid', message: 'the form has errors', fields: candidateFieldErrors(parsed.error) });
    const before = await store.getCandidateRecord(params.data.id);
    if (!before) return refuse(reply, 404, { code: 'not_found', message: 'no such candidate' });
    const now = clock.now();
    const row = recordRow(before.id, before.centreId, parsed.data, now, before.consentAt);
    const outcome = await store.updateCandidateRecord(row, (stored) => ({
      at: now,
      actor: actorOf(user),
      action: 'candidate.updated',
      subject: `candidate:${row.id}`,
      changes: candidateChanges(stored, row),
    }));
    if (outcome === 'not_found') return refuse(reply, 404, { code: 'not_found', message: 'no such candidate' });
    if (outcome === 'duplicate_iin')
      return refuse(reply, 409, {
        code: 'conflict',
        reason: 'duplicate_iin',
        message: 'a candidate with this IIN is on file',
        fields: { iin: 'duplicate_iin' },
      });
    return { data: await view((await store.getCandidateRecord(row.id))!) };
  });

  /** Many candidates from a CSV; each line is created or refused on its own, and every refusal says why. */
  app.post('/api/admin/candidates/import', { bodyLimit: MAX_IMPORT_BYTES }, async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const body = candidateImportSchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const file = parseCandidateCsv(body.data.csv);
    if (!file.ok)
      return refuse(reply, 400, { code: 'invalid', reason: file.code, message: file.column ? `column ${file.column}` : file.code });
    const centre = await store.getCentre();
    if (!centre) return refuse(reply, 409, { code: 'conflict', message: 'the centre is not set up' });
    const refused: ImportRefusal[] = [];
    let created = 0;
    const seen = new Set<string>();
    for (const { line, input } of file.rows) {
      const iin = typeof input.iin === 'string' && input.iin ? input.iin : null;
      const name = [input.surname, input.givenName].filter((v) => typeof v === 'string' && v).join(' ') || null;
      const parsed = candidateInputSchema.safeParse(input);
      if (!parsed.success) {
        refused.push({ line, iin, name, errors: candidateFieldErrors(parsed.error) });
        continue;
      }
      if (seen.has(parsed.data.iin)) {
        refused.push({ line, iin, name, errors: { iin: 'duplicate_iin' } });
        continue;
      }
      seen.add(parsed.data.iin);
      const now = clock.now();
      const row = recordRow(randomUUID(), centre.id, parsed.data, now, null);
      const outcome = await store.createCandidateRecord(row, {
        at: now,
        actor: actorOf(user),
        action: 'candidate.imported',
        subject: `candidate:${row.id}`,
        changes: { line, ...candidateChanges(null, row) },
      });
      if (outcome === 'duplicate_iin') refused.push({ line, iin, name, errors: { iin: 'duplicate_iin' } });
      else created++;
    }
    return { data: { created, refused } };
  });

  app.get('/api/admin/audit', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const query = auditQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(invalid(query.error));
    return { data: (await store.listAudit(query.data.subject ?? null, 200)).map(toAuditView) };
  });

  /** Schedules an exam: ends the candidate's unused links for the programme, issues a new one that works until the window ends. */
  app.post('/api/admin/exams', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const parsed = scheduleExamSchema.safeParse(req.body);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((i) => i.message)
        .find((m): m is 'window_order' | 'window_too_long' => m === 'window_order' || m === 'window_too_long');
      return refuse(reply, 400, { code: 'invalid', ...(reason ? { reason } : {}), message: 'bad schedule' });
    }
    const { candidateId, programmeId, windowStart, windowEnd } = parsed.data;
    const now = clock.now();
    if (windowEnd <= now) return refuse(reply, 400, { code: 'invalid', reason: 'window_past', message: 'the window has ended already' });
    if (!(await store.getCandidate(candidateId)) || !(await store.getProgramme(programmeId))) {
      return refuse(reply, 404, { code: 'not_found', message: 'no such candidate or programme' });
    }
    const revoked = await store.revokeOpenLinks(candidateId, programmeId, now);
    const link = await deps.issueExamLink(candidateId, programmeId);
    const window = { start: windowStart, end: windowEnd };
    await store.setExamWindow(link.sessionId, window);
    await store.appendAudit({
      at: now,
      actor: actorOf(user),
      action: 'exam.scheduled',
      subject: `candidate:${candidateId}`,
      changes: { sessionId: link.sessionId, programmeId, window, revoked },
    });
    const expiresAt = Math.min(link.expiresAt, windowEnd);
    return { data: { sessionId: link.sessionId, url: link.url, expiresAt, window, revoked } satisfies IssuedExam };
  });

  app.post('/api/admin/exams/:id/revoke', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const session = await store.getSession(params.data.id);
    if (!session) return refuse(reply, 404, { code: 'not_found', message: 'no such exam' });
    const now = clock.now();
    if (!(await store.revokeLink(session.id, now)))
      return refuse(reply, 409, { code: 'conflict', reason: 'link_used', message: 'the link was used or has ended already' });
    await store.appendAudit({
      at: now,
      actor: actorOf(user),
      action: 'exam.revoked',
      subject: `candidate:${session.candidateId}`,
      changes: { sessionId: session.id },
    });
    return { data: { revoked: session.id } };
  });

  /** Links issued and not used yet: who has not started. */
  app.get('/api/admin/exams/not-started', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const [rows, candidates, programmes] = await Promise.all([
      store.listNotStarted(clock.now()),
      store.listCandidates(),
      store.listProgrammes(),
    ]);
    const names = new Map(candidates.map((c) => [c.id, fullName(c)]));
    const codes = new Map(programmes.map((p) => [p.id, p.code]));
    return {
      data: rows.map((r): NotStartedExam => ({
        sessionId: r.sessionId,
        candidateId: r.candidateId,
        candidateName: names.get(r.candidateId) ?? '',
        programmeCode: codes.get(r.programmeId) ?? '',
        createdAt: r.createdAt,
        expiresAt: r.tokenExpiresAt,
        window: r.window,
      })),
    };
  });
}
