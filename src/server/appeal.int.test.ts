/**
 * Rules 20-23 on the real centre (real SQLite file, sockets, routes and PDFs read back with
 * pdftotext): a failed exam → the failure notice → an appeal in time, registered with its number and
 * date (rule 21) → the appeal commission decides within 5 working days (rule 22) → upheld: the
 * document on recognition with the centre's next serial number, valid at /verify (rule 23); rejected:
 * the decision's PDF only. A filing a day after the window is refused with the date it closed; bad
 * files are refused; and the roles of every new route.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppealDetail, AppealSummary, AppealView, CandidateAppealState } from '../shared/appeal';
import type { AuditView } from '../shared/admin';
import type { IssuedDocumentView, VerificationResult } from '../shared/procedure-api';
import { startHarness, type Harness } from '../testing/centre-harness';
import type { RenderDocument } from './document-issuer';
import { DocumentWorker } from './document-renderer';
import { pdfText } from '../testing/pdf-tools';
import {
  commission,
  drawAndSign,
  getBytes,
  practicalBody,
  setCentreTime,
  takeExam,
  type Commission,
  type TakenExam,
} from '../testing/procedure-steps';
import { DEMO_CANDIDATE } from './seed';

let h: Harness;
let c: Commission;
beforeEach(async () => {
  h = await startHarness();
  // Tuesday 14 April 2026, Almaty: no holiday before May, so the windows below are plain weekdays.
  setCentreTime(h, '2026-04-14');
  c = await commission(h);
});
afterEach(async () => {
  await h.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% a scanned certificate\n');
const TEXT = 'Я не согласен с оценкой: вопрос 7 сформулирован неоднозначно, прошу пересмотреть решение.';

function data<T>(res: { status: number; body: unknown }): T {
  if (!(res.body && typeof res.body === 'object' && 'data' in res.body)) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: T }).data;
}

/** A failed exam (10 of 30) with its protocol signed and the notice issued now (the result received). */
async function failedWithNotice(language: 'kk' | 'ru' = 'ru'): Promise<TakenExam> {
  const exam = await takeExam(h, 10, language);
  const signed = await drawAndSign(h, c, exam.sessionId);
  expect(signed.stage).toBe('notice_issued');
  return exam;
}

describe('an appeal in time (rules 20-23)', () => {
  it('filed with a file, registered with the next number, upheld: the document on recognition with the next serial number, valid in public', async () => {
    // First a passed procedure takes sequence 00000001, so the appeal's document must take the next one.
    const passed = await takeExam(h, 27, 'kk');
    await h.http('PUT', `/api/procedures/${passed.sessionId}/practical`, c.member, await practicalBody(h));
    const first = await drawAndSign(h, c, passed.sessionId);
    expect(first.documents.find((d) => d.kind === 'recognition')!.number).toBe('43210-74110001-4-140426-0001-00000001');

    const exam = await failedWithNotice('ru');
    const before = data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', exam.token));
    // Rule 20: the notice issued on Tuesday 14 April; 15, 16, 17, 20, 21 April are the 5 working days.
    expect(before).toEqual({ ineligible: null, receivedOn: '2026-04-14', closesOn: '2026-04-21', appeal: null });

    // The last day, in the evening: accepted, registered at once (rule 21) with the number and date.
    setCentreTime(h, '2026-04-21', '22:30');
    const filed = await h.http<AppealView>('POST', '/api/exam/appeal', exam.token, {
      text: TEXT,
      files: [{ name: 'справка.png', type: 'image/png', data: b64(PNG) }],
    });
    expect(filed.status).toBe(200);
    const appeal = data<AppealView>(filed);
    // Rule 22: 5 working days from the registration: 22, 23, 24, 27, 28 April.
    expect(appeal).toMatchObject({
      number: '2026-000001',
      registeredOn: '2026-04-21',
      text: TEXT,
      deadline: { due: '2026-04-28', state: 'pending' },
      decision: null,
    });
    expect(appeal.files).toEqual([{ index: 0, name: 'справка.png', type: 'image/png', bytes: PNG.byteLength, sha256: sha256(PNG) }]);

    // The filing is an entry of the session's log with the text's and the file's SHA-256.
    const filedEntry = (await h.store.listEvents(exam.sessionId)).find((e) => e.type === 'appeal.filed')!;
    expect(filedEntry.data).toMatchObject({
      appealId: appeal.id,
      number: '2026-000001',
      registeredOn: '2026-04-21',
      closesOn: '2026-04-21',
      files: [{ sha256: sha256(PNG), bytes: PNG.byteLength }],
    });
    expect((filedEntry.data as { textSha256: string }).textSha256).toBe(sha256(new TextEncoder().encode(TEXT)));

    // One appeal per session.
    expect(await h.http('POST', '/api/exam/appeal', exam.token, { text: TEXT })).toMatchObject({
      status: 409,
      body: { error: { reason: 'already_appealed' } },
    });

    // The appeal commission's list: due dates, no IIN; the detail: what it contests; the file as sent.
    setCentreTime(h, '2026-04-28', '09:00');
    const appealToken = await h.staffToken('appeal'); // a staff log-in lasts a working day, not a week
    const list = data<AppealSummary[]>(await h.http('GET', '/api/appeals', appealToken));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: appeal.id,
      sessionId: exam.sessionId,
      deadline: { due: '2026-04-28', state: 'due_today' },
      attention: true,
    });
    expect(JSON.stringify(list)).not.toContain(DEMO_CANDIDATE.iin);
    const detail = data<AppealDetail>(await h.http('GET', `/api/appeals/${appeal.id}`, appealToken));
    expect(detail).toMatchObject({
      protocol: { number: '2026-000002', signedOn: '2026-04-14', outcome: 'failed', reason: 'theory' },
      theory: { correct: 10, total: 30, admitted: false },
      recognition: null,
    });
    expect(detail.notice).not.toBeNull();
    expect(JSON.stringify(detail)).not.toContain(DEMO_CANDIDATE.iin);
    const file = await getBytes(h, `/api/appeals/${appeal.id}/files/0`, appealToken);
    expect(file).toMatchObject({ status: 200, type: 'image/png' });
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(sha256(file.bytes)).toBe(sha256(PNG));
    const protocol = await getBytes(h, `/api/appeals/${appeal.id}/documents/${detail.protocol.documentId}`, appealToken);
    expect(protocol.status).toBe(200);
    expect(pdfText(protocol.bytes)).toContain('2026-000002');

    // Rule 22: upheld with reasons, on the last day (met). Rule 23: the document with the next serial number.
    const decided = await h.http<AppealDetail & { issueError: unknown }>('POST', `/api/appeals/${appeal.id}/decision`, appealToken, {
      decision: 'upheld',
      reasons: 'Вопрос 7 допускал два верных ответа.',
    });
    expect(decided.status).toBe(200);
    const after = data<AppealDetail & { issueError: unknown }>(decided);
    expect(after.issueError).toBeNull();
    expect(after).toMatchObject({
      deadline: { due: '2026-04-28', state: 'met' },
      decision: {
        decision: 'upheld',
        reasons: 'Вопрос 7 допускал два верных ответа.',
        decidedOn: '2026-04-28',
        by: 'Appeal Commission Demo',
      },
    });
    expect(after.recognition!.number).toBe('43210-74110001-4-140426-0001-00000002');
    expect(
      await h.http('POST', `/api/appeals/${appeal.id}/decision`, appealToken, { decision: 'rejected', reasons: 'again' }),
    ).toMatchObject({ status: 409, body: { error: { reason: 'already_decided' } } });

    const verify = (await (
      await fetch(`${h.url}/verify/${after.recognition!.number}`, { headers: { accept: 'application/json' } })
    ).json()) as { data: VerificationResult };
    expect(verify.data).toMatchObject({ status: 'valid', nqfLevel: 4, issuedOn: '2026-04-28' });
    expect(JSON.stringify(verify)).not.toContain(DEMO_CANDIDATE.iin);

    // Logged with who, when and why; audited; the log still verifies.
    const log = await h.store.listEvents(exam.sessionId);
    const decidedEntry = log.find((e) => e.type === 'appeal.decided')!;
    expect(decidedEntry.data).toMatchObject({
      number: '2026-000001',
      decision: 'upheld',
      reasons: 'Вопрос 7 допускал два верных ответа.',
      by: { role: 'appeal_commission', name: 'Appeal Commission Demo' },
    });
    const issued = log.filter((e) => e.type === 'document.issued').map((e) => e.data as { kind: string; language: string });
    expect(issued.filter((d) => d.kind === 'appeal-decision').map((d) => d.language)).toEqual(['ru', 'kk']);
    expect(issued.filter((d) => d.kind === 'recognition')).toHaveLength(1);
    expect(await h.verifyLog(exam.sessionId)).toMatchObject({ status: 'intact' });
    const audit = await h.http<AuditView[]>('GET', `/api/admin/audit?subject=session:${exam.sessionId}`, await h.staffToken('admin'));
    const actions = 'data' in audit.body ? audit.body.data.map((a) => `${a.action} ${a.actor.role}`) : [];
    expect(actions).toEqual(expect.arrayContaining(['appeal.decided appeal_commission', 'document.issued appeal_commission']));

    // The candidate sees the decision on the same page and downloads its PDF (kk and ru) and the document.
    const state = data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', exam.token));
    expect(state.appeal!.decision).toMatchObject({ decision: 'upheld', decidedOn: '2026-04-28' });
    const mine = data<IssuedDocumentView[]>(await h.http('GET', '/api/exam/documents', exam.token));
    expect(mine.map((d) => d.kind).sort()).toEqual(['appeal-decision', 'failure-notice', 'recognition']);
    const decisionDoc = mine.find((d) => d.kind === 'appeal-decision')!;
    expect(decisionDoc.languages).toEqual(['kk', 'ru']);
    const ru = pdfText((await getBytes(h, `/api/exam/documents/${decisionDoc.id}?lang=ru`, exam.token)).bytes).replace(/\s+/g, ' ');
    expect(ru).toContain('2026-000001');
    expect(ru).toContain(DEMO_CANDIDATE.surname);
    expect(ru).toContain('Вопрос 7 допускал два верных ответа.');
    const kk = pdfText((await getBytes(h, `/api/exam/documents/${decisionDoc.id}?lang=kk`, exam.token)).bytes);
    expect(kk).toContain('АПЕЛЛЯЦИЯЛЫҚ');
    const recognition = await getBytes(h, `/api/exam/documents/${mine.find((d) => d.kind === 'recognition')!.id}`, exam.token);
    expect(pdfText(recognition.bytes)).toContain('43210-74110001-4-140426-0001-00000002');
  });

  it('rejected: the decision PDF with the reasons, no document; decided late, the deadline says so', async () => {
    const exam = await failedWithNotice('kk');
    setCentreTime(h, '2026-04-15');
    const appeal = data<AppealView>(
      await h.http('POST', '/api/exam/appeal', exam.token, {
        text: TEXT,
        files: [{ name: 'scan.pdf', type: 'application/pdf', data: b64(PDF) }],
      }),
    );
    expect(appeal.deadline).toEqual({ due: '2026-04-22', state: 'pending' });
    setCentreTime(h, '2026-04-23');
    const appealToken = await h.staffToken('appeal');
    expect(data<AppealSummary[]>(await h.http('GET', '/api/appeals', appealToken))[0]).toMatchObject({
      deadline: { state: 'overdue' },
      attention: true,
    });
    const after = data<AppealDetail & { issueError: unknown }>(
      await h.http('POST', `/api/appeals/${appeal.id}/decision`, appealToken, {
        decision: 'rejected',
        reasons: 'Баға технологиялық картаға сәйкес.',
      }),
    );
    expect(after).toMatchObject({
      deadline: { due: '2026-04-22', state: 'late' },
      decision: { decision: 'rejected' },
      recognition: null,
      issueError: null,
    });
    expect((await h.store.listDocuments(exam.sessionId)).map((d) => d.kind).sort()).toEqual([
      'appeal-decision',
      'failure-notice',
      'protocol',
    ]);
    expect(await h.store.counterValue((await h.store.getCentre())!.id, 'recognition')).toBe(0);
    const pdf = await getBytes(h, `/api/appeals/${appeal.id}/documents/${after.decision!.documentId}?lang=kk`, appealToken);
    const text = pdfText(pdf.bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Баға технологиялық картаға сәйкес.');
    expect(text).toContain('2026-000001');
    const file = await getBytes(h, `/api/appeals/${appeal.id}/files/0`, appealToken);
    expect(file.type).toBe('application/pdf');
    expect(sha256(file.bytes)).toBe(sha256(PDF));
    expect(data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', exam.token)).appeal!.decision).toMatchObject({
      decision: 'rejected',
      reasons: 'Баға технологиялық картаға сәйкес.',
    });
  });
});

describe('an upheld appeal whose document cannot be made at once (rule 23)', () => {
  it('the decision stays, the list and the page say the document is missing, and asking again issues it once', async () => {
    // The centre's own PDF renderer, failing on the document on recognition until the fault is mended.
    const worker = new DocumentWorker();
    let broken = true;
    const render: RenderDocument = (kind, input, language) =>
      broken && kind === 'recognition' ? Promise.reject(new Error('the renderer ran out of memory')) : worker.render(kind, input, language);
    try {
      await h.close();
      h = await startHarness({ render });
      setCentreTime(h, '2026-04-14');
      c = await commission(h);
      const exam = await failedWithNotice('ru');
      const appeal = data<AppealView>(await h.http('POST', '/api/exam/appeal', exam.token, { text: TEXT }));
      const appealToken = await h.staffToken('appeal');

      // Not upheld yet: nothing to issue.
      expect(await h.http('POST', `/api/appeals/${appeal.id}/document`, appealToken)).toMatchObject({
        status: 409,
        body: { error: { code: 'conflict', reason: 'not_upheld' } },
      });

      const decided = await h.http<AppealDetail & { issueError: unknown }>('POST', `/api/appeals/${appeal.id}/decision`, appealToken, {
        decision: 'upheld',
        reasons: 'Вопрос 7 допускал два верных ответа.',
      });
      expect(decided.status).toBe(200);
      // The renderer's own words stay in the centre's log: the page is told a code.
      expect(data<AppealDetail & { issueError: unknown }>(decided)).toMatchObject({
        decision: { decision: 'upheld' },
        recognition: null,
        issueError: { code: 'internal' },
      });
      expect((await h.store.listDocuments(exam.sessionId)).map((d) => d.kind).sort()).toEqual([
        'appeal-decision',
        'failure-notice',
        'protocol',
      ]);
      expect(await h.store.counterValue((await h.store.getCentre())!.id, 'recognition')).toBe(0);
      // Decided, yet the commission's list still asks for attention: the document is owed.
      expect(data<AppealSummary[]>(await h.http('GET', '/api/appeals', appealToken))[0]).toMatchObject({ id: appeal.id, attention: true });

      // Still broken: asked again, refused again, nothing half-written.
      expect(data<{ issueError: unknown }>(await h.http('POST', `/api/appeals/${appeal.id}/document`, appealToken))).toMatchObject({
        issueError: { code: 'internal' },
      });
      expect(await h.store.counterValue((await h.store.getCentre())!.id, 'recognition')).toBe(0);

      // Mended: issued with the first serial number; twice asked, one document.
      broken = false;
      const issued = data<AppealDetail & { issueError: unknown }>(await h.http('POST', `/api/appeals/${appeal.id}/document`, appealToken));
      expect(issued).toMatchObject({ issueError: null, recognition: { number: '43210-74110001-4-140426-0001-00000001' } });
      const again = data<AppealDetail & { issueError: unknown }>(await h.http('POST', `/api/appeals/${appeal.id}/document`, appealToken));
      expect(again.recognition).toEqual(issued.recognition);
      expect((await h.store.listDocuments(exam.sessionId)).filter((d) => d.kind === 'recognition')).toHaveLength(1);
      expect(data<AppealSummary[]>(await h.http('GET', '/api/appeals', appealToken))[0]).toMatchObject({ attention: false });
      const entries = (await h.store.listEvents(exam.sessionId)).filter(
        (e) => e.type === 'document.issued' && (e.data as { kind: string }).kind === 'recognition',
      );
      expect(entries).toHaveLength(1);
      expect(await h.verifyLog(exam.sessionId)).toMatchObject({ status: 'intact' });
    } finally {
      await worker.close();
    }
  });
});

describe('refusals', () => {
  it('a day late: 409 appeal_closed with the date it closed; the page is told the same', async () => {
    const exam = await failedWithNotice();
    setCentreTime(h, '2026-04-22', '00:05');
    expect(await h.http('POST', '/api/exam/appeal', exam.token, { text: TEXT })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', reason: 'appeal_closed', closedOn: '2026-04-21' } },
    });
    expect(data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', exam.token))).toEqual({
      ineligible: 'appeal_closed',
      receivedOn: '2026-04-14',
      closesOn: '2026-04-21',
      appeal: null,
    });
    expect(await h.store.getAppealOfSession(exam.sessionId)).toBeNull();
  });

  it('before the result, after a pass: nothing to appeal', async () => {
    const early = await takeExam(h, 10);
    expect(await h.http('POST', '/api/exam/appeal', early.token, { text: TEXT })).toMatchObject({
      status: 409,
      body: { error: { reason: 'no_result' } },
    });
    expect(data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', early.token))).toMatchObject({
      ineligible: 'no_result',
      closesOn: null,
    });
    const passed = await takeExam(h, 27);
    await h.http('PUT', `/api/procedures/${passed.sessionId}/practical`, c.member, await practicalBody(h));
    await drawAndSign(h, c, passed.sessionId);
    expect(await h.http('POST', '/api/exam/appeal', passed.token, { text: TEXT })).toMatchObject({
      status: 409,
      body: { error: { reason: 'passed' } },
    });
  });

  it('bad files and bad bodies: 400 with a code, nothing stored', async () => {
    const exam = await failedWithNotice();
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const post = (body: unknown) => h.http('POST', '/api/exam/appeal', exam.token, body);
    expect(await post({ text: TEXT, files: [{ name: 'x.png', type: 'image/png', data: b64(html) }] })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', reason: 'file_type', fileIndex: 0 } },
    });
    expect(
      await post({
        text: TEXT,
        files: [
          { name: 'a.png', type: 'image/png', data: b64(PNG) },
          { name: 'x.jpg', type: 'image/jpeg', data: b64(PDF) },
        ],
      }),
    ).toMatchObject({ status: 400, body: { error: { reason: 'file_type', fileIndex: 1 } } });
    expect(await post({ text: TEXT, files: [{ name: 'x.svg', type: 'image/svg+xml', data: b64(PNG) }] })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid' } },
    });
    expect(
      await post({ text: TEXT, files: Array.from({ length: 4 }, () => ({ name: 'a.png', type: 'image/png', data: b64(PNG) })) }),
    ).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(await post({ text: 'short' })).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(await post({ text: TEXT, files: [{ name: 'a.png', type: 'image/png', data: 'A'.repeat(2_800_004) }] })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid' } },
    });
    expect(await h.store.getAppealOfSession(exam.sessionId)).toBeNull();
    expect((await h.store.listEvents(exam.sessionId)).some((e) => e.type === 'appeal.filed')).toBe(false);
    const appealToken = await h.staffToken('appeal');
    expect(
      await h.http('POST', `/api/appeals/00000000-0000-4000-8000-000000000000/decision`, appealToken, { decision: 'upheld', reasons: 'x' }),
    ).toMatchObject({ status: 404 });
    expect(await h.http('GET', '/api/appeals/not-a-uuid', appealToken)).toMatchObject({ status: 400 });
  });
});

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
  it('only the allowed cells get through; the rest are 401 (no log-in) or 403 (another role)', async () => {
    const exam = await failedWithNotice();
    const appeal = data<AppealView>(
      await h.http('POST', '/api/exam/appeal', exam.token, { text: TEXT, files: [{ name: 'a.png', type: 'image/png', data: b64(PNG) }] }),
    );
    const notice = (await h.store.listDocuments(exam.sessionId)).find((d) => d.kind === 'failure-notice')!;
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
    const READ: Role[] = ['appeal_commission', 'admin'];
    const routes: Array<{ method: string; route: string; body?: unknown; allowed: Role[]; candidateRoute?: true }> = [
      { method: 'GET', route: '/api/exam/appeal', allowed: ['candidate'], candidateRoute: true },
      { method: 'POST', route: '/api/exam/appeal', body: { text: TEXT }, allowed: ['candidate'], candidateRoute: true },
      { method: 'GET', route: '/api/appeals', allowed: READ },
      { method: 'GET', route: `/api/appeals/${appeal.id}`, allowed: READ },
      { method: 'GET', route: `/api/appeals/${appeal.id}/files/0`, allowed: READ },
      { method: 'GET', route: `/api/appeals/${appeal.id}/documents/${notice.id}`, allowed: READ },
      {
        method: 'POST',
        route: `/api/appeals/${appeal.id}/decision`,
        body: { decision: 'rejected', reasons: 'test' },
        allowed: ['appeal_commission'],
      },
      { method: 'POST', route: `/api/appeals/${appeal.id}/document`, allowed: ['appeal_commission'] },
    ];
    const table: Record<string, Record<Role, number>> = {};
    const expected: Record<string, Record<Role, number>> = {};
    for (const r of routes) {
      const key = `${r.method} ${r.route}`;
      table[key] = {} as Record<Role, number>;
      expected[key] = {} as Record<Role, number>;
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
        // Through to the handler: whatever it answers (200, 409...), it is not an access refusal.
        table[key][role] = r.allowed.includes(role) && ![401, 403].includes(res.status) ? -1 : res.status;
        const staffRole = role !== 'anonymous' && role !== 'candidate';
        expected[key][role] = r.allowed.includes(role) ? -1 : r.candidateRoute ? 401 : staffRole ? 403 : 401;
      }
    }
    expect(table).toEqual(expected);
    // The candidate's own decision PDF is listed to them; another candidate's link sees none of it.
    const other = await takeExam(h, 5);
    expect(data<CandidateAppealState>(await h.http('GET', '/api/exam/appeal', other.token)).appeal).toBeNull();
  });
});
