/**
 * Wraps a socket.io command handler: validates the payload with its zod schema, answers
 * exactly once with { data } or { error }, and never lets an exception reach socket.io
 * (a bad payload must not crash the process or drop the connection).
 */
import type { z } from 'zod';
import type { CommandHandlers, CommandTable } from '../shared/commands';
import { invalid, type Ack, type ProtocolError, type Response } from '../shared/protocol';
import { ExamError } from './exam-service';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;

export function toProtocolError(err: unknown, log: Logger): ProtocolError {
  if (err instanceof ExamError) return { code: err.code, message: err.message, ...(err.reason ? { reason: err.reason } : {}) };
  log('error', 'unexpected error in a socket handler', err);
  return { code: 'internal', message: 'internal error; the action was not applied' };
}

/**
 * The next turn of the event loop. A burst of commands arrives in one read of the socket and
 * their handlers (synchronous SQLite writes behind already-resolved awaits) would otherwise all run as
 * one chain of microtasks, holding every other client's request until the last is done (measured: a
 * 55-event burst held /api/health for up to 200 ms). Each handler starting in a turn of its own lets
 * the centre answer others between them; handlers still start in the order the commands came.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function command<S extends z.ZodType, T>(
  schema: S,
  log: Logger,
  handler: (payload: z.infer<S>) => T | Promise<T>,
  options: { volatile?: boolean } = {},
) {
  return async (...args: unknown[]): Promise<void> => {
    const last = args[args.length - 1];
    const hasAck = typeof last === 'function';
    // Every command needs an ack (without one nobody could learn the outcome), except a volatile one, which runs anyway.
    if (!hasAck && !options.volatile) return;
    const reply: Ack<T> = hasAck ? (last as Ack<T>) : () => undefined;
    const payload = hasAck ? (args.length > 1 ? args[0] : undefined) : args[0];
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
 * An event no handler is registered for is answered with unknown_command (when it has an
 * ack) instead of being dropped without a word. Attach once per connection, after the handlers.
 */
export function answerUnknownEvents(socket: {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  listeners(event: string): unknown[];
}): void {
  socket.onAny((event, ...args) => {
    if (socket.listeners(event).length > 0) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function')
      (ack as Ack<never>)({ error: { code: 'unknown_command', message: `no such command: ${String(event).slice(0, 60)}` } });
  });
}

/**
 * Binds every command of a table (src/shared/commands.ts) on a socket: each payload is parsed with
 * the table's schema and answered by its handler, whose result type the table fixes. A command of
 * the table without a handler is a programming error, refused here at once rather than left silent.
 */
export function bindCommands<T extends CommandTable>(
  socket: { on(event: string, listener: (...args: unknown[]) => void): unknown },
  table: T,
  log: Logger,
  handlers: CommandHandlers<T>,
): void {
  for (const name of Object.keys(table) as Array<keyof T & string>) {
    const spec = table[name]!;
    const handler = handlers[name] as ((payload: unknown) => unknown) | undefined;
    if (typeof handler !== 'function') throw new Error(`no handler for the command ${name}`);
    const run = command(spec.payload, log, handler, { volatile: spec.volatile });
    socket.on(name, (...args: unknown[]) => void run(...args)); // run answers every failure through the ack
  }
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
    if (typeof token !== 'string' || token.length < Math.max(1, minLength) || token.length > 200)
      return next(new Error(`unauthorised: ${what} required`));
    authenticate(token, socket).then(
      (refusal) => next(refusal === null ? undefined : new Error(refusal)),
      (err: unknown) => {
        log('error', `${what}: authentication failed`, err);
        next(new Error('internal: try again'));
      },
    );
  };
}
