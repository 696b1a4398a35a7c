/**
 * Rule 18 at the centre: GET /api/exports/nqs on real procedures carried to their documents (exam →
 * practical → protocol signed → document on recognition / failure notice). The range is of the centre's
 * calendar dates (Asia/Almaty), both ends included; a bad range is a 400 with its reason; the IIN goes
 * only to the roles that may see it; each export is in the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditView } from '../shared/admin';
import { NQS_COLUMNS, type NqsExport } from '../shared/nqs-export';
import { DEMO_CANDIDATE } from './seed';
import { startHarness, type Harness } from '../testing/centre-harness';
import { commission, drawAndSign, practicalBody, setCentreTime, takeExam, type Commission } from '../testing/procedure-steps';

let h: Harness;
let c: Commission;
beforeEach(async () => {
  h = await startHarness();
  c = await commission(h);
});
afterEach(async () => {
  await h.close();
});

async function passed(correct: number, language: 'kk' | 'ru' = 'kk') {
  const exam = await takeExam(h, correct, language);
  expect((await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h))).status).toBe(200);
  return { exam, signed: await drawAndSign(h, c, exam.sessionId) };
}

async function failed(correct: number) {
  const exam = await takeExam(h, correct, 'ru');
  return { exam, signed: await drawAndSign(h, c, exam.sessionId) };
}

const exportOf = async (query: string, token: string) => {
  const res = await h.http<NqsExport>('GET', `/api/exports/nqs?${query}`, token);
  if (!('data' in res.body)) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};

describe('GET /api/exports/nqs', () => {
  it('holds each outcome document issued in the range with its result, by the centre’s dates, in JSON and CSV', async () => {
    const admin = await h.staffToken('admin');
    // 14 April 2026, 23:50 in Almaty (18:50 UTC): still the 14th at the centre.
    setCentreTime(h, '2026-04-14', '23:50');
    const first = await passed(25);
    const notice = await failed(10);
    // 15 April, 00:10 in Almaty (19:10 UTC on the 14th): the 15th at the centre.
    setCentreTime(h, '2026-04-15', '00:10');
    const second = await passed(30, 'ru');

    const day14 = await exportOf('from=2026-04-14&to=2026-04-14', admin);
    expect(day14).toMatchObject({ from: '2026-04-14', to: '2026-04-14', timeZone: 'Asia/Almaty', columns: [...NQS_COLUMNS] });
    const recognition = first.signed.documents.find((d) => d.kind === 'recognition')!;
    expect(day14.rows).toEqual([
      {
        result: 'passed',
        failureReason: '',
        documentKind: 'recognition',
        documentNumber: recognition.number,
        issuedOn: '2026-04-14',
        revokedOn: '',
        iin: DEMO_CANDIDATE.iin,
        surname: DEMO_CANDIDATE.surname,
        givenName: DEMO_CANDIDATE.givenName,
        patronymic: DEMO_CANDIDATE.patronymic,
        programmeCode: expect.any(String),
        oked: '43210',
        occupationCode: '74110001',
        nqfLevel: 4,
        professionKk: expect.any(String),
        professionRu: expect.any(String),
        examDate: '2026-04-14',
        examLanguage: 'kk',
        theoryCorrect: 25,
        theoryTotal: 30,
        theoryPercent: first.exam.snapshot.result!.percent,
        practicalDecision: 'passed',
        protocolNumber: first.signed.protocol!.number,
        protocolDate: '2026-04-14',
        centreAccreditationNo: 'KZ-ACC-0001',
      },
      expect.objectContaining({
        result: 'failed',
        failureReason: 'theory',
        documentKind: 'failure-notice',
        documentNumber: notice.signed.documents.find((d) => d.kind === 'failure-notice')!.number,
        theoryCorrect: 10,
        theoryTotal: 30,
        practicalDecision: '',
        protocolNumber: notice.signed.protocol!.number,
        examLanguage: 'ru',
      }),
    ]);
    // The protocols themselves are not results: only the outcome documents are exported.
    expect(day14.rows.map((r) => r.documentKind)).not.toContain('protocol');

    const day15 = await exportOf('from=2026-04-15&to=2026-04-15', admin);
    expect(day15.rows.map((r) => r.documentNumber)).toEqual([second.signed.documents.find((d) => d.kind === 'recognition')!.number]);
    expect(day15.rows[0]).toMatchObject({ issuedOn: '2026-04-15', protocolDate: '2026-04-15', examDate: '2026-04-15', examLanguage: 'ru' });
    expect((await exportOf('from=2026-04-13&to=2026-04-13', admin)).rows).toEqual([]);
    expect((await exportOf('from=2026-04-16&to=2026-05-16', admin)).rows).toEqual([]);
    expect((await exportOf('from=2026-01-01&to=2026-12-31', admin)).rows).toHaveLength(3);

    // The commission's chair reads it too.
    expect((await exportOf('from=2026-04-14&to=2026-04-15', await h.staffToken('chair'))).rows).toHaveLength(3);

    // A revoked document stays, with the day it was revoked.
    expect(
      (await h.http('POST', `/api/documents/${recognition.id}/revoke`, admin, { reason: 'Issued to the wrong programme' })).status,
    ).toBe(200);
    expect((await exportOf('from=2026-04-14&to=2026-04-14', admin)).rows[0]).toMatchObject({
      documentNumber: recognition.number,
      revokedOn: '2026-04-15',
    });

    // CSV: UTF-8 with a BOM, RFC 4180 lines, the same rows.
    const res = await fetch(`${h.url}/api/exports/nqs?from=2026-04-14&to=2026-04-15&format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nqs-2026-04-14-2026-04-15.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
    expect(lines[0]).toBe(NQS_COLUMNS.join(','));
    expect(lines.slice(1, -1)).toHaveLength(3);
    expect(lines[1]).toContain(`,${DEMO_CANDIDATE.iin},${DEMO_CANDIDATE.surname},`);
    expect(lines[1]).toContain(recognition.number);

    // Each export is in the centre's audit log: who, which range, how many rows.
    const audit = await h.http<AuditView[]>('GET', '/api/admin/audit?subject=centre', admin);
    const exports = 'data' in audit.body ? audit.body.data.filter((a) => a.action === 'nqs.exported') : [];
    expect(exports.length).toBe(8);
    expect(exports.some((a) => a.actor.role === 'commission_chair' && a.changes.rows === 3)).toBe(true);
    expect(exports.some((a) => a.changes.format === 'csv' && a.changes.from === '2026-04-14' && a.changes.to === '2026-04-15')).toBe(true);
  });

  it('refuses a bad range with 400 and its reason', async () => {
    const admin = await h.staffToken('admin');
    const reasonOf = async (query: string) => {
      const res = await h.http('GET', `/api/exports/nqs?${query}`, admin);
      return [
        res.status,
        'error' in res.body ? (res.body.error as { code: string; reason?: string }).code : null,
        'error' in res.body ? ((res.body.error as { reason?: string }).reason ?? null) : null,
      ];
    };
    expect(await reasonOf('from=2026-04-15&to=2026-04-14')).toEqual([400, 'invalid', 'range_order']);
    expect(await reasonOf('from=2026-02-30&to=2026-03-02')).toEqual([400, 'invalid', 'bad_date']);
    expect(await reasonOf('from=2025-01-01&to=2026-04-14')).toEqual([400, 'invalid', 'range_too_long']);
    expect(await reasonOf('from=2026-04-14')).toEqual([400, 'invalid', null]);
    expect(await reasonOf('from=2026-04-14&to=2026-04-14&format=xml')).toEqual([400, 'invalid', null]);
    expect(await reasonOf('')).toEqual([400, 'invalid', null]);
  });

  it('is for admins and the commission’s chair only: other roles 403, no log-in or an exam token 401', async () => {
    const q = '/api/exports/nqs?from=2026-04-14&to=2026-04-14';
    for (const role of ['admin', 'chair'] as const) expect((await h.http('GET', q, await h.staffToken(role))).status, role).toBe(200);
    for (const role of ['proctor', 'reviewer', 'member', 'appeal'] as const)
      expect((await h.http('GET', q, await h.staffToken(role))).status, role).toBe(403);
    expect((await h.http('GET', q, null)).status).toBe(401);
    expect((await h.http('GET', q, (await h.issueToken()).token)).status).toBe(401);
  });
});
