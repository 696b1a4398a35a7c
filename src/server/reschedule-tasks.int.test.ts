/**
 * Rules 6, 7, 11 at the centre: reschedule tasks as a workflow on the real centre. A technical fault (rule
 * 11: the suspended exam) opens a task by itself; a sick leave (rule 7) is filed by the admin with the
 * certificate (checked by its first bytes). The admin sets the new window — a new exam link for the same
 * candidate and programme — or refuses with a reason; each act is in the moved exam's log and the audit log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditView } from '../shared/admin';
import type { RescheduleNotice, RescheduleTaskView } from '../shared/reschedule';
import { startHarness, type Harness } from '../testing/centre-harness';
import { getBytes, suspendedExam as takeSuspendedExam, takeExam } from '../testing/procedure-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]);
const HOUR = 3600_000;

const suspendedExam = () => takeSuspendedExam(h);

const sickLeave = (sessionId: string, file: Buffer = PDF) => ({
  sessionId,
  note: 'Sick leave 14-18 April, certificate No. 123',
  certificate: file.toString('base64'),
});
const body = <T>(res: { status: number; body: unknown }): T => {
  if (!(res.body && typeof res.body === 'object' && 'data' in res.body)) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: T }).data;
};

describe('reschedule tasks', () => {
  it('rule 11: a suspended exam is an open task; the admin sets the new window, a new link for the same candidate, logged', async () => {
    const admin = await h.staffToken('admin');
    const { sessionId, token: oldToken } = await suspendedExam();
    // Before any decision the old link says the exam is being moved, with no date yet.
    expect(body<RescheduleNotice | null>(await h.http('GET', '/api/exam/reschedule', oldToken))).toEqual({
      state: 'open',
      cause: 'technical_fault',
      newWindow: null,
      decidedAt: null,
      timeZone: 'Asia/Almaty',
    });
    const open = body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks', admin));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      cause: 'technical_fault',
      state: 'open',
      sessionId,
      candidateId: h.candidateId,
      note: 'tech.camera_lost',
      certificate: null,
      openedBy: null,
    });
    // Read again: the same task, not a second one.
    expect(body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks', admin)).map((t) => t.id)).toEqual([open[0]!.id]);

    const start = h.clock.now() + 48 * HOUR;
    const done = body<{ task: RescheduleTaskView; url: string; window: { start: number; end: number } }>(
      await h.http('POST', `/api/admin/reschedule-tasks/${open[0]!.id}/reschedule`, admin, {
        windowStart: start,
        windowEnd: start + 4 * HOUR,
      }),
    );
    expect(done.task).toMatchObject({ state: 'rescheduled', closedBy: 'Admin Demo', newWindow: { start, end: start + 4 * HOUR } });
    expect(done.url).toMatch(/^http/);
    const fresh = (await h.store.getSession(done.task.newSessionId!))!;
    expect(fresh).toMatchObject({ candidateId: h.candidateId, programmeId: h.programmeId, status: 'issued' });

    // Rule 6: the old link tells the candidate the new date and window, never the new link.
    const notice = body<RescheduleNotice | null>(await h.http('GET', '/api/exam/reschedule', oldToken));
    expect(notice).toEqual({
      state: 'rescheduled',
      cause: 'technical_fault',
      newWindow: { start, end: start + 4 * HOUR },
      decidedAt: expect.any(Number),
      timeZone: 'Asia/Almaty',
    });
    expect(JSON.stringify(notice)).not.toContain(done.url);
    expect((await h.http('GET', '/api/exam/reschedule', admin)).status).toBe(401);
    expect((await h.http('GET', '/api/exam/reschedule', null)).status).toBe(401);
    expect(body<RescheduleNotice | null>(await h.http('GET', '/api/exam/reschedule', (await h.issueToken()).token))).toBeNull();

    // Closed: no longer open, and not done twice.
    expect(body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks', admin))).toEqual([]);
    expect(body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks?state=closed', admin)).map((t) => t.id)).toEqual([
      open[0]!.id,
    ]);
    const again = await h.http('POST', `/api/admin/reschedule-tasks/${open[0]!.id}/reschedule`, admin, {
      windowStart: start,
      windowEnd: start + HOUR,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { reason: 'task_closed' } });

    // Who, when, why: the moved exam's log (intact) and the audit log.
    const log = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'reschedule.opened' || e.type === 'exam.rescheduled');
    expect(log.map((e) => e.type)).toEqual(['reschedule.opened', 'exam.rescheduled']);
    expect(log[1]!.data).toMatchObject({ newSessionId: fresh.id, window: { start }, by: { name: 'Admin Demo', role: 'admin' } });
    expect(await h.verifyLog(sessionId)).toMatchObject({ status: 'intact' });
    const audit = body<AuditView[]>(await h.http('GET', `/api/admin/audit?subject=candidate:${h.candidateId}`, admin));
    expect(audit.find((a) => a.action === 'exam.rescheduled')?.changes).toMatchObject({
      from: sessionId,
      sessionId: fresh.id,
      cause: 'technical_fault',
    });
  });

  it('rule 7: the admin files a sick leave with the certificate, views it, and refuses or reschedules', async () => {
    const admin = await h.staffToken('admin');
    const first = await h.issueToken();
    const task = body<RescheduleTaskView>(
      await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(first.sessionId)),
    );
    expect(task).toMatchObject({
      cause: 'sick_leave',
      state: 'open',
      certificate: 'application/pdf',
      openedBy: 'Admin Demo',
      sessionId: first.sessionId,
    });
    const file = await getBytes(h, `/api/admin/reschedule-tasks/${task.id}/certificate`, admin);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(file.bytes).equals(PDF)).toBe(true);
    const opened = (await h.store.listEvents(first.sessionId)).find((e) => e.type === 'reschedule.opened')!;
    expect(opened.data).toMatchObject({
      cause: 'sick_leave',
      certificateSha256: createHash('sha256').update(PDF).digest('hex'),
      by: { role: 'admin' },
    });

    // One open task per exam.
    const twice = await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(first.sessionId));
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { reason: 'task_open' } });

    // Refused with a reason: closed, logged.
    const refused = body<RescheduleTaskView>(
      await h.http('POST', `/api/admin/reschedule-tasks/${task.id}/refuse`, admin, { reason: 'The certificate ends before the exam day' }),
    );
    expect(refused).toMatchObject({ state: 'refused', refusedReason: 'The certificate ends before the exam day', closedBy: 'Admin Demo' });
    expect((await h.store.listEvents(first.sessionId)).some((e) => e.type === 'reschedule.refused')).toBe(true);

    // A JPEG certificate for another link, rescheduled.
    const second = await h.issueToken();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100)]);
    const t2 = body<RescheduleTaskView>(
      await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(second.sessionId, jpeg)),
    );
    expect(t2.certificate).toBe('image/jpeg');
    expect((await getBytes(h, `/api/admin/reschedule-tasks/${t2.id}/certificate`, admin)).type).toBe('image/jpeg');
    const start = h.clock.now() + 24 * HOUR;
    expect(
      (
        await h.http('POST', `/api/admin/reschedule-tasks/${t2.id}/reschedule`, admin, {
          windowStart: start - 48 * HOUR,
          windowEnd: start - 47 * HOUR,
        })
      ).body,
    ).toMatchObject({ error: { reason: 'window_past' } });
    expect(
      (await h.http('POST', `/api/admin/reschedule-tasks/${t2.id}/reschedule`, admin, { windowStart: start, windowEnd: start })).body,
    ).toMatchObject({ error: { reason: 'window_order' } });
    const done = body<{ task: RescheduleTaskView }>(
      await h.http('POST', `/api/admin/reschedule-tasks/${t2.id}/reschedule`, admin, { windowStart: start, windowEnd: start + HOUR }),
    );
    expect(done.task.state).toBe('rescheduled');
    // The old link was revoked with the scheduling path: it expired at the moment of rescheduling.
    expect((await h.store.getSession(second.sessionId))!.tokenExpiresAt).toBeLessThanOrEqual(h.clock.now());
    expect((await h.store.getSession(done.task.newSessionId!))!.tokenExpiresAt).toBeGreaterThan(start);
  });

  it('rule 7: the candidate files the sick leave on their own link before the exam; the admin sees it with the certificate', async () => {
    const admin = await h.staffToken('admin');
    const { sessionId, token } = await h.issueToken();
    const filed = await h.http('POST', '/api/exam/sick-leave', token, { note: 'Ill since Monday', certificate: PDF.toString('base64') });
    expect(body<RescheduleNotice>(filed)).toMatchObject({ state: 'open', cause: 'sick_leave', newWindow: null });
    const [task] = body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks', admin));
    expect(task).toMatchObject({
      sessionId,
      cause: 'sick_leave',
      note: 'Ill since Monday',
      certificate: 'application/pdf',
      openedBy: null,
    });
    expect(Buffer.from((await getBytes(h, `/api/admin/reschedule-tasks/${task!.id}/certificate`, admin)).bytes).equals(PDF)).toBe(true);
    const entry = (await h.store.listEvents(sessionId)).find((e) => e.type === 'reschedule.opened')!;
    expect(entry.data).toMatchObject({ filedBy: 'candidate', by: null });
    // The same link's notice says it is being moved.
    expect(body<RescheduleNotice>(await h.http('GET', '/api/exam/reschedule', token))).toMatchObject({
      state: 'open',
      cause: 'sick_leave',
    });
    // Not twice, not an HTML file, not with a staff token or none, not after the exam.
    expect((await h.http('POST', '/api/exam/sick-leave', token, { note: 'again', certificate: PDF.toString('base64') })).status).toBe(409);
    const other = await h.issueToken();
    expect(
      (await h.http('POST', '/api/exam/sick-leave', other.token, { note: 'x', certificate: Buffer.from('<html>').toString('base64') }))
        .body,
    ).toMatchObject({ error: { reason: 'not_a_certificate_file' } });
    expect(
      (await h.http('POST', '/api/exam/sick-leave', other.token, { sessionId, note: 'x', certificate: PDF.toString('base64') })).status,
    ).toBe(400);
    expect((await h.http('POST', '/api/exam/sick-leave', admin, { note: 'x', certificate: PDF.toString('base64') })).status).toBe(401);
    expect((await h.http('POST', '/api/exam/sick-leave', null, { note: 'x', certificate: PDF.toString('base64') })).status).toBe(401);
    const taken = await takeExam(h, 25);
    expect((await h.http('POST', '/api/exam/sick-leave', taken.token, { note: 'x', certificate: PDF.toString('base64') })).status).toBe(
      409,
    );
  });

  it('refuses certificates that are not PDF, JPEG or PNG, empty or over 5 MB, and exams already taken', async () => {
    const admin = await h.staffToken('admin');
    const { sessionId } = await h.issueToken();
    const reasonOf = async (file: Buffer) => {
      const res = await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(sessionId, file));
      return [res.status, (res.body as { error?: { reason?: string } }).error?.reason ?? null];
    };
    expect(await reasonOf(Buffer.from('<html><script>alert(1)</script>'))).toEqual([400, 'not_a_certificate_file']);
    expect(await reasonOf(Buffer.from('GIF89a....'))).toEqual([400, 'not_a_certificate_file']);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    big.write('%PDF-');
    expect(await reasonOf(big)).toEqual([413, 'too_large']);
    expect(
      (await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, { ...sickLeave(sessionId), certificate: '' })).status,
    ).toBe(400);
    expect((await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, { ...sickLeave(sessionId), note: '' })).status).toBe(400);
    expect(
      (await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave('6f1c6a7e-1f7b-4b7a-9a55-3f1f3d1f9e10'))).status,
    ).toBe(404);
    const taken = await takeExam(h, 25);
    const late = await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(taken.sessionId));
    expect([late.status, (late.body as { error?: { reason?: string } }).error?.reason]).toEqual([409, 'not_reschedulable']);
    expect(body<RescheduleTaskView[]>(await h.http('GET', '/api/admin/reschedule-tasks?state=all', admin))).toEqual([]);
    expect((await h.http('GET', '/api/admin/reschedule-tasks?state=maybe', admin)).status).toBe(400);
  });

  it('is for admins only: other staff 403, no log-in or an exam token 401', async () => {
    const admin = await h.staffToken('admin');
    const { sessionId, token } = await h.issueToken();
    const task = body<RescheduleTaskView>(await h.http('POST', '/api/admin/reschedule-tasks/sick-leave', admin, sickLeave(sessionId)));
    const start = h.clock.now() + 24 * HOUR;
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/admin/reschedule-tasks', undefined],
      ['POST', '/api/admin/reschedule-tasks/sick-leave', sickLeave(sessionId)],
      ['GET', `/api/admin/reschedule-tasks/${task.id}/certificate`, undefined],
      ['POST', `/api/admin/reschedule-tasks/${task.id}/reschedule`, { windowStart: start, windowEnd: start + HOUR }],
      ['POST', `/api/admin/reschedule-tasks/${task.id}/refuse`, { reason: 'x' }],
    ];
    const others: Array<[string, string]> = [];
    for (const role of ['proctor', 'reviewer', 'chair', 'member', 'appeal'] as const) others.push([role, await h.staffToken(role)]);
    for (const [method, route, payload] of routes) {
      for (const [role, staff] of others) {
        const res = method === 'GET' ? await getBytes(h, route, staff) : await h.http(method, route, staff, payload);
        expect(res.status, `${role} ${method} ${route}`).toBe(403);
      }
      for (const bearer of [null, token]) {
        const res = method === 'GET' ? await getBytes(h, route, bearer) : await h.http(method, route, bearer, payload);
        expect(res.status, `${bearer ? 'exam token' : 'none'} ${method} ${route}`).toBe(401);
      }
    }
    expect((await h.store.getRescheduleTask(task.id))!.state).toBe('open');
  });
});
