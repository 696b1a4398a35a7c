/**
 * The candidate's typed request() (one wire contract): against a real centre, a command
 * without a payload goes as {} and answers the contract's result; a payload the schema refuses is
 * answered 'invalid'. The type-level checks at the end are checked by `tsc --noEmit -p .`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot } from '../shared/protocol';
import { startHarness, type Harness } from '../testing/centre-harness';
import { CandidateConnection, RequestError } from './candidate-connection';

let h: Harness | null = null;
let connection: CandidateConnection | null = null;
afterEach(async () => {
  connection?.close();
  connection = null;
  await h?.close();
  h = null;
});

async function connect(harness: Harness, token: string): Promise<CandidateConnection> {
  return new Promise((resolve, reject) => {
    const c: CandidateConnection = new CandidateConnection(
      token,
      {
        status: () => undefined,
        state: () => undefined,
        replaced: () => undefined,
        refused: (why) => reject(new Error(why)),
        connected: () => resolve(c),
      },
      `${harness.url}/candidate`,
    );
  });
}

describe('CandidateConnection.request against a real centre', () => {
  it('sends a command without a payload as {} and returns the declared result', async () => {
    h = await startHarness();
    const { token, sessionId } = await h.issueToken();
    connection = await connect(h, token);
    const snapshot = await connection.request('exam:resume');
    expect(snapshot.sessionId).toBe(sessionId);
    expect(snapshot.status).toBe('issued');
    const chosen = await connection.request('exam:choose-language', { language: 'kk' });
    expect(chosen.language).toBe('kk');
  });

  it("rejects a payload the schema refuses with the centre's code, and navigation before the start as closed (the exam is not in progress)", async () => {
    h = await startHarness();
    const { token } = await h.issueToken();
    connection = await connect(h, token);
    const bad = await connection.request('exam:choose-language', { language: 'en' as 'kk' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RequestError);
    expect((bad as RequestError).code).toBe('invalid');
    const early = await connection.request('exam:navigate', { index: 0 }).catch((e: unknown) => e);
    expect((early as RequestError).code).toBe('closed');
  });
});

/* Type-level checks: never run, checked by tsc. Each @ts-expect-error fails tsc if the line stops being an error. */
export async function typeChecks(c: CandidateConnection): Promise<void> {
  const snapshot: ExamSnapshot = await c.request('exam:resume');
  const saved: { questionId: string; rev: number; applied: boolean } = await c.request('answer:save', {
    questionId: 'q',
    optionIds: ['a'],
    rev: 1,
  });
  // @ts-expect-error exam:navigate takes { index: number }
  await c.request('exam:navigate', { index: 'first' });
  // @ts-expect-error answer:save has a payload that cannot be left out
  await c.request('answer:save');
  // @ts-expect-error no such command in the contract
  await c.request('exam:hack', {});
  // @ts-expect-error exam:resume answers an ExamSnapshot, not a number
  const wrong: number = await c.request('exam:resume');
  void snapshot;
  void saved;
  void wrong;
}
