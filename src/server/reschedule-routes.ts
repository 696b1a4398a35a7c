/**
 * Rule 11: "if technical faults occur during the procedure, the centre moves it to another day and
 * tells the candidate the new date". Exams suspended for a technical fault are the centre's
 * reschedule tasks: proctors and admins list them with the reason and the time (no IIN, no answers).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { INCIDENT_TYPES, type IncidentType } from '../shared/incidents';
import { invalid, type RescheduleTask, type SessionStatus, type StaffRole } from '../shared/protocol';
import {
  candidateSickLeaveSchema,
  checkCertificate,
  refuseRescheduleBodySchema,
  rescheduleBodySchema,
  RESCHEDULE_STATES,
  sickLeaveBodySchema,
  SICK_LEAVE_BODY_LIMIT,
  type RescheduleNotice,
  type RescheduleTaskView,
} from '../shared/reschedule';
import { CENTRE_TIME_ZONE } from '../shared/working-days';
import { actorOf } from './admin-routes';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import { hashToken } from './auth';
import { bearer, requireStaffRole } from './http-routes';
import type { NewRescheduleTask, RescheduleTaskRow } from './store/procedure-store';
import { fullName, type ExamSessionRow, type LoggedWrite, type Store } from './store/store';
import type { StaffActor } from '../shared/control-room';

const RESCHEDULE_ROLES: readonly StaffRole[] = ['proctor', 'admin'];

export async function rescheduleTasks(store: Store): Promise<RescheduleTask[]> {
  const suspended = await store.listSessions({ statuses: ['suspended'] });
  const tasks = await Promise.all(
    suspended.map(async (s): Promise<RescheduleTask> => {
      const [candidate, programme, events] = await Promise.all([
        store.getCandidate(s.candidateId),
        store.getProgramme(s.programmeId),
        store.listEvents(s.id),
      ]);
      const cause = events.filter((e) => e.type === 'policy.suspended').at(-1)?.data as { type?: unknown; lastedMs?: unknown } | undefined;
      const reason =
        typeof cause?.type === 'string' && (INCIDENT_TYPES as readonly string[]).includes(cause.type) ? (cause.type as IncidentType) : null;
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

/* ------------------------- the workflow: tasks stored, certificates, new windows ------------------------- */

/**
 * | route                                                   | roles  |
 * |---------------------------------------------------------|--------|
 * | GET  /api/admin/reschedule-tasks?state=open|closed|all  | admin  |
 * | POST /api/admin/reschedule-tasks/sick-leave             | admin (on the candidate's behalf, rule 7) |
 * | GET  /api/admin/reschedule-tasks/:id/certificate        | admin  |
 * | POST /api/admin/reschedule-tasks/:id/reschedule         | admin  |
 * | POST /api/admin/reschedule-tasks/:id/refuse             | admin  |
 * | GET  /api/exam/reschedule                               | the candidate (the moved exam's link token) |
 * | POST /api/exam/sick-leave                               | the candidate (a valid exam link token, before the exam) |
 *
 * A technical fault's task is opened by the centre the first time the list is read after the exam was
 * suspended (rule 11); a sick leave's by the admin with the certificate. Each opening and closing is one
 * transaction with its entry in the moved exam's log (who, when, why) and in the centre's audit log.
 * There is no e-mail here: the admin gets the new one-time link to send to the candidate.
 */
export interface AdminRescheduleDeps {
  store: Store;
  clock: Clock;
  exams: ExamService;
  issueExamLink: (candidateId: string, programmeId: string) => Promise<{ sessionId: string; url: string; expiresAt: number }>;
}

const taskParams = z.object({ id: z.string().uuid() });
const listQuery = z.object({ state: z.enum(['open', 'closed', 'all']).default('open') }).strict();
/** Exams a sick leave may move: a link not used yet, or an exam stopped for a fault. */
const SICK_LEAVE_STATUSES: readonly SessionStatus[] = ['issued', 'suspended'];

function taskView(
  t: RescheduleTaskRow,
  names: Map<string, string>,
  sessions: Map<string, ExamSessionRow>,
  codes: Map<string, string>,
): RescheduleTaskView {
  const s = sessions.get(t.sessionId);
  return {
    id: t.id,
    cause: t.cause,
    state: t.state,
    sessionId: t.sessionId,
    candidateId: s?.candidateId ?? '',
    candidateName: names.get(s?.candidateId ?? '') ?? '',
    programmeId: s?.programmeId ?? '',
    programmeCode: codes.get(s?.programmeId ?? '') ?? '',
    note: t.note,
    certificate: t.certificateType,
    openedAt: t.openedAt,
    openedBy: t.openedBy?.name ?? null,
    closedAt: t.closedAt,
    closedBy: t.closedBy?.name ?? null,
    refusedReason: t.refusedReason,
    newSessionId: t.newSessionId,
    newWindow: t.newWindow,
  };
}

export function registerAdminRescheduleRoutes(app: FastifyInstance, deps: AdminRescheduleDeps): void {
  const { store, clock, exams } = deps;
  const admin = (req: FastifyRequest, reply: FastifyReply) => requireStaffRole(deps, req, reply, ['admin']);
  const refuse = (reply: FastifyReply, status: number, code: string, message: string, reason?: string) =>
    reply.code(status).send({ error: { code, message, ...(reason ? { reason } : {}) } });

  /** Rule 11: each suspended exam without a task gets one, opened by the centre. */
  const openFaultTasks = async () => {
    const [suspended, tasks] = await Promise.all([
      store.listSessions({ statuses: ['suspended'] }),
      store.listRescheduleTasks(RESCHEDULE_STATES),
    ]);
    const known = new Set(tasks.map((t) => t.sessionId));
    for (const s of suspended.filter((x) => !known.has(x.id))) {
      const cause = (await store.listEvents(s.id)).filter((e) => e.type === 'policy.suspended').at(-1)?.data as
        { type?: unknown } | undefined;
      const note = typeof cause?.type === 'string' ? cause.type : '';
      const task: NewRescheduleTask = {
        id: randomUUID(),
        cause: 'technical_fault',
        note,
        certificate: null,
        openedAt: s.finishedAt ?? clock.now(),
        openedBy: null,
      };
      // Not applied when another reader opened it meanwhile: the unique open task per exam holds.
      await exams.writeLogged(
        s.id,
        [{ kind: 'reschedule-open', task }],
        [{ type: 'reschedule.opened', data: { taskId: task.id, cause: task.cause, note, certificateSha256: null, by: null } }],
      );
    }
  };

  const views = async (rows: RescheduleTaskRow[]) => {
    const [candidates, programmes] = await Promise.all([store.listCandidates(), store.listProgrammes()]);
    const sessions = new Map<string, ExamSessionRow>();
    for (const id of new Set(rows.map((r) => r.sessionId))) {
      const s = await store.getSession(id);
      if (s) sessions.set(id, s);
    }
    return rows.map((r) =>
      taskView(r, new Map(candidates.map((c) => [c.id, fullName(c)])), sessions, new Map(programmes.map((p) => [p.id, p.code]))),
    );
  };

  app.get('/api/admin/reschedule-tasks', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const query = listQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(invalid(query.error));
    await openFaultTasks();
    const states =
      query.data.state === 'open'
        ? (['open'] as const)
        : query.data.state === 'closed'
          ? (['rescheduled', 'refused'] as const)
          : RESCHEDULE_STATES;
    return { data: await views(await store.listRescheduleTasks(states)) };
  });

  /**
   * Rule 7: a sick leave with its certificate, for an exam not taken yet (a link not used, or one stopped by a
   * fault), filed by the admin (`by`) or by the candidate on their own link (`by` null, logged as the candidate).
   */
  const fileSickLeave = async (
    reply: FastifyReply,
    session: ExamSessionRow,
    input: { note: string; certificate: string },
    by: StaffActor | null,
  ) => {
    const bytes = new Uint8Array(Buffer.from(input.certificate, 'base64'));
    const checked = checkCertificate(bytes);
    if (!checked.ok)
      return refuse(
        reply,
        checked.reason === 'too_large' ? 413 : 400,
        checked.reason === 'too_large' ? 'too_large' : 'invalid',
        'the certificate is not accepted',
        checked.reason,
      );
    if (!SICK_LEAVE_STATUSES.includes(session.status))
      return refuse(reply, 409, 'conflict', 'this exam was taken or has ended', 'not_reschedulable');
    const now = clock.now();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const task: NewRescheduleTask = {
      id: randomUUID(),
      cause: 'sick_leave',
      note: input.note,
      certificate: { type: checked.type, sha256, bytes },
      openedAt: now,
      openedBy: by,
    };
    const audit: LoggedWrite[] = by
      ? [
          {
            kind: 'audit',
            entry: {
              at: now,
              actor: by,
              action: 'reschedule.opened',
              subject: `candidate:${session.candidateId}`,
              changes: { taskId: task.id, sessionId: session.id, cause: 'sick_leave', certificateSha256: sha256 },
            },
          },
        ]
      : [];
    const applied = await exams.writeLogged(
      session.id,
      [{ kind: 'reschedule-open', task }, ...audit],
      [
        {
          type: 'reschedule.opened',
          data: { taskId: task.id, cause: task.cause, note: task.note, certificateSha256: sha256, by, filedBy: by ? by.role : 'candidate' },
        },
      ],
    );
    if (!applied) return refuse(reply, 409, 'conflict', 'this exam has an open reschedule task already', 'task_open');
    return { task: (await store.getRescheduleTask(task.id))! };
  };

  app.post('/api/admin/reschedule-tasks/sick-leave', { bodyLimit: SICK_LEAVE_BODY_LIMIT }, async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const body = sickLeaveBodySchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const session = await store.getSession(body.data.sessionId);
    if (!session) return refuse(reply, 404, 'not_found', 'no such exam');
    const filed = await fileSickLeave(reply, session, body.data, actorOf(user));
    return 'task' in filed ? { data: (await views([filed.task]))[0] } : filed;
  });

  /** The candidate files their sick leave on their own exam link, before the exam (rule 7). */
  app.post('/api/exam/sick-leave', { bodyLimit: SICK_LEAVE_BODY_LIMIT }, async (req, reply) => {
    const token = bearer(req);
    const session = token && token.length >= 20 ? await store.findSessionByTokenHash(hashToken(token)) : null;
    if (!session || session.tokenExpiresAt <= clock.now()) return refuse(reply, 401, 'unauthorised', 'a valid exam link is needed');
    const body = candidateSickLeaveSchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const filed = await fileSickLeave(reply, session, body.data, null);
    if (!('task' in filed)) return filed;
    const timeZone = (await store.getCentreSettings())?.timeZone ?? CENTRE_TIME_ZONE;
    return {
      data: { state: filed.task.state, cause: filed.task.cause, newWindow: null, decidedAt: null, timeZone } satisfies RescheduleNotice,
    };
  });

  /**
   * Rule 6's notice on the moved exam's own link: the candidate (the old link's token as the bearer, valid or
   * not, as the result page's) reads whether their exam is being moved and, once it is, the new date and
   * window. Never the new link itself: that is a credential the admin sends.
   */
  app.get('/api/exam/reschedule', async (req, reply) => {
    const token = bearer(req);
    const session = token && token.length >= 20 ? await store.findSessionByTokenHash(hashToken(token)) : null;
    if (!session) return refuse(reply, 401, 'unauthorised', 'the exam link is needed');
    if (session.status === 'suspended') await openFaultTasks(); // the fault's task exists from the first look, whoever looks first
    const task = (await store.listRescheduleTasks(RESCHEDULE_STATES)).filter((t) => t.sessionId === session.id).at(-1) ?? null;
    const timeZone = (await store.getCentreSettings())?.timeZone ?? CENTRE_TIME_ZONE;
    const notice: RescheduleNotice | null = task && {
      state: task.state,
      cause: task.cause,
      newWindow: task.newWindow,
      decidedAt: task.closedAt,
      timeZone,
    };
    return { data: notice };
  });

  app.get('/api/admin/reschedule-tasks/:id/certificate', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const params = taskParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const file = await store.getRescheduleCertificate(params.data.id);
    if (!file) return refuse(reply, 404, 'not_found', 'no certificate');
    // Served as its checked type, never sniffed or run by the browser.
    return reply
      .type(file.type)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', 'inline')
      .header('Cache-Control', 'private, no-store')
      .send(Buffer.from(file.bytes));
  });

  const openTask = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = taskParams.safeParse(req.params);
    if (!params.success) {
      await reply.code(400).send(invalid(params.error));
      return null;
    }
    const task = await store.getRescheduleTask(params.data.id);
    const session = task && (await store.getSession(task.sessionId));
    if (!task || !session) {
      await refuse(reply, 404, 'not_found', 'no such task');
      return null;
    }
    if (task.state !== 'open') {
      await refuse(reply, 409, 'conflict', 'the task is closed', 'task_closed');
      return null;
    }
    return { task, session };
  };

  app.post('/api/admin/reschedule-tasks/:id/reschedule', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const body = rescheduleBodySchema.safeParse(req.body);
    if (!body.success) {
      const reason = body.error.issues.map((i) => i.message).find((m) => m === 'window_order' || m === 'window_too_long');
      return refuse(reply, 400, 'invalid', 'bad window', reason);
    }
    const found = await openTask(req, reply);
    if (!found) return reply;
    const { task, session } = found;
    const now = clock.now();
    if (body.data.windowEnd <= now) return refuse(reply, 400, 'invalid', 'the window has ended already', 'window_past');
    // The same path as scheduling an exam (admin-routes): the candidate's unused links end, a new one works in the window.
    const revoked = await store.revokeOpenLinks(session.candidateId, session.programmeId, now);
    const link = await deps.issueExamLink(session.candidateId, session.programmeId);
    const window = { start: body.data.windowStart, end: body.data.windowEnd };
    await store.setExamWindow(link.sessionId, window);
    const by = actorOf(user);
    const applied = await exams.writeLogged(
      session.id,
      [
        {
          kind: 'reschedule-close',
          taskId: task.id,
          state: 'rescheduled',
          at: now,
          by,
          refusedReason: null,
          newSessionId: link.sessionId,
          newWindow: window,
        },
        {
          kind: 'audit',
          entry: {
            at: now,
            actor: by,
            action: 'exam.rescheduled',
            subject: `candidate:${session.candidateId}`,
            changes: { taskId: task.id, cause: task.cause, from: session.id, sessionId: link.sessionId, window, revoked },
          },
        },
      ],
      [{ type: 'exam.rescheduled', data: { taskId: task.id, cause: task.cause, newSessionId: link.sessionId, window, by } }],
    );
    if (!applied) {
      await store.revokeLink(link.sessionId, now); // another admin closed it meanwhile: the link just made must not work
      return refuse(reply, 409, 'conflict', 'the task was closed meanwhile', 'task_closed');
    }
    const view = (await views([(await store.getRescheduleTask(task.id))!]))[0]!;
    return { data: { task: view, url: link.url, expiresAt: Math.min(link.expiresAt, window.end), window } };
  });

  app.post('/api/admin/reschedule-tasks/:id/refuse', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const body = refuseRescheduleBodySchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const found = await openTask(req, reply);
    if (!found) return reply;
    const { task, session } = found;
    const now = clock.now();
    const by = actorOf(user);
    const applied = await exams.writeLogged(
      session.id,
      [
        {
          kind: 'reschedule-close',
          taskId: task.id,
          state: 'refused',
          at: now,
          by,
          refusedReason: body.data.reason,
          newSessionId: null,
          newWindow: null,
        },
        {
          kind: 'audit',
          entry: {
            at: now,
            actor: by,
            action: 'reschedule.refused',
            subject: `candidate:${session.candidateId}`,
            changes: { taskId: task.id, cause: task.cause, reason: body.data.reason },
          },
        },
      ],
      [{ type: 'reschedule.refused', data: { taskId: task.id, reason: body.data.reason, by } }],
    );
    if (!applied) return refuse(reply, 409, 'conflict', 'the task was closed meanwhile', 'task_closed');
    return { data: (await views([(await store.getRescheduleTask(task.id))!]))[0] };
  });
}
