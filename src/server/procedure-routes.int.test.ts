/**
 * The procedure's routes on the real centre. Every new route × role (anonymous, candidate,
 * proctor, reviewer, admin, commission chair, commission member, appeal commission): only the allowed
 * cells get through. Bad bodies are refused with 400 and a code, conflicts with 409 and a reason; a
 * protocol whose basis changed is not signed but drawn again; a refused issue (the accreditation
 * number) is issued once fixed; the public check is rate-limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentreSettings, IssuedPassword } from '../shared/admin-staff';
import type { IssuedDocumentView, ProcedureDetail } from '../shared/procedure-api';
import { startHarness, TEST_PASSWORD, type Harness } from '../testing/centre-harness';
import {
  commission,
  drawAndSign,
  getBytes,
  practicalBody,
  procedure,
  setCentreTime,
  takeExam,
  terminatedExam,
  type Commission,
  type TakenExam,
} from '../testing/procedure-steps';

let h: Harness;
let c: Commission;
beforeAll(async () => {
  h = await startHarness();
  setCentreTime(h, '2026-04-14');
  c = await commission(h);
});
afterAll(async () => {
  await h.close();
});

const ZERO = '00000000-0000-4000-8000-000000000000';
const ROLES = [
  'anonymous',
  'candidate',
  'proctor',
  'reviewer',
  'admin',
  'commission_chair',
  'commission_member',
  'appeal_commission',
] as const;
type Role = (typeof ROLES)[number];

describe('route × role', () => {
  it('only the allowed cells get through; the rest are 401 (no staff log-in) or 403 (another role)', async () => {
    // A procedure taken to its end (ended for a violation): the act, the protocol and the notice exist.
    const exam: TakenExam = await terminatedExam(h);
    await drawAndSign(h, c, exam.sessionId);
    const docs = await h.store.listDocuments(exam.sessionId);
    const act = docs.find((d) => d.kind === 'violation-act')!;
    const notice = docs.find((d) => d.kind === 'failure-notice')!;
    const map = (await h.store.getProgramme(h.programmeId))!.technologicalMap;
    const tokens: Record<Role, string | null> = {
      anonymous: null,
      candidate: exam.token,
      proctor: await h.staffToken('proctor'),
      reviewer: await h.staffToken('reviewer'),
      admin: await h.staffToken('admin'),
      commission_chair: c.chair,
      commission_member: c.member,
      appeal_commission: await h.staffToken('appeal'),
    };
    const s = exam.sessionId;
    const READ: Role[] = ['admin', 'commission_chair', 'commission_member'];
    const routes: Array<{ method: string; route: string; body?: unknown; allowed: Role[]; candidateRoute?: true }> = [
      { method: 'GET', route: '/api/procedures', allowed: READ },
      { method: 'GET', route: `/api/procedures/${s}`, allowed: READ },
      {
        method: 'PUT',
        route: `/api/procedures/${s}/practical`,
        body: await practicalBody(h),
        allowed: ['commission_chair', 'commission_member'],
      },
      { method: 'POST', route: `/api/procedures/${s}/protocol`, body: { memberIds: [c.memberId] }, allowed: ['commission_chair'] },
      {
        method: 'POST',
        route: `/api/procedures/${s}/signatures`,
        body: { protocolNumber: '2026-000001' },
        allowed: ['commission_chair', 'commission_member'],
      },
      { method: 'POST', route: `/api/procedures/${s}/issue`, body: {}, allowed: ['commission_chair', 'admin'] },
      { method: 'GET', route: `/api/procedures/${s}/protocol.pdf`, allowed: READ },
      { method: 'GET', route: `/api/sessions/${s}/violation-act`, allowed: [...READ, 'reviewer'] },
      { method: 'GET', route: `/api/documents/${act.id}`, allowed: [...READ, 'reviewer'] },
      { method: 'GET', route: `/api/documents/${notice.id}`, allowed: READ },
      { method: 'POST', route: `/api/documents/${ZERO}/revoke`, body: { reason: 'test' }, allowed: ['admin'] },
      { method: 'PUT', route: `/api/programmes/${h.programmeId}/technological-map`, body: { items: map }, allowed: ['admin'] },
      { method: 'GET', route: '/api/exam/documents', allowed: ['candidate'], candidateRoute: true },
      { method: 'GET', route: `/api/exam/documents/${notice.id}`, allowed: ['candidate'], candidateRoute: true },
    ];
    const table: Record<string, Record<Role, number>> = {};
    const expected: Record<string, Record<Role, number | 'through'>> = {};
    for (const r of routes) {
      const key = `${r.method} ${r.route}`;
      table[key] = {} as Record<Role, number>;
      expected[key] = {} as Record<Role, number | 'through'>;
      for (const role of ROLES) {
        const res = await fetch(`${h.url}${r.route}`, {
          method: r.method,
          headers: {
            ...(tokens[role] ? { authorization: `Bearer ${tokens[role]}` } : {}),
            ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: r.body === undefined ? undefined : JSON.stringify(r.body),
        });
        await res.arrayBuffer();
        // Through to the handler: whatever it answers (200, 404, 409...), it is not an access refusal.
        table[key][role] = r.allowed.includes(role) && ![401, 403].includes(res.status) ? -1 : res.status;
        const staffRole = role !== 'anonymous' && role !== 'candidate';
        expected[key][role] = r.allowed.includes(role) ? (-1 as never) : r.candidateRoute ? 401 : staffRole ? 403 : 401;
      }
    }
    expect(table).toEqual(expected);
    // The public check needs no log-in at all.
    for (const role of ROLES) {
      const res = await fetch(`${h.url}/verify/43210-74110001-4-140426-0001-99999999`, {
        headers: { accept: 'application/json', ...(tokens[role] ? { authorization: `Bearer ${tokens[role]}` } : {}) },
      });
      expect(res.status, role).toBe(404);
      expect(await res.json()).toEqual({ data: { status: 'unknown', number: '43210-74110001-4-140426-0001-99999999' } });
    }
  });
});

describe('bad requests', () => {
  it('a practical assessment that does not fit the map: 400 with the reason and the items', async () => {
    const exam = await takeExam(h, 24);
    const route = `/api/procedures/${exam.sessionId}/practical`;
    const good = await practicalBody(h);
    const [first, ...rest] = good.items;
    expect(await h.http('PUT', route, c.member, {})).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(await h.http('PUT', route, c.member, { ...good, extra: 1 })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid' } },
    });
    expect(await h.http('PUT', route, c.member, { ...good, decision: 'maybe' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid' } },
    });
    expect(await h.http('PUT', route, c.member, { ...good, items: rest })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', reason: 'items_mismatch', itemIds: [first!.itemId] } },
    });
    expect(
      await h.http('PUT', route, c.member, { ...good, items: [...good.items, { itemId: 'welding', passed: true, comment: null }] }),
    ).toMatchObject({ status: 400, body: { error: { reason: 'items_mismatch', itemIds: ['welding'] } } });
    expect(
      await h.http('PUT', route, c.member, { decision: 'failed', items: [{ ...first!, passed: false, comment: '  ' }, ...rest] }),
    ).toMatchObject({ status: 400, body: { error: { reason: 'comment_required', itemIds: [first!.itemId] } } });
    expect(
      await h.http('PUT', route, c.member, { decision: 'passed', items: [{ ...first!, passed: false, comment: 'x' }, ...rest] }),
    ).toMatchObject({ status: 400, body: { error: { reason: 'decision_contradicts_items' } } });
    expect(await h.http('PUT', `/api/procedures/not-a-uuid/practical`, c.member, good)).toMatchObject({ status: 400 });
    expect(await h.http('PUT', `/api/procedures/${ZERO}/practical`, c.member, good)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    // Nothing was recorded, nothing logged.
    expect(await h.store.getProcedure(exam.sessionId)).toBeNull();
    expect((await h.store.listEvents(exam.sessionId)).filter((e) => e.type === 'practical.assessed')).toEqual([]);
  });

  it('a protocol and signatures that do not fit: 400, 403 or 409 with the reason; a changed basis is drawn again, not signed', async () => {
    const exam = await takeExam(h, 26);
    const s = exam.sessionId;
    const proctorId = (await h.store.findStaffByUsername('proctor'))!.id;
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [c.memberId] })).toMatchObject({
      status: 409,
      body: { error: { reason: 'practical_missing' } },
    });
    await h.http('PUT', `/api/procedures/${s}/practical`, c.member, await practicalBody(h));
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [] })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid' } },
    });
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: ['nobody'] })).toMatchObject({ status: 400 });
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [c.memberId, c.memberId] })).toMatchObject({
      status: 400,
    });
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [proctorId] })).toMatchObject({
      status: 400,
      body: { error: { reason: 'not_commission_member' } },
    });
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, c.chair, { protocolNumber: 'x' })).toMatchObject({
      status: 409,
      body: { error: { reason: 'no_protocol' } },
    });

    const drawn = await h.http<ProcedureDetail>('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [c.memberId] });
    const number = 'data' in drawn.body ? drawn.body.data.protocol!.number : '';
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, c.chair, {})).toMatchObject({ status: 400 });
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, c.chair, { protocolNumber: `${number}9` })).toMatchObject({
      status: 409,
      body: { error: { reason: 'protocol_changed' } },
    });
    // A commission member the chair did not name may not sign.
    const made = await h.http<IssuedPassword>('POST', '/api/admin/staff', await h.staffToken('admin'), {
      username: 'member.two',
      displayName: 'Second Member',
      role: 'commission_member',
    });
    const login = await h.http<{ token: string }>('POST', '/api/staff/login', null, {
      username: 'member.two',
      password: 'data' in made.body ? made.body.data.password : '',
    });
    const other = 'data' in login.body ? login.body.data.token : '';
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, other, { protocolNumber: number })).toMatchObject({
      status: 403,
      body: { error: { reason: 'not_on_commission' } },
    });
    expect((await h.http('POST', `/api/procedures/${s}/signatures`, c.chair, { protocolNumber: number })).status).toBe(200);
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, c.chair, { protocolNumber: number })).toMatchObject({
      status: 409,
      body: { error: { reason: 'already_signed' } },
    });
    expect(await h.http('POST', `/api/procedures/${s}/issue`, c.chair, {})).toMatchObject({
      status: 409,
      body: { error: { reason: 'not_signed' } },
    });

    // The practical assessment is corrected after the chair signed: the protocol no longer states the decision.
    expect((await h.http('PUT', `/api/procedures/${s}/practical`, c.member, await practicalBody(h, 'failed'))).status).toBe(200);
    expect(await h.http('POST', `/api/procedures/${s}/signatures`, c.member, { protocolNumber: number })).toMatchObject({
      status: 409,
      body: { error: { reason: 'protocol_stale' } },
    });
    expect(await procedure(h, c.member, s)).toMatchObject({ stage: 'protocol_to_draw', protocol: { stale: true, signed: 1 } });
    const signed = await drawAndSign(h, c, s);
    expect(signed).toMatchObject({ stage: 'notice_issued', protocol: { number, signed: 2 }, decision: { reason: 'practical' } });
    // Final now: no more changes.
    expect(await h.http('PUT', `/api/procedures/${s}/practical`, c.member, await practicalBody(h))).toMatchObject({
      status: 409,
      body: { error: { reason: 'protocol_signed' } },
    });
    expect(await h.http('POST', `/api/procedures/${s}/protocol`, c.chair, { memberIds: [c.memberId] })).toMatchObject({
      status: 409,
      body: { error: { reason: 'protocol_signed' } },
    });
    const drawnEntries = (await h.store.listEvents(s))
      .filter((e) => e.type === 'protocol.drawn')
      .map((e) => (e.data as { redrawn: boolean }).redrawn);
    expect(drawnEntries).toEqual([false, true]);
  });

  it('documents, revocation, the technological map and the language: 400 on bad input, 404 on what does not exist', async () => {
    const admin = await h.staffToken('admin');
    expect(await h.http('POST', `/api/documents/${ZERO}/revoke`, admin, {})).toMatchObject({ status: 400 });
    expect(await h.http('POST', `/api/documents/${ZERO}/revoke`, admin, { reason: 'x' })).toMatchObject({ status: 404 });
    expect(
      await h.http('PUT', `/api/programmes/${h.programmeId}/technological-map`, admin, {
        items: [{ id: 'A B', text: { kk: 'а', ru: 'б', en: 'c' } }],
      }),
    ).toMatchObject({ status: 400 });
    const item = { id: 'x', text: { kk: 'а', ru: 'б', en: 'c' } };
    expect(await h.http('PUT', `/api/programmes/${h.programmeId}/technological-map`, admin, { items: [item, item] })).toMatchObject({
      status: 400,
    });
    expect(await h.http('PUT', '/api/programmes/NOPE/technological-map', admin, { items: [item] })).toMatchObject({ status: 404 });
    expect((await getBytes(h, `/api/documents/${ZERO}`, c.chair)).status).toBe(404);
    expect((await getBytes(h, `/api/documents/${ZERO}?lang=en`, c.chair)).status).toBe(404);
    const exam = await takeExam(h, 3);
    expect((await getBytes(h, `/api/procedures/${exam.sessionId}/protocol.pdf?lang=en`, c.chair)).status).toBe(400);
    expect((await getBytes(h, `/api/sessions/${exam.sessionId}/violation-act`, c.chair)).status).toBe(409);
  });

  it('a revoked document cannot be revoked again; the technological map is changed with its audit entry', async () => {
    const admin = await h.staffToken('admin');
    const exam = await takeExam(h, 29);
    await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.chair, await practicalBody(h));
    const signed = await drawAndSign(h, c, exam.sessionId);
    const doc = signed.documents.find((d) => d.kind === 'recognition')!;
    expect((await h.http<IssuedDocumentView>('POST', `/api/documents/${doc.id}/revoke`, admin, { reason: 'wrong programme' })).status).toBe(
      200,
    );
    expect(await h.http('POST', `/api/documents/${doc.id}/revoke`, admin, { reason: 'again' })).toMatchObject({
      status: 409,
      body: { error: { reason: 'already_revoked' } },
    });
    expect((await h.store.listEvents(exam.sessionId)).filter((e) => e.type === 'document.revoked')).toHaveLength(1);
    const before = (await h.store.getProgramme(h.programmeId))!.technologicalMap;
    const items = [
      ...before,
      {
        id: 'documentation',
        text: {
          kk: 'Атқарылған жұмыс актісін толтырады',
          ru: 'Заполняет акт выполненных работ',
          en: 'Fills in the work completion report',
        },
      },
    ];
    expect((await h.http('PUT', `/api/programmes/${h.programmeId}/technological-map`, admin, { items })).status).toBe(200);
    expect((await h.store.getProgramme(h.programmeId))!.technologicalMap).toHaveLength(before.length + 1);
    expect((await h.store.listAudit(`programme:${h.programmeId}`, 5))[0]).toMatchObject({
      action: 'programme.technological_map',
      actor: { role: 'admin' },
    });
    await h.http('PUT', `/api/programmes/${h.programmeId}/technological-map`, admin, { items: before });
  });
});

describe('at the same moment', () => {
  it('last signatures on three protocols at once issue three documents with consecutive numbers; two signers at once both count', async () => {
    const exams = await Promise.all([takeExam(h, 25), takeExam(h, 26), takeExam(h, 27), takeExam(h, 28)]);
    const numbers: string[] = [];
    for (const e of exams) {
      await h.http('PUT', `/api/procedures/${e.sessionId}/practical`, c.member, await practicalBody(h));
      const drawn = await h.http<ProcedureDetail>('POST', `/api/procedures/${e.sessionId}/protocol`, c.chair, { memberIds: [c.memberId] });
      numbers.push('data' in drawn.body ? drawn.body.data.protocol!.number : '');
    }
    const [a, b, d, both] = exams;
    for (const [i, e] of [a!, b!, d!].entries())
      expect((await h.http('POST', `/api/procedures/${e.sessionId}/signatures`, c.chair, { protocolNumber: numbers[i] })).status).toBe(200);
    const centreId = (await h.store.getCentre())!.id;
    const before = await h.store.counterValue(centreId, 'recognition');
    const last = await Promise.all(
      [a!, b!, d!].map((e, i) =>
        h.http<ProcedureDetail>('POST', `/api/procedures/${e.sessionId}/signatures`, c.member, { protocolNumber: numbers[i] }),
      ),
    );
    expect(last.map((r) => r.status)).toEqual([200, 200, 200]);
    const sequences = await Promise.all(
      [a!, b!, d!].map(async (e) => (await h.store.listDocuments(e.sessionId)).find((x) => x.kind === 'recognition')!.sequence!),
    );
    expect([...sequences].sort((x, y) => x - y)).toEqual([before + 1, before + 2, before + 3]);
    // The chair and the member sign the fourth at the same moment: both signatures stand, the documents are issued once.
    const together = await Promise.all(
      [c.chair, c.member].map((t) => h.http('POST', `/api/procedures/${both!.sessionId}/signatures`, t, { protocolNumber: numbers[3] })),
    );
    expect(together.map((r) => r.status)).toEqual([200, 200]);
    expect(await procedure(h, c.chair, both!.sessionId)).toMatchObject({ stage: 'document_issued', protocol: { signed: 2 } });
    expect((await h.store.listDocuments(both!.sessionId)).map((x) => x.kind).sort()).toEqual(['protocol', 'recognition']);
    expect(await h.store.counterValue(centreId, 'recognition')).toBe(before + 4);
  });
});

describe('issuing after a refusal', () => {
  it('an accreditation number without its 4 digits stops the document, not the signature; fixed, the document is issued', async () => {
    const admin = await h.staffToken('admin');
    const settings = (await h.store.getCentreSettings())!;
    // A centre set up before this version could hold any text; the settings form refuses it today.
    await h.store.setCentreSettings(
      { ...settings, accreditationNo: 'KZ-ACC-42' },
      { at: h.clock.now(), actor: { userId: 'x', name: 'old', role: 'admin' }, action: 'centre.updated', subject: 'centre', changes: {} },
    );
    expect(
      await h.http('PUT', '/api/admin/centre', admin, { ...settings, accreditationNo: 'KZ-ACC-42' } satisfies CentreSettings),
    ).toMatchObject({ status: 400, body: { error: { fields: { accreditationNo: 'accreditation_digits' } } } });
    const exam = await takeExam(h, 25);
    await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h));
    const signed = await drawAndSign(h, c, exam.sessionId);
    expect(signed).toMatchObject({ stage: 'signed', issueError: { code: 'conflict', reason: 'accreditation_number' } });
    expect(signed.documents).toEqual([]);
    expect((await h.http('PUT', '/api/admin/centre', admin, { ...settings, accreditationNo: 'KZ-ACC-0077' })).status).toBe(200);
    const issued = await h.http<IssuedDocumentView[]>('POST', `/api/procedures/${exam.sessionId}/issue`, admin, {});
    expect(issued.status).toBe(200);
    const recognition = ('data' in issued.body ? issued.body.data : []).find((d) => d.kind === 'recognition');
    expect(recognition?.number).toMatch(/^43210-74110001-4-140426-0077-\d{8}$/);
    // Issued once: asking again changes nothing.
    const again = await h.http<IssuedDocumentView[]>('POST', `/api/procedures/${exam.sessionId}/issue`, c.chair, {});
    expect('data' in again.body && again.body.data.map((d) => d.id).sort()).toEqual(
      ('data' in issued.body ? issued.body.data : []).map((d) => d.id).sort(),
    );
    await h.store.setCentreSettings(settings, {
      at: h.clock.now(),
      actor: { userId: 'x', name: 'test', role: 'admin' },
      action: 'centre.updated',
      subject: 'centre',
      changes: {},
    });
  });
});

describe('the public check', () => {
  it('an unknown or malformed number is "unknown" in kk by default; checks are rate-limited per address', async () => {
    const limited = await startHarness({ config: { verifyRate: { perSecond: 0.001, burst: 3 } } });
    try {
      const page = await fetch(`${limited.url}/verify/not-a-number`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('Мұндай нөмірлі құжат табылмады');
      const json = await fetch(`${limited.url}/verify/not-a-number`, { headers: { accept: 'application/json' } });
      expect(await json.json()).toEqual({ data: { status: 'unknown', number: 'not-a-number' } });
      expect((await fetch(`${limited.url}/verify/x`)).status).toBe(404);
      const refused = await fetch(`${limited.url}/verify/x`, { headers: { accept: 'application/json' } });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The limit is the public check's own: staff log-ins are not slowed by it.
      expect((await limited.http('POST', '/api/staff/login', null, { username: 'admin', password: TEST_PASSWORD })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
