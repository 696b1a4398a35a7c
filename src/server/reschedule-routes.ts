/**
 * Rule 11: "if technical faults occur during the procedure, the centre moves it to another day and
 * tells the candidate the new date". Exams suspended for a technical fault are the centre's
 * reschedule tasks: proctors and admins list them with the reason and the time (no IIN, no answers).
 */
import type { FastifyInstance } from 'fastify';
import { INCIDENT_TYPES, type IncidentType } from '../shared/incidents';
import type { RescheduleTask, StaffRole } from '../shared/protocol';
import type { Clock } from './clock';
import { requireStaffRole } from './http-routes';
import { fullName, type Store } from './store/store';

const RESCHEDULE_ROLES: readonly StaffRole[] = ['proctor', 'admin'];

export async function rescheduleTasks(store: Store): Promise<RescheduleTask[]> {
  const suspended = await store.listSessions({ statuses: ['suspended'] });
  const tasks = await Promise.all(
    suspended.map(async (s): Promise<RescheduleTask> => {
      const [candidate, programme, events] = await Promise.all([store.getCandidate(s.candidateId), store.getProgramme(s.programmeId), store.listEvents(s.id)]);
      const cause = events.filter((e) => e.type === 'policy.suspended').at(-1)?.data as { type?: unknown; lastedMs?: unknown } | undefined;
      const reason = typeof cause?.type === 'string' && (INCIDENT_TYPES as readonly string[]).includes(cause.type) ? (cause.type as IncidentType) : null;
      return {
        sessionId: s.id,
        candidateName: candidate ? fullName(candidate) : '',
        profession: programme?.profession ?? { kk: '', ru: '', en: '' },
        suspendedAt: s.finishedAt,
        reason,
        lastedMs: typeof cause?.lastedMs === 'number' ? cause.lastedMs : null,
      };
    }),
  );
  return tasks.sort((a, b) => (b.suspendedAt ?? 0) - (a.suspendedAt ?? 0));
}

export function registerRescheduleRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock }): void {
  app.get('/api/reschedule-tasks', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, RESCHEDULE_ROLES))) return reply;
    return { data: await rescheduleTasks(deps.store) };
  });
}
