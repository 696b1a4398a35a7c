/**
 * Background failures nobody on the candidate's page can act on (an incident report that could not
 * be logged, a question position that did not reach the centre, …) go to the centre as
 * `client.error` events, which the proctor sees in the feed, instead of being dropped.
 *
 * - A request that failed for want of a connection is not reported: the centre logs the
 *   disconnection itself (session.disconnected), and the event would only repeat it.
 * - The same operation failing with the same code is reported at most once per REPEAT_MS, so a
 *   failing loop cannot flood the log (the centre's event rate limit is the hard ceiling).
 */
import type { ClientEventData, ClientOperation } from '../shared/protocol';

export const CLIENT_ERROR_REPEAT_MS = 60_000;

export type ClientErrorData = ClientEventData['client.error'];
export type ReportFailure = (operation: ClientOperation, error: unknown) => void;

/** The request's code ('timeout', a centre's code, …), or 'error' for anything else. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : 'error';
}

export function clientErrorReporter(log: (data: ClientErrorData) => void, now: () => number = Date.now): ReportFailure {
  const lastAt = new Map<string, number>();
  return (operation, error) => {
    const code = errorCode(error);
    if (code === 'offline') return;
    const key = `${operation}/${code}`;
    const t = now();
    const last = lastAt.get(key);
    if (last !== undefined && t - last < CLIENT_ERROR_REPEAT_MS) return;
    lastAt.set(key, t);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
    log({ operation, code, message });
  };
}
