/**
 * The procedure after the exam on the real centre (real SQLite file, real sockets and routes,
 * real PDFs read back with pdftotext and the QR decoded with jsQR). A passed exam → practical recorded
 * (rule 16) → protocol drawn and signed by the chair and a member (rule 17, each signature logged and
 * audited) → the document on recognition with the next sequence number (rule 18, Appendix 2) →
 * /verify/<number> valid, never the IIN; a failed exam → the failure notice with topic recommendations
 * (rule 19); an exam ended by rule 13 → the violation act (rule 14).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IssuedDocumentView, ProcedureSummary, VerificationResult } from '../shared/procedure-api';
import type { AuditView } from '../shared/admin';
import { DEMO_CANDIDATE } from './seed';
import { startHarness, type Harness } from '../testing/centre-harness';
import { pdfImages, pdfQr, pdfText } from '../testing/pdf-tools';
import { loadSampleEvidence } from './documents/sample-inputs';
import {
  commission,
  drawAndSign,
  getBytes,
  practicalBody,
  procedure,
  setCentreTime,
  takeExam,
  terminatedExam,
} from '../testing/procedure-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // Tuesday 14 April 2026, Almaty: no holiday in the next weeks, so the deadlines below are plain weekdays.
  setCentreTime(h, '2026-04-14');
});
afterEach(async () => {
  await h.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const NAME = `${DEMO_CANDIDATE.surname} ${DEMO_CANDIDATE.givenName} ${DEMO_CANDIDATE.patronymic}`;

describe('a passed exam to the document on recognition', () => {
  it('practical, protocol, two signatures, the document with the next number, verified in public without the IIN', async () => {
    const c = await commission(h);
    const exam = await takeExam(h, 25, 'kk');
    expect(exam.snapshot.result).toMatchObject({ admitted: true });

    // The dashboard: admitted, the practical stage is due; no protocol deadline before it (rule 17 runs from its end).
    const list = await h.http<ProcedureSummary[]>('GET', '/api/procedures', c.chair);
    const row = 'data' in list.body ? list.body.data.find((r) => r.sessionId === exam.sessionId) : undefined;
    expect(row).toMatchObject({ stage: 'practical_due', candidateName: NAME, deadlines: { protocol: null, document: null } });
    expect(JSON.stringify(list.body)).not.toContain(DEMO_CANDIDATE.iin);

    // Rule 16: a member records the practical task against the technological map.
    const practical = await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h));
    expect(practical.status).toBe(200);
    let detail = await procedure(h, c.chair, exam.sessionId);
    expect(detail).toMatchObject({
      stage: 'protocol_to_draw',
      decision: { kind: 'decided', outcome: 'passed' },
      deadlines: { protocol: { due: '2026-04-16', state: 'pending' } },
    });
    expect(detail.practical!.items).toHaveLength(5);

    // Rule 17: the chair draws the protocol naming the member; both sign; the last signature issues the documents.
    const signed = await drawAndSign(h, c, exam.sessionId);
    expect(signed.issueError).toBeNull();
    expect(signed.stage).toBe('document_issued');
    expect(signed.protocol).toMatchObject({ number: '2026-000001', signed: 2, required: 2 });
    expect(signed.deadlines).toEqual({ protocol: { due: '2026-04-16', state: 'met' }, document: { due: '2026-04-17', state: 'met' } });
    const recognition = signed.documents.find((d) => d.kind === 'recognition')!;
    // Appendix 2: OKED 43210, occupation 74110001, NQF 4, the exam's date 14.04.26, the centre's 0001 (KZ-ACC-0001), sequence 1.
    expect(recognition.number).toBe('43210-74110001-4-140426-0001-00000001');
    expect(signed.documents.map((d) => d.kind).sort()).toEqual(['protocol', 'recognition']);

    // Each signature is an entry of the session's log with who and when, and an entry of the centre's audit log.
    const log = await h.store.listEvents(exam.sessionId);
    const signatures = log
      .filter((e) => e.type === 'protocol.signed')
      .map((e) => e.data as { by: { role: string; name: string }; fullySigned: boolean });
    expect(signatures.map((s) => [s.by.role, s.fullySigned])).toEqual([
      ['commission_chair', false],
      ['commission_member', true],
    ]);
    expect(await h.verifyLog(exam.sessionId)).toMatchObject({ status: 'intact' });
    const audit = await h.http<AuditView[]>('GET', `/api/admin/audit?subject=session:${exam.sessionId}`, await h.staffToken('admin'));
    const actions = 'data' in audit.body ? audit.body.data.map((a) => `${a.action} ${a.actor.role}`) : [];
    expect(actions).toEqual(
      expect.arrayContaining([
        'procedure.practical commission_member',
        'protocol.drawn commission_chair',
        'protocol.signed commission_chair',
        'protocol.signed commission_member',
      ]),
    );

    // The file: stored once, its sha256 in the log; the number, the name and the QR of the verification address; no IIN.
    const file = await getBytes(h, `/api/documents/${recognition.id}`, c.chair);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    const issued = log
      .filter((e) => e.type === 'document.issued')
      .map((e) => e.data as { documentId: string; sha256: string; language: string });
    expect(issued.find((d) => d.documentId === recognition.id)).toMatchObject({ sha256: sha256(file.bytes), language: 'kk' });
    const text = pdfText(file.bytes);
    expect(text).toContain(recognition.number);
    expect(text).toContain(DEMO_CANDIDATE.surname);
    expect(text).not.toContain(DEMO_CANDIDATE.iin);
    expect(pdfQr(file.bytes)).toBe(`${h.url}/verify/${recognition.number}`);

    // The public check: valid, with the profession, level, centre, date and holder; never the IIN.
    const verify = await fetch(`${h.url}/verify/${recognition.number}`, { headers: { accept: 'application/json' } });
    const body = (await verify.json()) as { data: VerificationResult };
    expect(verify.status).toBe(200);
    expect(body.data).toMatchObject({
      status: 'valid',
      number: recognition.number,
      holder: NAME,
      nqfLevel: 4,
      issuedOn: '2026-04-14',
      revokedOn: null,
    });
    expect(JSON.stringify(body)).not.toContain(DEMO_CANDIDATE.iin);
    const ru = await fetch(`${h.url}/verify/${recognition.number}`, { headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } });
    const page = await ru.text();
    expect(ru.headers.get('content-type')).toMatch(/text\/html/);
    expect(page).toContain('Документ действителен');
    expect(page).toContain(NAME);
    expect(page).not.toContain(DEMO_CANDIDATE.iin);
    expect(await (await fetch(`${h.url}/verify/${recognition.number}?lang=kk`)).text()).toContain('Құжат жарамды');

    // The next passed procedure at the centre gets the next number.
    const second = await takeExam(h, 30, 'ru');
    expect((await h.http('PUT', `/api/procedures/${second.sessionId}/practical`, c.chair, await practicalBody(h))).status).toBe(200);
    const next = await drawAndSign(h, c, second.sessionId);
    expect(next.protocol!.number).toBe('2026-000002');
    expect(next.documents.find((d) => d.kind === 'recognition')!.number).toBe('43210-74110001-4-140426-0001-00000002');

    // Revoked by an admin: the public check says so.
    const revoked = await h.http<IssuedDocumentView>('POST', `/api/documents/${recognition.id}/revoke`, await h.staffToken('admin'), {
      reason: 'Issued to the wrong programme',
    });
    expect(revoked.status).toBe(200);
    const after = (await (await fetch(`${h.url}/verify/${recognition.number}`, { headers: { accept: 'application/json' } })).json()) as {
      data: VerificationResult;
    };
    expect(after.data).toMatchObject({ status: 'revoked', revokedOn: '2026-04-14' });
    detail = await procedure(h, c.chair, exam.sessionId);
    expect(detail.documents.find((d) => d.id === recognition.id)!.revokedAt).not.toBeNull();
  });

  it('the candidate downloads their own document with the exam link, in the other language on request (stored once, logged)', async () => {
    const c = await commission(h);
    const exam = await takeExam(h, 27, 'kk');
    await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h));
    await drawAndSign(h, c, exam.sessionId);
    const mine = await h.http<IssuedDocumentView[]>('GET', '/api/exam/documents', exam.token);
    const docs = 'data' in mine.body ? mine.body.data : [];
    expect(docs.map((d) => d.kind)).toEqual(['recognition']); // the protocol stays in the centre's file
    const kk = await getBytes(h, `/api/exam/documents/${docs[0]!.id}`, exam.token);
    expect(kk.status).toBe(200);
    expect(pdfText(kk.bytes)).toContain(docs[0]!.number);
    const ru = await getBytes(h, `/api/exam/documents/${docs[0]!.id}?lang=ru`, exam.token);
    expect(ru.status).toBe(200);
    expect(sha256(ru.bytes)).not.toBe(sha256(kk.bytes));
    expect(pdfQr(ru.bytes)).toBe(`${h.url}/verify/${docs[0]!.number}`);
    const again = await getBytes(h, `/api/exam/documents/${docs[0]!.id}?lang=ru`, exam.token);
    expect(sha256(again.bytes)).toBe(sha256(ru.bytes)); // rendered once, then served as stored
    const entries = (await h.store.listEvents(exam.sessionId)).filter(
      (e) => e.type === 'document.issued' && (e.data as { documentId: string }).documentId === docs[0]!.id,
    );
    expect(entries.map((e) => (e.data as { language: string; sha256: string }).language)).toEqual(['kk', 'ru']);
    expect((entries[1]!.data as { sha256: string }).sha256).toBe(sha256(ru.bytes));

    // Another candidate's link, a staff token and no token get nothing.
    const other = await takeExam(h, 5);
    expect((await getBytes(h, `/api/exam/documents/${docs[0]!.id}`, other.token)).status).toBe(404);
    expect((await getBytes(h, `/api/exam/documents/${docs[0]!.id}`, c.chair)).status).toBe(401);
    expect((await getBytes(h, `/api/exam/documents/${docs[0]!.id}`, null)).status).toBe(401);
    const protocol = (await h.store.listDocuments(exam.sessionId)).find((d) => d.kind === 'protocol')!;
    expect((await getBytes(h, `/api/exam/documents/${protocol.id}`, exam.token)).status).toBe(404);
  });
});

describe('a failed exam', () => {
  it('rule 15 not met: no practical stage; the notice with the topics answered wrongly, never a question or the key', async () => {
    const c = await commission(h);
    const exam = await takeExam(h, 10, 'ru');
    expect(await procedure(h, c.chair, exam.sessionId)).toMatchObject({
      stage: 'protocol_to_draw',
      decision: { outcome: 'failed', reason: 'theory' },
    });
    expect(await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h))).toMatchObject({
      status: 409,
      body: { error: { reason: 'practical_not_due' } },
    });
    const signed = await drawAndSign(h, c, exam.sessionId);
    expect(signed.stage).toBe('notice_issued');
    const notice = signed.documents.find((d) => d.kind === 'failure-notice')!;
    expect(notice.number).toBe('2026-000001');
    expect(notice.language).toBe('ru');
    const mine = await h.http<IssuedDocumentView[]>('GET', '/api/exam/documents', exam.token);
    expect('data' in mine.body && mine.body.data.map((d) => d.id)).toEqual([notice.id]);
    const text = pdfText((await getBytes(h, `/api/exam/documents/${notice.id}`, exam.token)).bytes).replace(/\s+/g, ' ');
    const bank = await h.questionBank();
    const asked = exam.snapshot.questions.map((q) => bank.get(q.id)!);
    // takeExam answers the first 10 right: the topics of the other 20 are recommended, by their Russian names.
    const wrongTopics = new Set(asked.slice(10).map((q) => q.topic.name.ru));
    for (const topic of wrongTopics) expect(text).toContain(topic.replace(/\s+/g, ' ').slice(0, 25));
    for (const q of asked) {
      expect(text).not.toContain(q.text.ru.replace(/\s+/g, ' ').slice(0, 40));
      for (const o of q.options) if (o.text.ru.length > 25) expect(text).not.toContain(o.text.ru.replace(/\s+/g, ' ').slice(0, 25));
    }
    expect(text).not.toContain(DEMO_CANDIDATE.iin);
  });

  it('a failed practical task fails the procedure: the notice, not the document', async () => {
    const c = await commission(h);
    const exam = await takeExam(h, 28);
    expect((await h.http('PUT', `/api/procedures/${exam.sessionId}/practical`, c.member, await practicalBody(h, 'failed'))).status).toBe(
      200,
    );
    const signed = await drawAndSign(h, c, exam.sessionId);
    expect(signed).toMatchObject({ stage: 'notice_issued', decision: { outcome: 'failed', reason: 'practical' } });
    expect(signed.documents.map((d) => d.kind).sort()).toEqual(['failure-notice', 'protocol']);
    expect(await h.store.counterValue((await h.store.getCentre())!.id, 'recognition')).toBe(0);
  });
});

describe('an exam ended for a violation (rules 13, 14)', () => {
  it('the act is drawn up by the commission the protocol names, from the log, and issued with the protocol and the notice', async () => {
    const c = await commission(h);
    const exam = await terminatedExam(h, 'ru');
    expect(exam.snapshot.status).toBe('terminated');
    // The phone's evidence snapshot, and a recording that started 30 s before it (the browser's clock).
    const [phone] = exam.incidents;
    const jpeg = (await loadSampleEvidence()).phone;
    await h.store.putEvidence(exam.sessionId, {
      incidentId: phone!.id,
      sha256: sha256(jpeg),
      mime: 'image/jpeg',
      bytes: jpeg,
      storedAt: h.clock.now(),
    });
    await h.store.putRecordingChunk(exam.sessionId, {
      seq: 1,
      bytes: 1000,
      sha256: '0'.repeat(64),
      durationMs: 180_000,
      startedAt: phone!.start - 30_000,
      storedAt: h.clock.now(),
      header: true,
    });
    const reviewer = await h.staffToken('reviewer');
    expect(await getBytes(h, `/api/sessions/${exam.sessionId}/violation-act`, reviewer)).toMatchObject({ status: 409 });
    expect(await procedure(h, c.chair, exam.sessionId)).toMatchObject({
      stage: 'protocol_to_draw',
      decision: { outcome: 'failed', reason: 'violation' },
    });

    const drawn = await h.http<{ protocolFull: { violationActNumber: string } }>(
      'POST',
      `/api/procedures/${exam.sessionId}/protocol`,
      c.chair,
      { memberIds: [c.memberId] },
    );
    expect(drawn.status).toBe(200);
    const actNumber = 'data' in drawn.body ? drawn.body.data.protocolFull.violationActNumber : '';
    expect(actNumber).toBe('2026-000001');
    const draft = await getBytes(h, `/api/sessions/${exam.sessionId}/violation-act?lang=ru`, reviewer);
    expect(draft.status).toBe(200);
    expect(draft.headers.get('x-tanu-document')).toBe('draft');

    // Drawn again before anyone signed: the same numbers, then both sign.
    const signed = await drawAndSign(h, c, exam.sessionId);
    expect(signed.protocolFull!.violationActNumber).toBe(actNumber);
    expect(signed.stage).toBe('notice_issued');
    expect(signed.documents.map((d) => d.kind).sort()).toEqual(['failure-notice', 'protocol', 'violation-act']);
    const act = signed.documents.find((d) => d.kind === 'violation-act')!;
    expect(act.number).toBe(actNumber);
    const file = await getBytes(h, `/api/sessions/${exam.sessionId}/violation-act?lang=ru`, reviewer);
    expect(file.headers.get('x-tanu-document')).toBe('issued');
    const text = pdfText(file.bytes);
    expect(text).toContain(DEMO_CANDIDATE.iin); // the act is kept in the candidate's file (rule 14): it names them fully
    expect(text).toContain('В кадре телефон');
    expect(text).toContain('Разговор');
    // Each violation's place in the recording (h:mm:ss), and the phone's snapshot as the one image.
    expect(text).toContain('0:00:30');
    expect(text).toContain('0:01:30');
    expect(pdfImages(file.bytes)).toHaveLength(1);
    // The log's head as it stood when the act was drawn up: the entry before the act's own 'document.issued'.
    const log = await h.store.listEvents(exam.sessionId);
    const actEntry = log.findIndex((e) => e.type === 'document.issued' && (e.data as { documentId: string }).documentId === act.id);
    expect(text.replace(/\s+/g, '')).toContain(log[actEntry - 1]!.hash);
    expect(await h.verifyLog(exam.sessionId)).toMatchObject({ status: 'intact' });

    // Reviewers read acts, not the other documents.
    expect((await getBytes(h, `/api/documents/${act.id}`, reviewer)).status).toBe(200);
    const notice = signed.documents.find((d) => d.kind === 'failure-notice')!;
    expect((await getBytes(h, `/api/documents/${notice.id}`, reviewer)).status).toBe(403);
  });
});
