/**
 * The candidate's one socket to the centre (namespace /candidate). Owns the socket.io
 * client: connection status, request/acknowledgement with a timeout, server pushes; for
 * the control room also other server events (on) and volatile sends (thumbnails) that are dropped
 * rather than queued when the link is busy.
 */
import { io, type Socket } from 'socket.io-client';
import type { CandidateCommands, PayloadIn, ResultOf } from '../shared/commands';
import type { CandidateClientToServer, CandidateServerToClient, ExamSnapshot, ProtocolError, Response } from '../shared/protocol';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting';
export const REQUEST_TIMEOUT_MS = 10_000;

export class RequestError extends Error {
  /** retryAfterMs: the centre's hint with 'too_many'; reason: the centre's finer code, if any. */
  constructor(
    readonly code: ProtocolError['code'] | 'timeout' | 'offline',
    message: string,
    readonly retryAfterMs?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface ConnectionHandlers {
  status(status: ConnectionStatus): void;
  /** The server changed the exam by itself (e.g. time-out submit). */
  state(snapshot: ExamSnapshot): void;
  replaced(): void;
  /** The token was refused: no retry will help. */
  refused(reason: string): void;
  /** (Re)connected: resume and flush anything queued. */
  connected(): void;
}

/** A command of the candidate's wire contract (src/shared/commands.ts). */
export type CandidateCommand = keyof CandidateCommands;
/** What request() answers for a command: the result type the contract declares. */
export type CandidateResult<K extends CandidateCommand> = ResultOf<CandidateCommands[K]>;
/**
 * request()'s arguments after the command: the payload as the contract's schema takes it (left out
 * where the schema takes none) and an optional timeout. A wrong payload is a compile error.
 */
export type RequestArgs<K extends CandidateCommand> =
  undefined extends PayloadIn<CandidateCommands[K]>
    ? [payload?: PayloadIn<CandidateCommands[K]>, timeoutMs?: number]
    : [payload: PayloadIn<CandidateCommands[K]>, timeoutMs?: number];
/** Server events a runtime may listen to besides the ones ConnectionHandlers covers. */
export type ServerEvent = Exclude<keyof CandidateServerToClient, 'exam:state' | 'session:replaced'>;

export class CandidateConnection {
  private readonly socket: Socket<CandidateServerToClient, CandidateClientToServer>;

  constructor(token: string, handlers: ConnectionHandlers, url = '/candidate') {
    this.socket = io(url, { auth: { token }, reconnectionDelayMax: 5_000 });
    handlers.status('connecting');
    this.socket.on('connect', () => {
      handlers.status('online');
      handlers.connected();
    });
    this.socket.on('disconnect', (reason) => {
      // The server dropped us on purpose only when replaced; otherwise socket.io reconnects by itself.
      if (reason !== 'io server disconnect') handlers.status('reconnecting');
    });
    this.socket.on('connect_error', (err) => {
      const message = err.message ?? '';
      if (message.startsWith('unauthorised') || message.startsWith('expired')) {
        this.socket.close();
        handlers.refused(message);
      } else handlers.status('reconnecting');
    });
    this.socket.on('exam:state', (s) => handlers.state(s));
    this.socket.on('session:replaced', () => {
      this.socket.close();
      handlers.replaced();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** One command, acknowledged within the timeout; the answer is typed by the wire contract. */
  request<K extends CandidateCommand>(
    command: K,
    ...[payload, timeoutMs = REQUEST_TIMEOUT_MS]: RequestArgs<K>
  ): Promise<CandidateResult<K>> {
    if (!this.socket.connected) return Promise.reject(new RequestError('offline', 'not connected'));
    return new Promise<CandidateResult<K>>((resolve, reject) => {
      // socket.io's typed emit cannot follow a generic command name; the contract above types both ends instead.
      const emit = this.socket.timeout(timeoutMs).emit as unknown as (
        event: K,
        payload: unknown,
        ack: (err: Error | null, response: Response<CandidateResult<K>>) => void,
      ) => void;
      // An absent payload goes as {} (undefined would arrive as null, which no schema takes).
      emit.call(this.socket.timeout(timeoutMs), command, payload ?? {}, (err, response) => {
        if (err) return reject(new RequestError('timeout', `${command} was not acknowledged in time`));
        if ('error' in response)
          return reject(new RequestError(response.error.code, response.error.message, response.error.retryAfterMs, response.error.reason));
        resolve(response.data);
      });
    });
  }

  /** Listens to a server event (thumbs:set, live:*); returns the unsubscribe. */
  on<E extends ServerEvent>(event: E, handler: CandidateServerToClient[E]): () => void {
    const on = this.socket.on.bind(this.socket) as unknown as (event: E, handler: CandidateServerToClient[E]) => void;
    const off = this.socket.off.bind(this.socket) as unknown as (event: E, handler: CandidateServerToClient[E]) => void;
    on(event, handler);
    return () => off(event, handler);
  }

  /**
   * Fire and forget, dropped instead of queued when the link is not ready or still writing (socket.io
   * volatile): for live thumbnails, which must never delay answers, events or recording chunks.
   * Returns whether it was handed to the socket.
   */
  volatile(event: 'thumb:frame', payload: PayloadIn<CandidateCommands['thumb:frame']>): boolean {
    if (!this.socket.connected) return false;
    const engine = this.socket.io.engine as unknown as { writeBuffer?: unknown[] } | undefined;
    if ((engine?.writeBuffer?.length ?? 0) > 0) return false; // something else is waiting to go out: it goes first
    (this.socket.volatile as unknown as { emit(event: 'thumb:frame', payload: unknown): void }).emit(event, payload);
    return true;
  }

  close(): void {
    this.socket.close();
  }
}
