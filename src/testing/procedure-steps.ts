/**
 * Steps of the procedure after the exam for the integration tests, through the centre's real
 * sockets and routes: an exam taken to its end with a chosen number of right answers, one ended for a
 * repeated violation (rule 13), and the commission's requests.
 */
import { randomBytes } from 'node:crypto';
import type { Incident, IncidentType } from '../shared/incidents';
import type { ProcedureDetail } from '../shared/procedure-api';
import type { ExamSnapshot } from '../shared/protocol';
import { data, nextEvent, request, type Harness } from './centre-harness';

/** Moves the centre's clock to a moment given in Almaty time, e.g. ('2026-04-14', '11:00'), so deadlines are known. */
export function setCentreTime(h: Harness, date: string, time = '11:00'): void {
  h.clock.advance(Date.parse(`${date}T${time}:00+05:00`) - h.clock.now());
}

export interface TakenExam {
  sessionId: string;
  token: string;
  snapshot: ExamSnapshot;
}

/** An exam taken in `language` with exactly `correct` questions answered right (the rest wrong), submitted. */
export async function takeExam(h: Harness, correct: number, language: 'kk' | 'ru' = 'kk'): Promise<TakenExam> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language }));
  await h.passPrestart(socket);
  const started = data(await request<ExamSnapshot>(socket, 'exam:start'));
  const bank = await h.questionBank();
  let rev = 1;
  for (const [i, q] of started.questions.entries()) {
    const key = bank.get(q.id)!.options;
    const optionIds = i < correct ? key.filter((o) => o.correct).map((o) => o.id) : [key.find((o) => !o.correct)!.id];
    data(await request(socket, 'answer:save', { questionId: q.id, optionIds, rev: rev++ }));
  }
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:submit'));
  socket.close();
  return { sessionId, token, snapshot };
}

const newId = () => randomBytes(9).toString('base64url');

/** An exam ended by rule 13: a phone warns, speech a minute later ends it. Returns the incidents reported. */
export async function terminatedExam(h: Harness, language: 'kk' | 'ru' = 'ru'): Promise<TakenExam & { incidents: Incident[] }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  let seq = snap.nextSeq - 1;
  const t0 = h.clock.now();
  const incidents = (['object.phone', 'audio.speech'] as IncidentType[]).map((type, i): Incident => ({
    id: newId(),
    type,
    start: t0 + i * 60_000,
    end: null,
    confidence: 0.9,
    detail: {},
  }));
  for (const inc of incidents) {
    data(
      await request(socket, 'event:log', {
        seq: ++seq,
        id: `ev-${inc.id}`,
        type: 'incident.open',
        at: inc.start + 1_000,
        data: { incident: inc },
      }),
    );
  }
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:resume'));
  socket.close();
  return { sessionId, token, snapshot, incidents };
}

export interface Commission {
  chair: string;
  member: string;
  memberId: string;
}

export async function commission(h: Harness): Promise<Commission> {
  return {
    chair: await h.staffToken('chair'),
    member: await h.staffToken('member'),
    memberId: (await h.store.findStaffByUsername('member'))!.id,
  };
}

/** The procedure's detail, as the commission reads it. */
export async function procedure(h: Harness, token: string, sessionId: string): Promise<ProcedureDetail> {
  const res = await h.http<ProcedureDetail>('GET', `/api/procedures/${sessionId}`, token);
  if (!('data' in res.body)) throw new Error(`GET procedure: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** The demo programme's technological map, every item passed (or the first failed, with a comment). */
export async function practicalBody(h: Harness, decision: 'passed' | 'failed' = 'passed') {
  const map = (await h.store.getProgramme(h.programmeId))!.technologicalMap;
  return {
    decision,
    items: map.map((m, i) => ({
      itemId: m.id,
      passed: decision === 'passed' || i > 0,
      comment: decision === 'failed' && i === 0 ? 'Did not check that the circuit was dead' : null,
    })),
  };
}

/** Draws the protocol (chair, naming the member) and signs it by both; returns the answer of the last signature. */
export async function drawAndSign(h: Harness, c: Commission, sessionId: string): Promise<ProcedureDetail & { issueError: unknown }> {
  const drawn = await h.http<ProcedureDetail>('POST', `/api/procedures/${sessionId}/protocol`, c.chair, { memberIds: [c.memberId] });
  if (!('data' in drawn.body)) throw new Error(`draw: ${drawn.status} ${JSON.stringify(drawn.body)}`);
  const number = drawn.body.data.protocol!.number;
  const first = await h.http('POST', `/api/procedures/${sessionId}/signatures`, c.chair, { protocolNumber: number });
  if (first.status !== 200) throw new Error(`chair signs: ${first.status} ${JSON.stringify(first.body)}`);
  const last = await h.http<ProcedureDetail & { issueError: unknown }>('POST', `/api/procedures/${sessionId}/signatures`, c.member, {
    protocolNumber: number,
  });
  if (!('data' in last.body)) throw new Error(`member signs: ${last.status} ${JSON.stringify(last.body)}`);
  return last.body.data;
}

/** GET a binary (PDF) route: status, headers and bytes. */
export async function getBytes(
  h: Harness,
  route: string,
  token: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; headers: Headers; bytes: Uint8Array }> {
  const res = await fetch(`${h.url}${route}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

/** A started exam whose camera is lost and stays lost past technicalFaultSec (rule 11), judged by the centre's sweeper. */
export async function suspendedExam(h: Harness): Promise<{ sessionId: string; token: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  const lost = {
    id: randomBytes(9).toString('base64url'),
    type: 'tech.camera_lost',
    start: Date.now(),
    end: null,
    confidence: 1,
    detail: {},
  };
  data(
    await request(socket, 'event:log', {
      seq: snap.nextSeq,
      id: `ev-${lost.id}`,
      type: 'incident.open',
      at: lost.start + 2_000,
      data: { incident: lost },
    }),
  );
  const suspended = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'suspended');
  h.clock.advance((snap.proctoring.config.technicalFaultSec + 1) * 1000);
  await suspended;
  socket.close();
  return { sessionId, token };
}
