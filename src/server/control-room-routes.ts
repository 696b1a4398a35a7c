/**
 * REST for the control room: the reference photo a proctor compares a live face with,
 * the proctors an admin can assign candidates to, and the assignment itself.
 *
 * Who sees a reference photo (a face: personal data): admins and reviewers always; a proctor only
 * while the session is not finished (the identity decision and the live comparison need it), never
 * afterwards. Live photos are evidence (identity-N) under the evidence route, for the same staff.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assignSchema, type StaffActor } from '../shared/control-room';
import { invalid, type SessionStatus } from '../shared/protocol';
import { maySeeFacePhotos } from './face-access';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import { requireStaffRole } from './http-routes';
import type { LiveFeed } from './live-feed';
import type { Store } from './store/store';

const sessionParams = z.object({ id: z.string().uuid() });
/** Sessions that still need a proctor: they count against a proctor's limit. */
const OPEN_STATUSES: SessionStatus[] = ['issued', 'in_progress'];

/** YYYY-MM-DD of a time, in the centre's local day (Kazakhstan runs one time zone, UTC+5, since 2024). */
export function centreDay(ms: number, utcOffsetMinutes = 300): string {
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function registerControlRoomRoutes(
  app: FastifyInstance,
  deps: { store: Store; clock: Clock; feed: LiveFeed; exams: ExamService; proctorLimit: number; assigned: (sessionIds: string[]) => void },
): void {
  const { store } = deps;

  app.get('/api/sessions/:id/identity/reference', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, ['proctor', 'reviewer', 'admin']);
    if (!user) return reply;
    const params = sessionParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const session = await store.getSession(params.data.id);
    if (!session) return reply.code(404).send({ error: { code: 'not_found', message: 'no such session' } });
    // One rule for every face photo (face-access.ts), the enrolled reference and the one on file alike.
    if (!maySeeFacePhotos(user, session)) {
      return reply.code(403).send({
        error: { code: 'forbidden', message: 'proctors see the reference photo only while the exam is live and theirs to watch' },
      });
    }
    const ref = await store.getCandidateReference(session.candidateId);
    if (!ref) return reply.code(404).send({ error: { code: 'not_found', message: 'no reference photo for this candidate' } });
    return reply.header('Cache-Control', 'no-store').type('image/jpeg').send(Buffer.from(ref.jpeg));
  });

  /** Admins: the proctors, with how many open sessions each has and the limit. */
  app.get('/api/staff-users', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, ['admin']))) return reply;
    const users = await store.listStaffUsers();
    return {
      data: await Promise.all(
        users.map(async (u) => ({
          id: u.id,
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          assigned: u.role === 'proctor' ? await store.countAssigned(u.id, OPEN_STATUSES) : 0,
          limit: deps.proctorLimit,
        })),
      ),
    };
  });

  /** Admins assign sessions (or a programme's sessions of one day) to a proctor, within the proctor's limit. */
  app.post('/api/assignments', async (req, reply) => {
    const admin = await requireStaffRole(deps, req, reply, ['admin']);
    if (!admin) return reply;
    const parsed = assignSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const a = parsed.data;
    let proctor: StaffActor | null = null;
    if (a.proctorId) {
      const user = await store.getStaffUser(a.proctorId);
      if (!user || user.role !== 'proctor') return reply.code(404).send({ error: { code: 'not_found', message: 'no such proctor' } });
      proctor = { userId: user.id, name: user.displayName, role: user.role };
    }
    let sessions;
    if (a.sessionIds) {
      sessions = (await Promise.all(a.sessionIds.map((id) => store.getSession(id)))).filter((s) => s !== null);
      if (sessions.length !== new Set(a.sessionIds).size)
        return reply.code(404).send({ error: { code: 'not_found', message: 'some of those sessions do not exist' } });
    } else {
      sessions = (await store.listSessions({ statuses: OPEN_STATUSES })).filter(
        (s) => s.programmeId === a.programmeId && centreDay(s.startedAt ?? s.createdAt) === a.day,
      );
    }
    const changing = sessions.filter((s) => s.assignedTo !== (proctor?.userId ?? null));
    if (proctor) {
      const already = await store.countAssigned(proctor.userId, OPEN_STATUSES);
      const adding = changing.filter((s) => OPEN_STATUSES.includes(s.status)).length;
      if (already + adding > deps.proctorLimit) {
        return reply.code(409).send({
          error: {
            code: 'conflict',
            message: `${proctor.name} would have ${already + adding} candidates, more than the limit of ${deps.proctorLimit}: assign fewer, or to another proctor`,
          },
        });
      }
    }
    const ids = changing.map((s) => s.id);
    const assigned = await store.assignSessions(ids, proctor?.userId ?? null);
    const by: StaffActor = { userId: admin.id, name: admin.displayName, role: admin.role };
    for (const id of ids) await deps.exams.logServerEvent(id, 'session.assigned', { proctor, by });
    deps.assigned(ids);
    return { data: { assigned, sessions: sessions.length } };
  });
}
