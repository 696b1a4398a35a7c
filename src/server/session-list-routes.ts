/**
 * GET /api/sessions, the sessions list for staff: filtered, sorted and paged at the centre
 * (SQL, src/server/store/session-list-query.ts), the query validated by the shared zod schema.
 * Proctors, reviewers and admins may list sessions; personal numbers (IIN) reach only reviewers and
 * admins, who may also search by them (a proctor's digits never match an IIN, so a search cannot
 * reveal whose number it is).
 */
import type { FastifyInstance } from 'fastify';
import { CREDIBILITY_EVENT_TYPES, credibilityOf, incidentsOfLog } from '../shared/credibility';
import { invalid, type StaffRole } from '../shared/protocol';
import { sessionListQuerySchema, type SessionListPage, type SessionListRow } from '../shared/session-list';
import type { Clock } from './clock';
import { requireStaffRole } from './http-routes';
import type { SessionListDbRow } from './store/session-list-query';
import type { EventRow, IncidentReviewRow, Store } from './store/store';

export const LIST_ROLES: readonly StaffRole[] = ['proctor', 'reviewer', 'admin'];
/** Who sees a candidate's IIN in the list (the same roles as the session page, GET /api/sessions/:id). */
export const IIN_ROLES: readonly StaffRole[] = ['reviewer', 'admin'];

/** What src/shared/credibility.ts's credibilityOf() reads for one session (built here for each row of the page). */
export interface SessionScoreInput {
  events: ReadonlyArray<Pick<EventRow, 'type' | 'data'>>;
  reviews: ReadonlyArray<Pick<IncidentReviewRow, 'incidentId' | 'decision' | 'at'>>;
  verdict: { kind: NonNullable<SessionListDbRow['verdict']>; incidentIds: readonly string[] } | null;
}

/** A row's credibility score (src/shared/credibility.ts; the same formula as the session page, GET /api/sessions/:id). */
export function rowCredibility(input: SessionScoreInput): number {
  return credibilityOf({ incidents: incidentsOfLog(input.events), reviews: input.reviews, verdict: input.verdict }).score;
}

export function registerSessionListRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock }): void {
  const { store } = deps;

  app.get('/api/sessions', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, LIST_ROLES);
    if (!user) return reply;
    const parsed = sessionListQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const seesIin = IIN_ROLES.includes(user.role);
    const [{ rows, total }, programmes] = await Promise.all([
      store.listSessionPage(parsed.data, { iinSearch: seesIin }),
      store.listProgrammes(),
    ]);
    const ids = rows.map((r) => r.sessionId);
    const [eventLists, reviews] = await Promise.all([
      Promise.all(ids.map((id) => store.listEventsOfTypes(id, CREDIBILITY_EVENT_TYPES))),
      store.listIncidentReviewsFor(ids),
    ]);
    const events = new Map(ids.map((id, i) => [id, eventLists[i]!]));
    const out: SessionListRow[] = rows.map((r) => {
      const { iin, verdictIncidentIds, ...row } = r;
      const credibility = rowCredibility({
        events: events.get(r.sessionId) ?? [],
        reviews: reviews.get(r.sessionId) ?? [],
        verdict: r.verdict ? { kind: r.verdict, incidentIds: verdictIncidentIds } : null,
      });
      return { ...row, ...(seesIin ? { iin } : {}), credibility };
    });
    const page: SessionListPage = {
      rows: out,
      total,
      page: parsed.data.page,
      size: parsed.data.size,
      programmes: programmes.map((p) => ({ id: p.id, code: p.code })),
      iinSearch: seesIin,
    };
    return { data: page };
  });
}
