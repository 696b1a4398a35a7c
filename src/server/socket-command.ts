/**
 * Wraps a socket.io command handler: validates the payload with its zod schema, answers
 * exactly once with { data } or { error }, and never lets an exception reach socket.io
 * (a bad payload must not crash the process or drop the connection).
 */
import type { z } from 'zod';
import { invalid, type Ack, type ProtocolError, type Response } from '../shared/protocol';
import { ExamError } from './exam-service';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;

export function toProtocolError(err: unknown, log: Logger): ProtocolError {
  if (err instanceof ExamError) return { code: err.code, message: err.message };
  log('error', 'unexpected error in a socket handler', err);
  return { code: 'internal', message: 'internal error; the action was not applied' };
}

/**
 * The next turn of the event loop. Issue 11: a burst of commands arrives in one read of the socket and
 * their handlers (synchronous SQLite writes behind already-resolved awaits) would otherwise all run as
 * one chain of microtasks, holding every other client's request until the last is done (measured: a
 * 55-event burst held /api/health for up to 200 ms). Each handler starting in a turn of its own lets
 * the centre answer others between them; handlers still start in the order the commands came.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function command<S extends z.ZodType, T>(schema: S, log: Logger, handler: (payload: z.infer<S>) => Promise<T>) {
  return async (...args: unknown[]): Promise<void> => {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return; // every command needs an ack; without one nobody could learn the outcome
    const reply = ack as Ack<T>;
    const payload = args.length > 1 ? args[0] : undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply(invalid(parsed.error) as Response<T>);
    try {
      await nextTurn();
      reply({ data: await handler(parsed.data) });
    } catch (err) {
      reply({ error: toProtocolError(err, log) });
    }
  };
}

/**
 * Issue 11: an event no handler is registered for is answered with unknown_command (when it has an
 * ack) instead of being dropped without a word. Attach once per connection, after the handlers.
 */
export function answerUnknownEvents(socket: { onAny(listener: (event: string, ...args: unknown[]) => void): unknown; listeners(event: string): unknown[] }): void {
  socket.onAny((event, ...args) => {
    if (socket.listeners(event).length > 0) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as Ack<never>)({ error: { code: 'unknown_command', message: `no such command: ${String(event).slice(0, 60)}` } });
  });
}

/**
 * A namespace middleware that authenticates the handshake's `auth.token`: `authenticate` returns
 * null when it accepted the socket (after filling socket.data) or the refusal ("unauthorised: …",
 * "expired: …") the client shows. A failing lookup refuses with a retryable error, never throws.
 */
export function tokenAuth<S extends { handshake: { auth: unknown } }>(
  log: Logger,
  what: string,
  minLength: number,
  authenticate: (token: string, socket: S) => Promise<string | null>,
) {
  return (socket: S, next: (err?: Error) => void): void => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length < Math.max(1, minLength) || token.length > 200) return next(new Error(`unauthorised: ${what} required`));
    authenticate(token, socket).then(
      (refusal) => next(refusal === null ? undefined : new Error(refusal)),
      (err: unknown) => {
        log('error', `${what}: authentication failed`, err);
        next(new Error('internal: try again'));
      },
    );
  };
}
