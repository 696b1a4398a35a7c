/**
 * REST routes of appeals (rules 20-23). The candidate files and follows their appeal with the
 * exam link's token as the bearer (the link keeps working after the exam for this); the appeal
 * commission reads and decides; admins read. Nobody else: the commission that drew up the protocol
 * does not judge the appeal against it.
 *
 * | route                                         | roles                           |
 * |-----------------------------------------------|---------------------------------|
 * | GET  /api/exam/appeal                         | the candidate (exam link token) |
 * | POST /api/exam/appeal                         | the candidate (exam link token) |
 * | GET  /api/appeals                             | appeal_commission, admin        |
 * | GET  /api/appeals/:id                         | appeal_commission, admin        |
 * | GET  /api/appeals/:id/files/:index            | appeal_commission, admin        |
 * | GET  /api/appeals/:id/documents/:documentId   | appeal_commission, admin        |
 * | POST /api/appeals/:id/decision                | appeal_commission               |
 * | POST /api/appeals/:id/document                | appeal_commission               |
 *
 * The candidate downloads the decision's PDF and, when issued, the document through
 * /api/exam/documents (procedure-routes.ts), which lists their appeal decision too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { APPEAL_BODY_MAX_BYTES, appealDecisionSchema, appealFilingSchema, type AppealErrorBody } from '../shared/appeal';
import type { StaffRole } from '../shared/protocol';
import { documentQuerySchema } from '../shared/procedure-api';
import { invalid } from '../shared/protocol';
import { AppealError, type AppealService } from './appeal-service';
import { hashToken } from './auth';
import type { Clock } from './clock';
import type { DocumentIssuer } from './document-issuer';
import { bearer, requireStaffRole } from './http-routes';
import { answerError } from './procedure-routes';
import type { Store } from './store/store';

export const APPEAL_READ_ROLES: readonly StaffRole[] = ['appeal_commission', 'admin'];
export const APPEAL_DECIDE_ROLES: readonly StaffRole[] = ['appeal_commission'];

const idParams = z.object({ id: z.string().uuid() });
const fileParams = z.object({ id: z.string().uuid(), index: z.coerce.number().int().min(0).max(99) });
const documentParams = z.object({ id: z.string().uuid(), documentId: z.string().uuid() });

export interface AppealRouteDeps {
  store: Store;
  clock: Clock;
  appeals: AppealService;
  issuer: DocumentIssuer;
}

async function answer(reply: FastifyReply, err: unknown): Promise<FastifyReply> {
  if (err instanceof AppealError) {
    const body: AppealErrorBody = { code: err.code, message: err.message, ...(err.reason ? { reason: err.reason } : {}), ...err.extra };
    return reply.code(err.status).send({ error: body });
  }
  return answerError(reply, err);
}

export function registerAppealRoutes(app: FastifyInstance, deps: AppealRouteDeps): void {
  const { store, appeals, issuer } = deps;
  const parse = async <T>(reply: FastifyReply, schema: z.ZodType<T>, value: unknown): Promise<T | null> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    await reply.code(400).send(invalid(parsed.error));
    return null;
  };

  const candidateSession = async (req: FastifyRequest, reply: FastifyReply): Promise<string | null> => {
    const token = bearer(req);
    const session = token && token.length >= 20 ? await store.findSessionByTokenHash(hashToken(token)) : null;
    if (!session) {
      await reply.code(401).send({ error: { code: 'unauthorised', message: 'the exam link is needed' } });
      return null;
    }
    return session.id;
  };

  app.get('/api/exam/appeal', async (req, reply) => {
    const sessionId = await candidateSession(req, reply);
    if (!sessionId) return reply;
    try {
      return { data: await appeals.candidateState(sessionId) };
    } catch (err) {
      return answer(reply, err);
    }
  });

  app.post('/api/exam/appeal', { bodyLimit: APPEAL_BODY_MAX_BYTES }, async (req, reply) => {
    const sessionId = await candidateSession(req, reply);
    if (!sessionId) return reply;
    const body = await parse(reply, appealFilingSchema, req.body);
    if (!body) return reply;
    try {
      return { data: await appeals.file(sessionId, body) };
    } catch (err) {
      return answer(reply, err);
    }
  });

  app.get('/api/appeals', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, APPEAL_READ_ROLES))) return reply;
    return { data: await appeals.list() };
  });

  app.get('/api/appeals/:id', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, APPEAL_READ_ROLES))) return reply;
    const params = await parse(reply, idParams, req.params);
    if (!params) return reply;
    try {
      return { data: await appeals.detail(params.id) };
    } catch (err) {
      return answer(reply, err);
    }
  });

  /** The candidate's file as they sent it, as a download (never rendered by the centre's origin). */
  app.get('/api/appeals/:id/files/:index', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, APPEAL_READ_ROLES))) return reply;
    const params = await parse(reply, fileParams, req.params);
    if (!params) return reply;
    try {
      const f = await appeals.candidateFile(params.id, params.index);
      return reply
        .type(f.type)
        .header('Content-Disposition', `attachment; filename="${f.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Digest', `sha-256=${Buffer.from(f.sha256, 'hex').toString('base64')}`)
        .send(Buffer.from(f.bytes));
    } catch (err) {
      return answer(reply, err);
    }
  });

  /** The appealed session's protocol, notice, the decision's PDF, the document on recognition: ?lang=kk|ru. */
  app.get('/api/appeals/:id/documents/:documentId', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, APPEAL_READ_ROLES))) return reply;
    const params = await parse(reply, documentParams, req.params);
    const q = params && (await parse(reply, documentQuerySchema, req.query));
    if (!params || !q) return reply;
    try {
      const doc = await appeals.document(params.id, params.documentId);
      const language = q.lang ?? doc.language;
      const file = await issuer.file(doc, language);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="${`${doc.kind}-${doc.number}-${language}`.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`)
        .header('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .send(Buffer.from(file.bytes));
    } catch (err) {
      return answer(reply, err);
    }
  });

  app.post('/api/appeals/:id/decision', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, APPEAL_DECIDE_ROLES);
    if (!user) return reply;
    const params = await parse(reply, idParams, req.params);
    const body = params && (await parse(reply, appealDecisionSchema, req.body));
    if (!params || !body) return reply;
    try {
      const { detail, issueError } = await appeals.decide(params.id, user, body);
      return { data: { ...detail, issueError } };
    } catch (err) {
      return answer(reply, err);
    }
  });

  // Rule 23 again: the document of an upheld appeal whose making failed when it was decided.
  app.post('/api/appeals/:id/document', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, APPEAL_DECIDE_ROLES);
    if (!user) return reply;
    const params = await parse(reply, idParams, req.params);
    if (!params) return reply;
    try {
      const { detail, issueError } = await appeals.issueDocument(params.id, user);
      return { data: { ...detail, issueError } };
    } catch (err) {
      return answer(reply, err);
    }
  });
}
