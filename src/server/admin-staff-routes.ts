/**
 * The admin console's staff accounts and centre settings (`/api/admin/staff`, `/api/admin/centre`),
 * admins only. A new account or a reset gets a password made by the centre, shown once; a reset or a role
 * change ends the person's log-ins. The wrong-password slow-down (login-throttle.ts) is shown and can be
 * lifted. Each act is in the centre's audit log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  centreSettingsSchema,
  settingErrors,
  staffCreateSchema,
  staffUpdateSchema,
  type IssuedPassword,
  type StaffAccount,
} from '../shared/admin-staff';
import type { AdminError, AdminReason } from '../shared/admin';
import { invalid, type ProtocolErrorCode } from '../shared/protocol';
import { actorOf } from './admin-routes';
import { hashPassword } from './auth';
import type { Clock } from './clock';
import { requireStaffRole } from './http-routes';
import type { LoginThrottle } from './login-throttle';
import type { Store } from './store/store';

export interface AdminStaffDeps {
  store: Store;
  clock: Clock;
  throttle: LoginThrottle;
  /** The user's live staff sockets are closed (their log-ins were ended). */
  loggedOut?: (userId: string) => void;
}

const idParams = z.object({ id: z.string().min(1).max(64) });

/** 16 characters from an alphabet without look-alikes (about 90 bits). */
export function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function registerAdminStaffRoutes(app: FastifyInstance, deps: AdminStaffDeps): void {
  const { store, clock, throttle } = deps;
  const admin = (req: FastifyRequest, reply: FastifyReply) => requireStaffRole(deps, req, reply, ['admin']);
  const refuse = (reply: FastifyReply, status: number, code: ProtocolErrorCode, fields?: Record<string, string>, reason?: AdminReason) =>
    reply.code(status).send({
      error: { code, message: reason ?? code, ...(reason ? { reason } : {}), ...(fields ? { fields } : {}) } satisfies AdminError,
    });

  app.get('/api/admin/staff', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const now = clock.now();
    return {
      data: (await store.listStaffUsers()).map((u): StaffAccount => {
        const slowed = throttle.slowed(u.username, now);
        return {
          id: u.id,
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          slowedUntil: slowed?.until ?? null,
          slowedAddresses: slowed?.addresses ?? 0,
        };
      }),
    };
  });

  app.post('/api/admin/staff', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const parsed = staffCreateSchema.safeParse(req.body);
    if (!parsed.success) return refuse(reply, 400, 'invalid', settingErrors(parsed.error));
    if (await store.findStaffByUsername(parsed.data.username))
      return refuse(reply, 409, 'conflict', { username: 'duplicate_username' }, 'duplicate_username');
    const password = newPassword();
    const id = randomUUID();
    await store.createStaffUser({ id, ...parsed.data, passwordHash: await hashPassword(password) });
    await store.appendAudit({
      at: clock.now(),
      actor: actorOf(user),
      action: 'staff.created',
      subject: `staff:${id}`,
      changes: { username: parsed.data.username, role: parsed.data.role },
    });
    return { data: { id, username: parsed.data.username, password } satisfies IssuedPassword };
  });

  app.put('/api/admin/staff/:id', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const parsed = staffUpdateSchema.safeParse(req.body);
    if (!parsed.success) return refuse(reply, 400, 'invalid', settingErrors(parsed.error));
    const before = await store.getStaffUser(params.data.id);
    if (!before) return refuse(reply, 404, 'not_found');
    // An admin cannot take the admin role from themselves: the centre would be left without one by a slip.
    if (before.id === user.id && parsed.data.role !== 'admin') return refuse(reply, 409, 'conflict', { role: 'own_role' }, 'own_role');
    const changes = Object.fromEntries(
      (['displayName', 'role'] as const)
        .filter((k) => before[k] !== parsed.data[k])
        .map((k) => [k, { from: before[k], to: parsed.data[k] }]),
    );
    if (Object.keys(changes).length) {
      await store.updateStaffUser(before.id, parsed.data, {
        at: clock.now(),
        actor: actorOf(user),
        action: 'staff.updated',
        subject: `staff:${before.id}`,
        changes,
      });
      if (changes.role) {
        await store.deleteStaffSessionsOf(before.id);
        deps.loggedOut?.(before.id);
      }
    }
    return { data: { id: before.id, ...parsed.data } };
  });

  app.post('/api/admin/staff/:id/password', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const target = await store.getStaffUser(params.data.id);
    if (!target) return refuse(reply, 404, 'not_found');
    const password = newPassword();
    await store.updateStaffUser(
      target.id,
      { passwordHash: await hashPassword(password) },
      {
        at: clock.now(),
        actor: actorOf(user),
        action: 'staff.password_reset',
        subject: `staff:${target.id}`,
        changes: {},
      },
    );
    throttle.forgetName(target.username);
    if (target.id !== user.id) {
      await store.deleteStaffSessionsOf(target.id);
      deps.loggedOut?.(target.id);
    }
    return { data: { id: target.id, username: target.username, password } satisfies IssuedPassword };
  });

  app.post('/api/admin/staff/:id/unlock', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const params = idParams.safeParse(req.params);
    if (!params.success) return reply.code(400).send(invalid(params.error));
    const target = await store.getStaffUser(params.data.id);
    if (!target) return refuse(reply, 404, 'not_found');
    throttle.forgetName(target.username);
    await store.appendAudit({
      at: clock.now(),
      actor: actorOf(user),
      action: 'staff.unlocked',
      subject: `staff:${target.id}`,
      changes: {},
    });
    return { data: { id: target.id } };
  });

  app.get('/api/admin/centre', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const settings = await store.getCentreSettings();
    if (!settings) return refuse(reply, 404, 'not_found');
    return { data: settings };
  });

  app.put('/api/admin/centre', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const parsed = centreSettingsSchema.safeParse(req.body);
    if (!parsed.success) return refuse(reply, 400, 'invalid', settingErrors(parsed.error));
    const before = await store.getCentreSettings();
    if (!before) return refuse(reply, 404, 'not_found');
    await store.setCentreSettings(parsed.data, {
      at: clock.now(),
      actor: actorOf(user),
      action: 'centre.updated',
      subject: 'centre',
      changes: { from: before, to: parsed.data },
    });
    return { data: parsed.data };
  });
}
