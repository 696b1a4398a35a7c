/**
 * The reviewer's side of a finished session. The verdict (rule 14: what the violation act is drawn
 * up from) is written with its log entry in one transaction (LoggedWrite 'verdict'); overturning an automatic
 * termination makes the session 'suspended', so it appears among the centre's reschedule tasks (rule 11).
 * Reviewers and admins only; the credibility score (src/shared/credibility.ts) is computed from the same data.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { StaffActor } from '../shared/control-room';
import { incidentsOfLog } from '../shared/credibility';
import { invalid, type StaffRole } from '../shared/protocol';
import { verdictSchema, type SessionVerdict } from '../shared/review-verdict';
import { secondsOfLog } from '../shared/signal-seconds';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import { requireStaffRole } from './http-routes';
import { sessionCredibility } from './session-credibility';
import type { Store } from './store/store';

export const VERDICT_ROLES: readonly StaffRole[] = ['reviewer', 'admin'];
const sessionParams = z.object({ id: z.string().uuid() });
/** A verdict is given on an exam that has ended. */
const FINISHED = new Set(['submitted', 'expired', 'terminated', 'suspended']);

export function registerReviewRoutes(
  app: FastifyInstance,
  deps: { store: Store; clock: Clock; exams: ExamService; changed: (sessionId: string) => void },
): void {
  const { store } = deps;
  const refuse = (code: 'not_found' | 'conflict' | 'invalid', message: string) => ({ error: { code, message } });

  /** The whole session's per-second signals (faces, head turn and tilt, sound, speech, frames analysed), for the charts. */
  app.get('/api/sessions/:id/signals', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, VERDICT_ROLES))) return reply;
    const params = sessionParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    if (!(await store.getSession(params.data.id))) return reply.code(404).send(refuse('not_found', 'no such session'));
    return { data: { samples: secondsOfLog(await store.listEventsOfTypes(params.data.id, ['signals.seconds'])) } };
  });

  app.post('/api/sessions/:id/verdict', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, VERDICT_ROLES);
    if (!user) return reply;
    const params = sessionParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const body = verdictSchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const session = await store.getSession(params.data.id);
    if (!session) return reply.code(404).send(refuse('not_found', 'no such session'));
    if (!FINISHED.has(session.status)) return reply.code(409).send(refuse('conflict', 'the exam has not ended: a verdict comes after it'));
    const v = body.data;
    if (v.kind === 'termination_overturned' && session.status !== 'terminated') {
      return reply.code(409).send(refuse('conflict', 'only an exam ended for a violation can have its termination overturned'));
    }
    const known = new Set(incidentsOfLog(await store.listEvents(session.id)).map((i) => i.id));
    const unknown = v.incidentIds.filter((id) => !known.has(id));
    if (unknown.length)
      return reply.code(400).send(refuse('invalid', `incidentIds: not incidents of this session: ${unknown.slice(0, 5).join(', ')}`));
    const by: StaffActor = { userId: user.id, name: user.displayName, role: user.role };
    const verdict: SessionVerdict = {
      kind: v.kind,
      incidentIds: [...new Set(v.incidentIds)],
      comment: v.comment,
      by,
      at: deps.clock.now(),
    };
    const applied = await deps.exams.writeLogged(session.id, { kind: 'verdict', verdict }, [
      {
        type: 'review.verdict',
        data: {
          kind: verdict.kind,
          incidentIds: verdict.incidentIds,
          comment: verdict.comment,
          by,
          overturned: verdict.kind === 'termination_overturned',
        },
      },
    ]);
    if (!applied) return reply.code(409).send(refuse('conflict', 'the session changed meanwhile: reload it'));
    deps.changed(session.id);
    return { data: { verdict, credibility: await sessionCredibility(store, session.id, verdict) } };
  });
}
