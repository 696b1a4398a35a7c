/**
 * REST routes for staff: log-in, the session list and an event timeline, issuing exam
 * links. Every route checks the caller's role; candidate exam tokens are never staff tokens.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { proctoringOverridesSchema, resolveProctoring } from '../shared/proctoring-config';
import { invalid, loginSchema, type StaffRole } from '../shared/protocol';
import { dummyPasswordHash, hashToken, newToken, verifyPassword } from './auth';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import type { LogAnchor } from './log-anchor';
import { isFacePhotoEvidence, maySeeFacePhotos } from './face-access';
import { LoginThrottle } from './login-throttle';
import { ConcurrencyGate, KeyedBuckets, type BucketRate } from './rate-limit';
import type { LiveFeed } from './live-feed';
import { sessionCredibility } from './session-credibility';
import { usableTimeZone } from '../shared/centre-time';
import { fullName, type StaffUserRow, type Store } from './store/store';

export interface RouteDeps {
  store: Store;
  clock: Clock;
  feed: LiveFeed;
  exams: ExamService;
  /** Verifies a session's log with the centre's key and checkpoints. */
  anchor: LogAnchor;
  staffSessionTtlMs: number;
  issueExamLink: (candidateId: string, programmeId: string) => Promise<{ sessionId: string; url: string; expiresAt: number }>;
  /** A staff log-in ended: its live sockets are closed at once. */
  loggedOut?: (tokenHash: string) => void;
  /** The wrong-password slow-down, shared with the admin console (which shows and lifts it). */
  throttle?: LoginThrottle;
  /** Bounds on password checks (scrypt); defaults in DEFAULT_LOGIN_LIMITS. */
  loginLimits?: LoginLimits;
  /** This node's name, whether it runs the centre-wide timers now, and how many nodes it hears. */
  node?: () => Promise<{ id: string; leader: boolean; nodes: number }>;
}

export interface LoginLimits {
  /** Password checks (scrypt) running at once; the rest wait, and beyond `queue` waiting the log-in is refused (429). */
  concurrency: number;
  queue: number;
  /** Log-in attempts per client address, whatever the name. */
  perAddress: BucketRate;
}

/** Two scrypt at once leave two of libuv's four threads to file I/O (recording chunks, evidence). */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { concurrency: 2, queue: 8, perAddress: { perSecond: 0.2, burst: 10 } };

const tooManyLogins = (reply: FastifyReply, waitMs: number, message: string) => {
  reply.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return reply.code(429).send({ error: { code: 'too_many', message, retryAfterMs: waitMs } });
};

const sessionIdParams = z.object({ id: z.string().uuid() });
const evidenceParams = z.object({ id: z.string().uuid(), incidentId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });
const programmeParams = z.object({ id: z.string().min(1).max(64) });
const issueLinkSchema = z.object({ candidateId: z.string().uuid(), programmeId: z.string().min(1).max(64) }).strict();

export function bearer(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  const token = header.slice(7).trim();
  return token.length > 0 && token.length <= 200 ? token : null;
}

/** The staff user behind the request's bearer token if they have one of `roles`; otherwise answers 401 / 403 and returns null. */
export async function requireStaffRole(
  deps: { store: Store; clock: Clock },
  req: FastifyRequest,
  reply: FastifyReply,
  roles: readonly StaffRole[],
): Promise<StaffUserRow | null> {
  const token = bearer(req);
  const user = token ? await deps.store.findStaffSession(hashToken(token), deps.clock.now()) : null;
  if (!user) {
    await reply.code(401).send({ error: { code: 'unauthorised', message: 'staff log-in required' } });
    return null;
  }
  if (!roles.includes(user.role)) {
    await reply.code(403).send({ error: { code: 'forbidden', message: `this needs the role ${roles.join(' or ')}` } });
    return null;
  }
  return user;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store, clock } = deps;
  const throttle = deps.throttle ?? new LoginThrottle();
  const loginLimits = deps.loginLimits ?? DEFAULT_LOGIN_LIMITS;
  const passwordChecks = new ConcurrencyGate(loginLimits.concurrency, loginLimits.queue);
  const perAddress = new KeyedBuckets(() => loginLimits.perAddress);
  const requireRole = (req: FastifyRequest, reply: FastifyReply, roles: readonly StaffRole[]) => requireStaffRole(deps, req, reply, roles);

  /** Staff screens show dates and times in the centre's zone, set in the admin's centre settings. */
  const centreTimeZone = async () => usableTimeZone((await store.getCentreSettings())?.timeZone);

  app.get('/api/health', async () => ({ data: { ok: true, now: clock.now() } }));

  app.post('/api/staff/login', async (req, reply) => {
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const { username } = parsed.data;
    const address = req.ip;
    const now = clock.now();
    // Guesses are slowed per address and name together, never by a lock others can trigger.
    const wait = throttle.retryAfterMs(address, username, now);
    if (wait > 0) return tooManyLogins(reply, wait, `too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s`);
    const addressWait = perAddress.take(address, now);
    if (addressWait > 0)
      return tooManyLogins(
        reply,
        addressWait,
        `too many log-in attempts from this address: try again in ${Math.ceil(addressWait / 1000)} s`,
      );
    const user = await store.findStaffByUsername(username);
    const stored = user?.passwordHash ?? (await dummyPasswordHash());
    const checked = await passwordChecks.run(() => verifyPassword(parsed.data.password, stored));
    if (!checked) return tooManyLogins(reply, 1000, 'the centre is busy checking passwords: try again in a moment');
    if (!user || !checked.value) {
      throttle.fail(address, username, clock.now());
      return reply.code(401).send({ error: { code: 'unauthorised', message: 'wrong user name or password' } });
    }
    throttle.succeed(address, username);
    const token = newToken();
    const expiresAt = clock.now() + deps.staffSessionTtlMs;
    await store.createStaffSession(hashToken(token), user.id, expiresAt);
    return {
      data: { token, expiresAt, role: user.role, displayName: user.displayName, username: user.username, timeZone: await centreTimeZone() },
    };
  });

  app.post('/api/staff/logout', async (req) => {
    const token = bearer(req);
    if (token) {
      await store.deleteStaffSession(hashToken(token));
      deps.loggedOut?.(hashToken(token));
    }
    return { data: { ok: true } };
  });

  app.get('/api/staff/me', async (req, reply) => {
    // The exam commission has its routes (procedure-routes.ts); the appeal commission none yet.
    const user = await requireRole(req, reply, ['proctor', 'reviewer', 'admin', 'commission_chair', 'commission_member']);
    if (!user) return reply;
    // userId: the commission's page tells whether the protocol names the signed-in member (who may sign).
    return {
      data: { userId: user.id, role: user.role, displayName: user.displayName, username: user.username, timeZone: await centreTimeZone() },
    };
  });

  // GET /api/sessions, the sessions list: src/server/session-list-routes.ts.

  /** One session in full, for reviewers: the candidate's identity, the result and the verified log. */
  app.get('/api/sessions/:id', async (req, reply) => {
    if (!(await requireRole(req, reply, ['reviewer', 'admin']))) return reply;
    const params = sessionIdParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const session = await store.getSession(params.data.id);
    if (!session) return reply.code(404).send({ error: { code: 'not_found', message: 'no such session' } });
    const [candidate, programme, events, sessionVerdict] = await Promise.all([
      store.getCandidate(session.candidateId),
      store.getProgramme(session.programmeId),
      store.listEvents(session.id),
      store.getVerdict(session.id),
    ]);
    // Keyed chain + checkpoints: intact, rewritten (at index) or truncated (a checkpointed entry is gone).
    const verdict = deps.anchor.verify(events, session.id);
    return {
      data: {
        session: await deps.feed.liveSession(session),
        candidate: candidate && { name: fullName(candidate), iin: candidate.iin, email: candidate.email },
        programme: programme && { code: programme.code, profession: programme.profession, nqfLevel: programme.nqfLevel },
        finishedAt: session.finishedAt,
        result: session.result,
        /** The reviewer's verdict and the credibility score with its parts (src/shared/credibility.ts). */
        verdict: sessionVerdict,
        credibility: await sessionCredibility(store, session.id, sessionVerdict),
        log: {
          ...verdict,
          verified: verdict.status === 'intact',
          firstBrokenIndex: verdict.status === 'intact' ? null : verdict.index,
          /** The head the documents (violation act, protocol) are to print. */
          head: events.length ? { index: events.at(-1)!.index, hash: events.at(-1)!.hash } : null,
        },
      },
    };
  });

  app.get('/api/sessions/:id/events', async (req, reply) => {
    if (!(await requireRole(req, reply, ['proctor', 'reviewer', 'admin']))) return reply;
    const params = sessionIdParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    if (!(await store.getSession(params.data.id)))
      return reply.code(404).send({ error: { code: 'not_found', message: 'no such session' } });
    const events = await store.listEvents(params.data.id);
    return { data: await Promise.all(events.map((e) => deps.feed.feedEvent(e))) };
  });

  /** Admins: who can be given an exam link, under which programme. */
  app.get('/api/roster', async (req, reply) => {
    if (!(await requireRole(req, reply, ['admin']))) return reply;
    const [candidates, programmes] = await Promise.all([store.listCandidates(), store.listProgrammes()]);
    return {
      data: {
        candidates: candidates.map((c) => ({ id: c.id, name: fullName(c) })),
        programmes: programmes.map((p) => ({ id: p.id, code: p.code, profession: p.profession, durationMinutes: p.durationMinutes })),
      },
    };
  });

  /** Admins: the server process's own figures, for load tests and monitoring. */
  app.get('/api/metrics', async (req, reply) => {
    if (!(await requireRole(req, reply, ['admin']))) return reply;
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    return {
      data: {
        now: clock.now(),
        uptimeS: process.uptime(),
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        node: (await deps.node?.()) ?? { id: 'local', leader: true, nodes: 1 },
      },
    };
  });

  app.post('/api/exam-links', async (req, reply) => {
    if (!(await requireRole(req, reply, ['admin']))) return reply;
    const parsed = issueLinkSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    if (!(await store.getCandidate(parsed.data.candidateId)) || !(await store.getProgramme(parsed.data.programmeId))) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'no such candidate or programme' } });
    }
    return { data: await deps.issueExamLink(parsed.data.candidateId, parsed.data.programmeId) };
  });

  /** An incident's evidence snapshot: the proctor acting on it live, the reviewer drawing up the act (rule 14). */
  app.get('/api/sessions/:id/evidence/:incidentId', async (req, reply) => {
    const user = await requireRole(req, reply, ['proctor', 'reviewer', 'admin']);
    if (!user) return reply;
    const params = evidenceParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    if (isFacePhotoEvidence(params.data.incidentId)) {
      // Identity photos follow the reference photo's rule (face-access.ts).
      const session = await store.getSession(params.data.id);
      if (session && !maySeeFacePhotos(user, session)) {
        return reply
          .code(403)
          .send({ error: { code: 'forbidden', message: 'proctors see identity photos only while the exam is live and theirs to watch' } });
      }
    }
    const evidence = await store.getEvidence(params.data.id, params.data.incidentId);
    if (!evidence) return reply.code(404).send({ error: { code: 'not_found', message: 'no evidence stored for that incident' } });
    return reply
      .header('Digest', `sha-256=${Buffer.from(evidence.sha256, 'hex').toString('base64')}`)
      .type(evidence.mime)
      .send(Buffer.from(evidence.bytes));
  });

  /** A programme's proctoring settings, resolved over the defaults. */
  app.get('/api/programmes/:id/proctoring', async (req, reply) => {
    if (!(await requireRole(req, reply, ['proctor', 'reviewer', 'admin']))) return reply;
    const params = programmeParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const programme = await store.getProgramme(params.data.id);
    if (!programme) return reply.code(404).send({ error: { code: 'not_found', message: 'no such programme' } });
    return { data: { overrides: programme.proctoring, resolved: resolveProctoring(programme.proctoring) } };
  });

  /** Admins set a programme's overrides; they are validated in full before anything is stored. */
  app.put('/api/programmes/:id/proctoring', async (req, reply) => {
    const user = await requireRole(req, reply, ['admin']);
    if (!user) return reply;
    const params = programmeParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const parsed = proctoringOverridesSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    let resolved;
    try {
      resolved = resolveProctoring(parsed.data);
    } catch (err) {
      return reply.code(400).send({ error: { code: 'invalid', message: (err as Error).message } });
    }
    if (!(await store.getProgramme(params.data.id)))
      return reply.code(404).send({ error: { code: 'not_found', message: 'no such programme' } });
    const before = (await store.getProgramme(params.data.id))?.proctoring ?? {};
    await store.setProgrammeProctoring(params.data.id, parsed.data);
    deps.exams.forgetProctoringConfig(params.data.id);
    // Who changed a programme's settings, when, from what to what (the centre's audit log).
    await store.appendAudit({
      at: clock.now(),
      actor: { userId: user.id, name: user.displayName, role: user.role },
      action: 'programme.proctoring',
      subject: `programme:${params.data.id}`,
      changes: { from: before, to: parsed.data },
    });
    return { data: { overrides: parsed.data, resolved } };
  });
}
