/**
 * Who may see what: candidate tokens open one exam and nothing else; proctors get the live
 * dashboard, reviewers the personal data and timelines, admins issue links.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot, LiveSession } from '../shared/protocol';
import { data, request, startHarness, TEST_PASSWORD, type Harness } from '../testing/centre-harness';
import { testDatabase } from '../testing/test-database';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('candidate tokens', () => {
  it('an unknown or missing token cannot connect', async () => {
    await expect(h.candidate('x'.repeat(43))).rejects.toThrow(/unauthorised/);
    await expect(h.candidate('')).rejects.toThrow(/unauthorised/);
  });

  it('tokens are stored only as hashes', async () => {
    const { token } = await h.issueToken();
    const dump = JSON.stringify(await testDatabase(h.dataDir).query('SELECT * FROM exam_sessions'));
    expect(dump).not.toContain(token);
  });

  it('an unused link expires', async () => {
    const { token } = await h.issueToken();
    h.clock.advance(15 * 24 * 3600_000);
    await expect(h.candidate(token)).rejects.toThrow(/expired/);
  });

  it('a finished exam keeps its link only to show the result: nothing can change', async () => {
    const { token } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'ru' }));
    await h.passPrestart(socket);
    data(await request(socket, 'exam:start'));
    data(await request(socket, 'exam:submit'));
    socket.close();
    const replay = await h.candidate(token);
    const snap = data(await request<ExamSnapshot>(replay, 'exam:resume'));
    expect(snap.status).toBe('submitted');
    expect(snap.questions).toEqual([]);
    expect(await request(replay, 'exam:start')).toMatchObject({ error: { code: 'closed' } });
  });

  it('a candidate token is not a staff token: refused on /staff and on every REST route', async () => {
    const { token } = await h.issueToken();
    await expect(h.staff(token)).rejects.toThrow(/unauthorised/);
    for (const [method, route] of [
      ['GET', '/api/sessions'],
      ['GET', '/api/staff/me'],
      ['POST', '/api/exam-links'],
    ] as const) {
      expect((await h.http(method, route, token, method === 'POST' ? {} : undefined)).status).toBe(401);
    }
  });

  it('one token reads only its own session', async () => {
    const a = await h.issueToken();
    const b = await h.issueToken();
    const socket = await h.candidate(a.token);
    const snap = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(snap.sessionId).toBe(a.sessionId);
    expect(snap.sessionId).not.toBe(b.sessionId);
  });
});

describe('HTTP headers', () => {
  it('every response carries the content security policy and no-sniff; the token never leaves in a Referer', async () => {
    const res = await fetch(`${h.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('staff roles', () => {
  it('log-in with a wrong password fails with 401 and a clear message', async () => {
    const res = await h.http('POST', '/api/staff/login', null, { username: 'proctor', password: 'wrong' });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorised' } } });
    const unknown = await h.http('POST', '/api/staff/login', null, { username: 'nobody', password: 'wrong' });
    expect(unknown.status).toBe(401);
  });

  it('wrong passwords from one address slow that address and name with backoff (429 with Retry-After), even for the right password, until the wait is over', async () => {
    for (let i = 0; i < 3; i++)
      expect((await h.http('POST', '/api/staff/login', null, { username: 'admin', password: `guess-${i}` })).status).toBe(401);
    const slowed = await fetch(`${h.url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_PASSWORD }),
    });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.http('POST', '/api/staff/login', null, { username: 'proctor', password: TEST_PASSWORD })).status).toBe(200);
    h.clock.advance(1_000); // The first wait is 1 s, doubling with each further failure
    expect((await h.http('POST', '/api/staff/login', null, { username: 'admin', password: TEST_PASSWORD })).status).toBe(200);
  });

  it('a proctor gets the live dashboard; a reviewer does not', async () => {
    const proctor = await h.staff(await h.staffToken('proctor'));
    expect(data(await request(proctor, 'dashboard:subscribe'))).toHaveProperty('sessions');
    const reviewer = await h.staff(await h.staffToken('reviewer'));
    expect(await request(reviewer, 'dashboard:subscribe')).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('personal data (IIN) reaches reviewers, not proctors', async () => {
    const { sessionId } = await h.issueToken();
    const proctor = await h.staffToken('proctor');
    const reviewer = await h.staffToken('reviewer');
    const list = await h.http<LiveSession[]>('GET', '/api/sessions', proctor);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('950315450012');
    expect((await h.http('GET', `/api/sessions/${sessionId}`, proctor)).status).toBe(403);
    const detail = await h.http<{ candidate: { iin: string } }>('GET', `/api/sessions/${sessionId}`, reviewer);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ data: { candidate: { iin: '950315450012' } } });
    const dash = await h.staff(proctor);
    expect(JSON.stringify(await request(dash, 'dashboard:subscribe'))).not.toContain('950315450012');
  });

  it('only an admin issues exam links', async () => {
    const body = { candidateId: h.candidateId, programmeId: h.programmeId };
    expect((await h.http('POST', '/api/exam-links', await h.staffToken('proctor'), body)).status).toBe(403);
    const res = await h.http<{ url: string }>('POST', '/api/exam-links', await h.staffToken('admin'), body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: { url: expect.stringMatching(/\/exam#t=[A-Za-z0-9_-]{43}$/) } });
  });

  it('the roster and the server metrics are for admins only', async () => {
    for (const role of ['proctor', 'reviewer'] as const) {
      const token = await h.staffToken(role);
      expect((await h.http('GET', '/api/roster', token)).status).toBe(403);
      expect((await h.http('GET', '/api/metrics', token)).status).toBe(403);
    }
    const admin = await h.staffToken('admin');
    const roster = await h.http('GET', '/api/roster', admin);
    expect(roster.body).toMatchObject({ data: { candidates: [{ id: h.candidateId }], programmes: [{ id: h.programmeId }] } });
    expect(JSON.stringify(roster.body)).not.toContain('950315450012');
    expect((await h.http('GET', '/api/metrics', admin)).body).toMatchObject({ data: { rssBytes: expect.any(Number) } });
  });

  it('log-out ends the staff session', async () => {
    const token = await h.staffToken('reviewer');
    // The user's own id (the commission's page offers "Sign" to those the protocol names).
    expect(await h.http('GET', '/api/staff/me', token)).toMatchObject({
      status: 200,
      body: { data: { userId: (await h.store.findStaffByUsername('reviewer'))!.id, role: 'reviewer' } },
    });
    await h.http('POST', '/api/staff/logout', token, {});
    expect((await h.http('GET', '/api/staff/me', token)).status).toBe(401);
  });

  it('the timeline shows a verified hash chain, and an edited log is detected', async () => {
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'kk' }));
    await h.passPrestart(socket);
    data(await request(socket, 'exam:start'));
    const reviewer = await h.staffToken('reviewer');
    const ok = await h.http<{ log: { verified: boolean; events: number } }>('GET', `/api/sessions/${sessionId}`, reviewer);
    expect(ok.body).toMatchObject({ data: { log: { verified: true } } });
    expect(
      await testDatabase(h.dataDir).exec(
        'UPDATE events SET data_json = \'{"language":"ru"}\' WHERE session_id = ? AND type = \'language.chosen\'',
        sessionId,
      ),
    ).toBe(1);
    const broken = await h.http('GET', `/api/sessions/${sessionId}`, reviewer);
    expect(broken.body).toMatchObject({ data: { log: { verified: false } } });
  });
});
