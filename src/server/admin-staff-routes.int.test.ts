/**
 * Staff accounts and centre settings from the admin console, against a real centre: every route ×
 * role (only admins), a new account's one-time password logs in, a reset ends the old password and the
 * person's log-ins, wrong passwords show as a slow-down the admin can lift, the centre's contact reaches
 * candidates, and programme changes are audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditView } from '../shared/admin';
import type { CentreSettings, IssuedPassword, StaffAccount } from '../shared/admin-staff';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, TEST_PASSWORD, type Harness } from '../testing/centre-harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  // The per-address log-in limit lifted (abuse-limits tests it): here the per-name slow-down is what is shown.
  h = await startHarness({ config: { loginLimits: { concurrency: 2, queue: 8, perAddress: { perSecond: 100, burst: 1000 } } } });
  admin = await h.staffToken('admin');
});
afterAll(async () => {
  await h.close();
});

const login = (username: string, password: string) => h.http<{ token: string }>('POST', '/api/staff/login', null, { username, password });
const SETTINGS: CentreSettings = {
  name: { kk: 'Сынақ орталығы', ru: 'Тестовый центр', en: 'Test centre' },
  accreditationNo: 'KZ-ACC-0042',
  contact: { phone: '+7 717 200 00 00', email: 'help@centre.kz' },
  timeZone: 'Asia/Almaty',
};

describe('route × role', () => {
  it('anonymous and candidate tokens get 401, proctor and reviewer 403, admin gets through', async () => {
    const { token: candidate } = await h.issueToken();
    const tokens = { anonymous: null, candidate, proctor: await h.staffToken('proctor'), reviewer: await h.staffToken('reviewer') };
    const someone = (await h.store.findStaffByUsername('reviewer'))!.id;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/staff'],
      ['POST', '/api/admin/staff', { username: 'matrix.user', displayName: 'Matrix', role: 'proctor' }],
      ['PUT', `/api/admin/staff/${someone}`, { displayName: 'Reviewer Demo', role: 'reviewer' }],
      ['POST', `/api/admin/staff/${someone}/unlock`, {}],
      ['GET', '/api/admin/centre'],
      ['PUT', '/api/admin/centre', SETTINGS],
    ];
    for (const [method, route, body] of routes) {
      const statuses = Object.fromEntries(
        await Promise.all(
          Object.entries(tokens).map(async ([who, token]) => [who, (await h.http(method, route, token, body)).status] as const),
        ),
      );
      expect({ route, ...statuses }).toEqual({ route, anonymous: 401, candidate: 401, proctor: 403, reviewer: 403 });
      expect((await h.http(method, route, admin, body)).status, route).toBe(200);
    }
    // The password reset last (it ends the reviewer's log-ins, which the loop above used).
    for (const [who, token] of Object.entries(tokens)) {
      expect((await h.http('POST', `/api/admin/staff/${someone}/password`, token, {})).status, who).toBe(
        who === 'anonymous' || who === 'candidate' ? 401 : 403,
      );
    }
  });
});

describe('staff accounts', () => {
  it('a new account logs in with the password shown once; a reset ends it and the log-ins; a role change is audited', async () => {
    const created = await h.http<IssuedPassword>('POST', '/api/admin/staff', admin, {
      username: 'chair.one',
      displayName: 'Айгүл Сәрсенова',
      role: 'reviewer',
    });
    if (!('data' in created.body)) throw new Error(JSON.stringify(created.body));
    const { id, password } = created.body.data;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const first = await login('chair.one', password);
    if (!('data' in first.body)) throw new Error('log-in failed');
    expect((await h.http('GET', '/api/staff/me', first.body.data.token)).status).toBe(200);
    expect(await h.http('POST', '/api/admin/staff', admin, { username: 'chair.one', displayName: 'x', role: 'proctor' })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', reason: 'duplicate_username' } },
    });

    const reset = await h.http<IssuedPassword>('POST', `/api/admin/staff/${id}/password`, admin, {});
    if (!('data' in reset.body)) throw new Error('reset failed');
    expect((await h.http('GET', '/api/staff/me', first.body.data.token)).status).toBe(401);
    expect((await login('chair.one', password)).status).toBe(401);
    expect((await login('chair.one', reset.body.data.password)).status).toBe(200);

    expect((await h.http('PUT', `/api/admin/staff/${id}`, admin, { displayName: 'Айгүл Сәрсенова', role: 'proctor' })).status).toBe(200);
    const audit = await h.http<AuditView[]>('GET', '/api/admin/audit?subject=' + encodeURIComponent(`staff:${id}`), admin);
    if (!('data' in audit.body)) throw new Error('no audit');
    expect(audit.body.data.map((e) => e.action)).toEqual(['staff.updated', 'staff.password_reset', 'staff.created']);
    expect(audit.body.data[0]!.changes).toEqual({ role: { from: 'reviewer', to: 'proctor' } });
  });

  it('an admin cannot take the admin role from themselves; bad input is refused per field', async () => {
    const me = (await h.store.findStaffByUsername('admin'))!;
    expect(await h.http('PUT', `/api/admin/staff/${me.id}`, admin, { displayName: me.displayName, role: 'proctor' })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', reason: 'own_role' } },
    });
    expect(await h.http('POST', '/api/admin/staff', admin, { username: 'A B', displayName: '', role: 'boss' })).toMatchObject({
      status: 400,
      body: { error: { fields: { username: 'username', displayName: 'required', role: 'role' } } },
    });
  });

  it('wrong passwords show as a slow-down of that name, which the admin can lift', async () => {
    const target = (await h.store.findStaffByUsername('proctor'))!;
    for (let i = 0; i < 3; i++) expect((await login('proctor', 'wrong-password')).status).toBe(401);
    const list = await h.http<StaffAccount[]>('GET', '/api/admin/staff', admin);
    if (!('data' in list.body)) throw new Error('no list');
    const row = list.body.data.find((u) => u.id === target.id)!;
    expect(row.slowedAddresses).toBe(1);
    expect(row.slowedUntil).toBeGreaterThan(Date.now());
    expect((await login('proctor', TEST_PASSWORD)).status).toBe(429);
    expect((await h.http('POST', `/api/admin/staff/${target.id}/unlock`, admin, {})).status).toBe(200);
    expect((await login('proctor', TEST_PASSWORD)).status).toBe(200);
  });
});

describe('commission roles', () => {
  it('an account with a commission role logs in but no route and no control-room command admits it yet', async () => {
    const made = await h.http<IssuedPassword>('POST', '/api/admin/staff', admin, {
      username: 'chair.two',
      displayName: 'Chair',
      role: 'commission_chair',
    });
    if (!('data' in made.body)) throw new Error(JSON.stringify(made.body));
    const res = await login('chair.two', made.body.data.password);
    if (!('data' in res.body)) throw new Error('log-in failed');
    const chair = res.body.data.token;
    const { sessionId } = await h.issueToken();
    for (const route of [
      '/api/sessions',
      `/api/sessions/${sessionId}`,
      `/api/sessions/${sessionId}/events`,
      `/api/sessions/${sessionId}/evidence/identity-1`,
      `/api/sessions/${sessionId}/recording`,
      `/api/candidates/${h.candidateId}/reference-photo`,
      '/api/roster',
      '/api/admin/candidates',
      '/api/admin/staff',
      '/api/reschedule-tasks',
      `/api/programmes/${h.programmeId}/proctoring`,
    ]) {
      expect((await h.http('GET', route, chair)).status, route).toBe(403);
    }
    const socket = await h.staff(chair);
    expect(await request(socket, 'dashboard:subscribe')).toMatchObject({ error: { code: 'forbidden' } });
    socket.close();
  });
});

describe('centre settings', () => {
  it('the time zone staff screens show dates in comes with the log-in and /api/staff/me, and follows the admin’s change', async () => {
    const reviewer = await h.staffToken('reviewer');
    expect((await h.http<{ timeZone: string }>('GET', '/api/staff/me', reviewer)).body).toMatchObject({
      data: { timeZone: 'Asia/Almaty' },
    });
    expect((await h.http('PUT', '/api/admin/centre', admin, { ...SETTINGS, timeZone: 'Asia/Aqtau' })).status).toBe(200);
    expect((await h.http<{ timeZone: string }>('GET', '/api/staff/me', reviewer)).body).toMatchObject({ data: { timeZone: 'Asia/Aqtau' } });
    expect((await login('admin', TEST_PASSWORD)).body).toMatchObject({ data: { timeZone: 'Asia/Aqtau' } });
    expect((await h.http('PUT', '/api/admin/centre', admin, SETTINGS)).status).toBe(200);
  });

  it('are validated per field, saved, audited, and the contact reaches the candidate', async () => {
    expect(
      await h.http('PUT', '/api/admin/centre', admin, {
        ...SETTINGS,
        timeZone: 'Mars/Olympus',
        contact: { phone: 'call us', email: null },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { fields: { timeZone: 'time_zone', 'contact.phone': 'phone' } } },
    });
    expect((await h.http('PUT', '/api/admin/centre', admin, SETTINGS)).status).toBe(200);
    expect(await h.http('GET', '/api/admin/centre', admin)).toMatchObject({ body: { data: SETTINGS } });
    const { token } = await h.issueToken();
    const snap = data(await request<ExamSnapshot>(await h.candidate(token), 'exam:resume'));
    expect(JSON.stringify(snap)).toContain('help@centre.kz');
    const audit = await h.http<AuditView[]>('GET', '/api/admin/audit?subject=centre', admin);
    expect(audit.body).toMatchObject({
      data: expect.arrayContaining([
        expect.objectContaining({ action: 'centre.updated', changes: expect.objectContaining({ to: SETTINGS }) }),
      ]),
    });
  });
});

describe('programme settings', () => {
  it('a change through the admin route is audited with what it was and what it became', async () => {
    expect((await h.http('PUT', `/api/programmes/${h.programmeId}/proctoring`, admin, { steps: { roomScan: false } })).status).toBe(200);
    const audit = await h.http<AuditView[]>('GET', `/api/admin/audit?subject=${encodeURIComponent(`programme:${h.programmeId}`)}`, admin);
    expect(audit.body).toMatchObject({
      data: [{ action: 'programme.proctoring', changes: { from: {}, to: { steps: { roomScan: false } } } }],
    });
  });
});
