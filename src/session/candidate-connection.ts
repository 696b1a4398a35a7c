/**
 * The candidate's one socket to the centre (namespace /candidate). Owns the socket.io
 * client: connection status, request/acknowledgement with a timeout, server pushes.
 */
import { io, type Socket } from 'socket.io-client';
import type { CandidateClientToServer, CandidateServerToClient, ExamSnapshot, ProtocolError, Response } from '../shared/protocol';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting';
export const REQUEST_TIMEOUT_MS = 10_000;

export class RequestError extends Error {
  constructor(readonly code: ProtocolError['code'] | 'timeout' | 'offline', message: string) {
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

type Command = keyof CandidateClientToServer;

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

  request<T>(command: Command, payload: unknown = {}, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    if (!this.socket.connected) return Promise.reject(new RequestError('offline', 'not connected'));
    return new Promise<T>((resolve, reject) => {
      const emit = this.socket.timeout(timeoutMs).emit as unknown as (
        event: Command, payload: unknown, ack: (err: Error | null, response: Response<T>) => void,
      ) => void;
      emit.call(this.socket.timeout(timeoutMs), command, payload, (err, response) => {
        if (err) return reject(new RequestError('timeout', `${command} was not acknowledged in time`));
        if ('error' in response) return reject(new RequestError(response.error.code, response.error.message));
        resolve(response.data);
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
