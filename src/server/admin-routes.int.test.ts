/**
 * The admin console's routes against a real centre. Every route × role (anonymous, candidate,
 * proctor, reviewer, admin): only admins succeed. Candidates are created, found, edited (audited with
 * what changed), refused per field and per CSV line; an exam link replaces the older one and is revocable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditView, CandidateDetail, ImportReport, IssuedExam, NotStartedExam } from '../shared/admin';
import type { CandidateRecord } from '../shared/candidate-record';
import { startHarness, type Harness } from '../testing/centre-harness';

const GOOD = {
  surname: 'Тестов',
  givenName: 'Нұрлан',
  patronymic: '',
  iin: '900101300017',
  birthDate: '1990-01-01',
  address: 'Астана, Абай 1',
  email: 'n@example.kz',
  phone: '+7 701 000 00 00',
  profession: 'Электромонтёр',
  nqfLevel: 4,
  consent: true,
};
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.staffToken('admin');
});
afterAll(async () => {
  await h.close();
});

describe('route × role', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/admin/candidates'],
    ['GET', `/api/admin/candidates/${ZERO_UUID}`],
    ['POST', '/api/admin/candidates', { ...GOOD, iin: '900101300037' }],
    ['PUT', `/api/admin/candidates/${ZERO_UUID}`, GOOD],
    ['POST', '/api/admin/candidates/import', { csv: 'surname,given name,iin,birth date\n' }],
    ['GET', '/api/admin/audit'],
    ['POST', '/api/admin/exams', {}],
    ['POST', `/api/admin/exams/${ZERO_UUID}/revoke`, {}],
    ['GET', '/api/admin/exams/not-started'],
  ];

  it('anonymous and candidate tokens get 401, proctor and reviewer 403, admin gets through to the handler', async () => {
    const { token: candidate } = await h.issueToken();
    const tokens = { anonymous: null, candidate, proctor: await h.staffToken('proctor'), reviewer: await h.staffToken('reviewer') };
    for (const [method, route, body] of routes) {
      const statuses = Object.fromEntries(
        await Promise.all(
          Object.entries(tokens).map(async ([who, token]) => [who, (await h.http(method, route, token, body)).status] as const),
        ),
      );
      expect({ route, ...statuses }).toEqual({ route, anonymous: 401, candidate: 401, proctor: 403, reviewer: 403 });
      // The admin reaches the handler: whatever it answers, it is not an access refusal.
      expect([401, 403]).not.toContain((await h.http(method, route, admin, body)).status);
    }
    // Only the admin's create was stored, once: nothing a refused role sent.
    const stored = await h.http<CandidateRecord[]>('GET', '/api/admin/candidates?q=900101300037', admin);
    expect('data' in stored.body && stored.body.data.length).toBe(1);
  });
});

describe('candidates', () => {
  it('creates, finds by name and IIN, edits with the change audited, and refuses a duplicate IIN', async () => {
    const created = await h.http<CandidateRecord>('POST', '/api/admin/candidates', admin, {
      ...GOOD,
      surname: 'Жаңабаев',
      iin: '900101300027',
    });
    expect(created.status).toBe(200);
    if (!('data' in created.body)) throw new Error(JSON.stringify(created.body));
    const id = created.body.data.id;
    expect(created.body.data).toMatchObject({ surname: 'Жаңабаев', patronymic: null, nqfLevel: 4, hasReferencePhoto: false });

    for (const q of ['жаңабаев', 'ЖАҢАБАЕВ НҰР', '9001013000']) {
      const found = await h.http<CandidateRecord[]>('GET', `/api/admin/candidates?q=${encodeURIComponent(q)}`, admin);
      expect(found.body, q).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ id })]) });
    }
    const dup = await h.http('POST', '/api/admin/candidates', admin, { ...GOOD, iin: '900101300027', surname: 'Басқа' });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'conflict', reason: 'duplicate_iin' } } });

    const edited = await h.http<CandidateRecord>('PUT', `/api/admin/candidates/${id}`, admin, {
      ...GOOD,
      surname: 'Жаңабаев',
      iin: '900101300027',
      phone: '+7 702 111 22 33',
    });
    expect(edited).toMatchObject({ status: 200, body: { data: { phone: '+7 702 111 22 33' } } });
    const detail = await h.http<CandidateDetail>('GET', `/api/admin/candidates/${id}`, admin);
    if (!('data' in detail.body)) throw new Error('no detail');
    const [update, create] = detail.body.data.audit as AuditView[];
    expect(update).toMatchObject({
      action: 'candidate.updated',
      actor: { role: 'admin' },
      changes: { phone: { from: GOOD.phone, to: '+7 702 111 22 33' } },
    });
    expect(Object.keys(update!.changes)).toEqual(['phone']);
    expect(create).toMatchObject({ action: 'candidate.created', changes: { iin: { from: null, to: '900101300027' } } });
  });

  it('refuses a bad form with one code per field and stores nothing', async () => {
    const res = await h.http('POST', '/api/admin/candidates', admin, {
      ...GOOD,
      iin: '900101300018',
      birthDate: '1991-01-01',
      consent: false,
      email: 'no',
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', fields: { iin: 'iin_checksum', consent: 'consent_required', email: 'email' } } },
    });
    const mismatch = await h.http('POST', '/api/admin/candidates', admin, { ...GOOD, birthDate: '1991-01-01' });
    expect(mismatch).toMatchObject({ status: 400, body: { error: { fields: { birthDate: 'birth_date_mismatch' } } } });
    expect((await h.http('GET', '/api/admin/candidates?q=900101300018', admin)).body).toEqual({ data: [] });
  });

  it('imports a CSV line by line and reports every refused line with why', async () => {
    const csv = [
      'surname;given name;patronymic;iin;birth date;address;email;phone;profession;nqf level;consent',
      'Әлиев;Бауыржан;;850505400127;1985-05-05;Алматы;b@example.kz;+77011112233;Сварщик;3;да', // line 2: good
      'Қасымова;Дана;;850505400128;1985-05-05;Алматы;;+77011112233;Сварщик;3;да', //            line 3: bad checksum
      'Әлиев;Бауыр;;850505400127;1985-05-05;Алматы;;+77011112233;Сварщик;3;да', //              line 4: same IIN as line 2
      ';Айгүл;;010202500012;2001-02-02;Шымкент;;+77011112233;Электрик;4;да', //                   line 5: no surname
      'Сейтов;Ерлан;;010202500022;2001-02-02;"Шымкент; ул. Абая, 5";;+77011112233;Электрик;4;нет', // line 6: no consent
      'Тестов;Нұрлан;;900101300017;1990-01-01;Астана;;+77011112233;Электрик;4;да', //           line 7: good
      'Екінші;Тестов;;900101300017;1990-01-01;Астана;;+77011112233;Электрик;4;да', //           line 8: duplicate of line 7
      'Сейтов;Ерлан;;010202500022;2001-02-02;"Шымкент; ул. Абая, 5";;+77011112233;Электрик;9;да', // line 9: level 9
    ].join('\r\n');
    const res = await h.http<ImportReport>('POST', '/api/admin/candidates/import', admin, { csv });
    expect(res.status).toBe(200);
    if (!('data' in res.body)) throw new Error(JSON.stringify(res.body));
    expect(res.body.data.created).toBe(2);
    expect(res.body.data.refused).toEqual([
      { line: 3, iin: '850505400128', name: 'Қасымова Дана', errors: { iin: 'iin_checksum' } },
      { line: 4, iin: '850505400127', name: 'Әлиев Бауыр', errors: { iin: 'duplicate_iin' } },
      { line: 5, iin: '010202500012', name: 'Айгүл', errors: { surname: 'required' } },
      { line: 6, iin: '010202500022', name: 'Сейтов Ерлан', errors: { consent: 'consent_required' } },
      { line: 8, iin: '900101300017', name: 'Екінші Тестов', errors: { iin: 'duplicate_iin' } },
      { line: 9, iin: '010202500022', name: 'Сейтов Ерлан', errors: { nqfLevel: 'nqf_level' } },
    ]);
    const audit = await h.http<AuditView[]>('GET', '/api/admin/audit', admin);
    if (!('data' in audit.body)) throw new Error('no audit');
    expect(audit.body.data.filter((e) => e.action === 'candidate.imported').map((e) => e.changes.line)).toEqual([7, 2]);
    // A file whose header is wrong is refused whole.
    expect(await h.http('POST', '/api/admin/candidates/import', admin, { csv: 'name;shoe\nA;1' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', reason: 'csv_unknown_column' } },
    });
  });
});

describe('exams', () => {
  it('a new link ends the older unused one; the not-started list shows the new one; a link can be revoked', async () => {
    const now = Date.now();
    const body = { candidateId: h.candidateId, programmeId: h.programmeId, windowStart: now, windowEnd: now + 3 * 3600_000 };
    const first = await h.http<IssuedExam>('POST', '/api/admin/exams', admin, body);
    if (!('data' in first.body)) throw new Error(JSON.stringify(first.body));
    expect(first.body.data.expiresAt).toBe(body.windowEnd);
    const firstToken = first.body.data.url.split('#t=')[1]!;
    await (await h.candidate(firstToken)).close();

    const second = await h.http<IssuedExam>('POST', '/api/admin/exams', admin, body);
    if (!('data' in second.body)) throw new Error(JSON.stringify(second.body));
    expect(second.body.data.revoked).toContain(first.body.data.sessionId);
    await expect(h.candidate(firstToken)).rejects.toThrow(/expired/);
    const secondId = second.body.data.sessionId;
    const secondToken = second.body.data.url.split('#t=')[1]!;
    (await h.candidate(secondToken)).close();

    const waiting = await h.http<NotStartedExam[]>('GET', '/api/admin/exams/not-started', admin);
    if (!('data' in waiting.body)) throw new Error('no list');
    const ids = waiting.body.data.map((w) => w.sessionId);
    expect(ids).toContain(secondId);
    expect(ids).not.toContain(first.body.data.sessionId);
    expect(waiting.body.data.find((w) => w.sessionId === secondId)).toMatchObject({
      programmeCode: expect.any(String),
      window: { start: now },
    });

    expect((await h.http('POST', `/api/admin/exams/${secondId}/revoke`, admin, {})).status).toBe(200);
    await expect(h.candidate(secondToken)).rejects.toThrow(/expired/);
    expect(await h.http('POST', `/api/admin/exams/${secondId}/revoke`, admin, {})).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', reason: 'link_used' } },
    });
  });

  it('refuses a window that ends before it starts or has passed', async () => {
    const now = Date.now();
    const base = { candidateId: h.candidateId, programmeId: h.programmeId };
    expect(await h.http('POST', '/api/admin/exams', admin, { ...base, windowStart: now, windowEnd: now - 1 })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', reason: 'window_order' } },
    });
    expect(
      await h.http('POST', '/api/admin/exams', admin, { ...base, windowStart: now - 7200_000, windowEnd: now - 3600_000 }),
    ).toMatchObject({ status: 400, body: { error: { code: 'invalid', reason: 'window_past' } } });
  });
});
