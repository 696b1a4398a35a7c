/**
 * REST routes of the procedure after the exam (rules 14-19). Staff with a bearer log-in:
 * the exam commission (chair and members) acts, admins read (and revoke a document, and set a
 * programme's technological map), reviewers read violation acts, proctors nothing. The candidate
 * reads their own document on recognition or failure notice with the exam link's token as the bearer
 * (the token the exam page already holds; it is never a staff token, nor a staff token one).
 *
 * | route                                            | roles                                      |
 * |--------------------------------------------------|--------------------------------------------|
 * | GET  /api/procedures                             | commission_chair, commission_member, admin |
 * | GET  /api/procedures/:sessionId                  | commission_chair, commission_member, admin |
 * | PUT  /api/procedures/:sessionId/practical        | commission_chair, commission_member        |
 * | POST /api/procedures/:sessionId/protocol         | commission_chair                           |
 * | POST /api/procedures/:sessionId/signatures       | commission_chair, commission_member        |
 * | POST /api/procedures/:sessionId/issue            | commission_chair, admin                    |
 * | GET  /api/procedures/:sessionId/protocol.pdf     | commission_chair, commission_member, admin |
 * | GET  /api/sessions/:id/violation-act             | commission_chair, commission_member, admin, reviewer |
 * | GET  /api/documents/:id                          | commission_chair, commission_member, admin; reviewer: acts only |
 * | POST /api/documents/:id/revoke                   | admin                                      |
 * | PUT  /api/programmes/:id/technological-map       | admin                                      |
 * | GET  /api/exam/documents, /api/exam/documents/:id| the candidate (exam link token)            |
 * Appeals (rules 20-23): appeal-routes.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ExamLanguage } from '../shared/languages';
import {
  ACT_READ_ROLES,
  COMMISSION_ROLES,
  documentQuerySchema,
  drawProtocolBodySchema,
  practicalBodySchema,
  PROCEDURE_READ_ROLES,
  revokeBodySchema,
  signBodySchema,
  techMapBodySchema,
  type ProcedureError as ProcedureErrorBody,
} from '../shared/procedure-api';
import { invalid } from '../shared/protocol';
import { hashToken } from './auth';
import type { Clock } from './clock';
import type { DocumentIssuer } from './document-issuer';
import { DocumentInputError } from './documents/checks';
import { bearer, requireStaffRole } from './http-routes';
import { actorOf, documentView, ProcedureError, type ProcedureService } from './procedure-service';
import type { IssuedDocumentRow } from './store/procedure-store';
import type { Store } from './store/store';

const sessionParams = z.object({ sessionId: z.string().uuid() });
const idParams = z.object({ id: z.string().uuid() });
const programmeParams = z.object({ id: z.string().min(1).max(64) });
/** Documents the candidate gets (rules 18, 19, 22); the protocol and the act stay in the centre's file. */
const CANDIDATE_KINDS = new Set(['recognition', 'failure-notice', 'appeal-decision']);

export interface ProcedureRouteDeps {
  store: Store;
  clock: Clock;
  procedures: ProcedureService;
  issuer: DocumentIssuer;
}

function send(reply: FastifyReply, status: number, error: ProcedureErrorBody) {
  return reply.code(status).send({ error });
}

/** Answers a refusal of the procedure (or a document that contradicts itself) with its code and reason. */
export async function answerError(reply: FastifyReply, err: unknown): Promise<FastifyReply> {
  if (err instanceof ProcedureError) {
    return send(reply, err.status, {
      code: err.code,
      message: err.message,
      ...(err.reason ? { reason: err.reason } : {}),
      ...(err.itemIds ? { itemIds: err.itemIds } : {}),
    });
  }
  if (err instanceof DocumentInputError)
    return send(reply, 409, { code: 'conflict', message: `the document cannot be drawn up: ${err.message}` });
  throw err;
}

function pdf(reply: FastifyReply, file: { bytes: Uint8Array; sha256: string }, name: string, draft = false) {
  return reply
    .type('application/pdf')
    .header('Content-Disposition', `inline; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`)
    .header('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
    .header('X-Tanu-Document', draft ? 'draft' : 'issued')
    .send(Buffer.from(file.bytes));
}

export function registerProcedureRoutes(app: FastifyInstance, deps: ProcedureRouteDeps): void {
  const { store, procedures, issuer } = deps;
  const parse = async <T>(reply: FastifyReply, schema: z.ZodType<T>, value: unknown): Promise<T | null> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    await reply.code(400).send(invalid(parsed.error));
    return null;
  };
  /** The document's language: asked for, else the one it was issued in. */
  const languageOf = async (req: FastifyRequest, reply: FastifyReply, doc: IssuedDocumentRow | null): Promise<ExamLanguage | null> => {
    const q = await parse(reply, documentQuerySchema, req.query);
    return q ? (q.lang ?? doc?.language ?? 'kk') : null;
  };

  app.get('/api/procedures', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, PROCEDURE_READ_ROLES))) return reply;
    return { data: await procedures.list() };
  });

  app.get('/api/procedures/:sessionId', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, PROCEDURE_READ_ROLES))) return reply;
    const params = await parse(reply, sessionParams, req.params);
    if (!params) return reply;
    try {
      return { data: await procedures.detail(params.sessionId) };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  app.put('/api/procedures/:sessionId/practical', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, COMMISSION_ROLES);
    if (!user) return reply;
    const params = await parse(reply, sessionParams, req.params);
    const body = params && (await parse(reply, practicalBodySchema, req.body));
    if (!params || !body) return reply;
    try {
      return { data: await procedures.recordPractical(params.sessionId, user, body) };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  app.post('/api/procedures/:sessionId/protocol', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['commission_chair']);
    if (!user) return reply;
    const params = await parse(reply, sessionParams, req.params);
    const body = params && (await parse(reply, drawProtocolBodySchema, req.body));
    if (!params || !body) return reply;
    try {
      return { data: await procedures.drawProtocol(params.sessionId, user, body.memberIds) };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  /** One signature; the last one issues the documents (rules 14, 18, 19). A failed issue leaves the signature and says why. */
  app.post('/api/procedures/:sessionId/signatures', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, COMMISSION_ROLES);
    if (!user) return reply;
    const params = await parse(reply, sessionParams, req.params);
    const body = params && (await parse(reply, signBodySchema, req.body));
    if (!params || !body) return reply;
    try {
      const { fullySigned } = await procedures.sign(params.sessionId, user, body.protocolNumber);
      let issueError: ProcedureErrorBody | null = null;
      if (fullySigned) {
        try {
          await issuer.issue(params.sessionId, actorOf(user));
        } catch (err) {
          if (err instanceof ProcedureError)
            issueError = { code: err.code, message: err.message, ...(err.reason ? { reason: err.reason } : {}) };
          else if (err instanceof DocumentInputError) issueError = { code: 'conflict', message: err.message };
          else throw err;
        }
      }
      return { data: { ...(await procedures.detail(params.sessionId)), issueError } };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  /** Issues again what a signed protocol calls for, after a refusal was fixed (e.g. the accreditation number). */
  app.post('/api/procedures/:sessionId/issue', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['commission_chair', 'admin']);
    if (!user) return reply;
    const params = await parse(reply, sessionParams, req.params);
    if (!params || !(await parse(reply, z.object({}).strict(), req.body ?? {}))) return reply;
    try {
      return { data: await issuer.issue(params.sessionId, actorOf(user)) };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  /** The protocol as a PDF: the issued one, or a draft with the signatures so far (what the commission signs). */
  app.get('/api/procedures/:sessionId/protocol.pdf', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, PROCEDURE_READ_ROLES))) return reply;
    const params = await parse(reply, sessionParams, req.params);
    if (!params) return reply;
    const language = await languageOf(req, reply, null);
    if (!language) return reply;
    try {
      const file = await issuer.recordOf(params.sessionId, 'protocol', language);
      return pdf(reply, file, `protocol-${params.sessionId}-${language}`, file.draft);
    } catch (err) {
      return answerError(reply, err);
    }
  });

  /** Rule 14: the violation act of a session ended for a violation or with one confirmed, drawn from its log. */
  app.get('/api/sessions/:id/violation-act', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, ACT_READ_ROLES))) return reply;
    const params = await parse(reply, idParams, req.params);
    if (!params) return reply;
    const language = await languageOf(req, reply, null);
    if (!language) return reply;
    try {
      const s = await procedures.load(params.id);
      if (s.session.status !== 'terminated' && s.verdict?.kind !== 'violation_confirmed') {
        throw new ProcedureError(
          409,
          'conflict',
          'the exam was not ended for a violation and no violation was confirmed (rule 14)',
          'no_violation',
        );
      }
      if (!s.procedure?.protocol)
        throw new ProcedureError(
          409,
          'conflict',
          'the act is drawn up by the commission the protocol names: the chair draws up the protocol first',
          'no_protocol',
        );
      const file = await issuer.recordOf(params.id, 'violation-act', language);
      return pdf(reply, file, `violation-act-${params.id}-${language}`, file.draft);
    } catch (err) {
      return answerError(reply, err);
    }
  });

  app.get('/api/documents/:id', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ACT_READ_ROLES);
    if (!user) return reply;
    const params = await parse(reply, idParams, req.params);
    if (!params) return reply;
    const doc = await store.getDocument(params.id);
    if (!doc) return send(reply, 404, { code: 'not_found', message: 'no such document' });
    if (user.role === 'reviewer' && doc.kind !== 'violation-act')
      return send(reply, 403, { code: 'forbidden', message: 'reviewers read violation acts only' });
    const language = await languageOf(req, reply, doc);
    if (!language) return reply;
    try {
      return pdf(reply, await issuer.file(doc, language), `${doc.kind}-${doc.number}-${language}`);
    } catch (err) {
      return answerError(reply, err);
    }
  });

  app.post('/api/documents/:id/revoke', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['admin']);
    if (!user) return reply;
    const params = await parse(reply, idParams, req.params);
    const body = params && (await parse(reply, revokeBodySchema, req.body));
    if (!params || !body) return reply;
    const doc = await store.getDocument(params.id);
    if (!doc) return send(reply, 404, { code: 'not_found', message: 'no such document' });
    try {
      return { data: await issuer.revoke(doc, actorOf(user), body.reason) };
    } catch (err) {
      return answerError(reply, err);
    }
  });

  app.put('/api/programmes/:id/technological-map', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['admin']);
    if (!user) return reply;
    const params = await parse(reply, programmeParams, req.params);
    const body = params && (await parse(reply, techMapBodySchema, req.body));
    if (!params || !body) return reply;
    const before = await store.getProgramme(params.id);
    if (!before) return send(reply, 404, { code: 'not_found', message: 'no such programme' });
    await store.setTechnologicalMap(params.id, body.items, {
      at: deps.clock.now(),
      actor: actorOf(user),
      action: 'programme.technological_map',
      subject: `programme:${params.id}`,
      changes: { from: before.technologicalMap, to: body.items },
    });
    return { data: { items: body.items } };
  });

  /* ---------------- the candidate, with the exam link's token ---------------- */

  const candidateSession = async (req: FastifyRequest, reply: FastifyReply): Promise<string | null> => {
    const token = bearer(req);
    const session = token && token.length >= 20 ? await store.findSessionByTokenHash(hashToken(token)) : null;
    if (!session) {
      await send(reply, 401, { code: 'unauthorised', message: 'the exam link is needed' });
      return null;
    }
    return session.id;
  };

  app.get('/api/exam/documents', async (req, reply) => {
    const sessionId = await candidateSession(req, reply);
    if (!sessionId) return reply;
    return { data: (await store.listDocuments(sessionId)).filter((d) => CANDIDATE_KINDS.has(d.kind)).map(documentView) };
  });

  app.get('/api/exam/documents/:id', async (req, reply) => {
    const sessionId = await candidateSession(req, reply);
    if (!sessionId) return reply;
    const params = await parse(reply, idParams, req.params);
    if (!params) return reply;
    const doc = await store.getDocument(params.id);
    // Another candidate's document, or a record kept in the centre's file: as if it did not exist.
    if (!doc || doc.sessionId !== sessionId || !CANDIDATE_KINDS.has(doc.kind))
      return send(reply, 404, { code: 'not_found', message: 'no such document' });
    const language = await languageOf(req, reply, doc);
    if (!language) return reply;
    try {
      return pdf(reply, await issuer.file(doc, language), `${doc.kind}-${doc.number}-${language}`);
    } catch (err) {
      return answerError(reply, err);
    }
  });
}
