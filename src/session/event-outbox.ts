/**
 * Client events on their way to the centre: numbered in order, kept until the server
 * acknowledges them, resent after a reconnect with the same (seq, id) so the server
 * stores each exactly once. Held in memory here; a durable (IndexedDB) outbox is the
 * next step for surviving reloads.
 */
import type { ClientEvent, ClientEventType } from '../shared/protocol';

export type SendEvent = (event: ClientEvent) => Promise<unknown>;

/**
 * What a refused send means for the event: 'retry' (the link failed: keep it, same seq and id),
 * 'renumber' (the server holds another event under that seq: give it a fresh one) or 'drop'
 * (the server will never accept it: keeping it would block every later event).
 */
export type FailureAction = 'retry' | 'renumber' | 'drop';

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class EventOutbox {
  private readonly queue: Array<Omit<ClientEvent, 'seq'> & { seq?: number }> = [];
  private nextSeq: number | null = null;
  private draining = false;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The server's next sequence number (from the session snapshot): numbering continues across reloads. */
  setNextSeq(seq: number): void {
    if (this.nextSeq === null || seq > this.nextSeq) this.nextSeq = seq;
  }

  push(type: ClientEventType, data?: unknown): void {
    this.queue.push({ id: randomId(), type, at: this.now(), ...(data === undefined ? {} : { data }) });
  }

  get size(): number {
    return this.queue.length;
  }

  /** Events given up as never acceptable, for the page to report. */
  dropped = 0;

  /** Sends queued events one at a time, in order; stops at the first failure to retry and keeps the rest. */
  async drain(send: SendEvent, onFailure: (err: unknown) => FailureAction = () => 'retry'): Promise<void> {
    if (this.draining || this.nextSeq === null) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        head.seq ??= this.nextSeq++;
        try {
          await send(head as ClientEvent);
        } catch (err) {
          const action = onFailure(err);
          if (action === 'retry') return; // kept for the next drain (after reconnect)
          if (action === 'renumber') {
            head.seq = this.nextSeq++;
            continue;
          }
          this.dropped++;
        }
        this.queue.shift();
      }
    } finally {
      this.draining = false;
    }
  }
}
