/**
 * Client events on their way to the centre (rule 2.8.4): queued in the durable outbox, numbered
 * in order just before their first send (the numbering is stored before the send, so a resend
 * after a lost ack or a reload carries the same (seq, id) and the server stores it once).
 */
import type { ClientEvent, ClientEventData, ClientEventType } from '../shared/protocol';
import { DurableOutbox, memoryStorage } from './durable-outbox';

export type SendEvent = (event: ClientEvent) => Promise<unknown>;
/**
 * What a refused send means for the event: 'retry' (the link failed: keep it, same seq and id),
 * 'renumber' (the server holds another event under that seq: give it a fresh one), 'drop'
 * (the server will never accept it: keeping it would block every later event) or 'stop'
 * (the exam is closed: keep it, send nothing more now).
 */
export type FailureAction = 'retry' | 'renumber' | 'drop' | 'stop';

type QueuedEvent = Omit<ClientEvent, 'seq'> & { seq?: number };

export function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class EventOutbox {
  private nextSeq: number | null = null;

  /** Without a box: one in memory (tests, and a page without IndexedDB). */
  constructor(
    private readonly now: () => number = () => Date.now(),
    readonly box: DurableOutbox = EventOutbox.memoryBox(),
  ) {}

  private static memoryBox(): DurableOutbox {
    const box = new DurableOutbox(() => 0);
    void box.attach(memoryStorage());
    return box;
  }

  /** The server's next sequence number (from the session snapshot): numbering continues across reloads. */
  setNextSeq(seq: number): void {
    if (this.nextSeq === null || seq > this.nextSeq) this.nextSeq = seq;
  }

  /** Queues an event; returns its id and when it is stored locally (the browser's own record of what it produced). */
  push<K extends ClientEventType>(type: K, data?: ClientEventData[K]): { id: string; stored: Promise<void> } {
    // TS cannot tie `data` to `type` through the spread; the signature above does.
    const event = { id: randomId(), type, at: this.now(), ...(data === undefined ? {} : { data }) } as QueuedEvent;
    return { id: event.id, stored: this.box.add('event', event).stored };
  }

  get size(): number {
    return this.box.status().kinds.event.items;
  }

  /** Events given up as never acceptable, for the page to report. */
  get dropped(): number {
    return this.box.status().kinds.event.dropped;
  }

  /** Sends queued events one at a time, in order; stops at the first failure to retry and keeps the rest. */
  async drain(send: SendEvent, onFailure: (err: unknown) => FailureAction = () => 'retry'): Promise<boolean> {
    return this.box.drain<QueuedEvent>(
      'event',
      (e) => send(e as ClientEvent),
      (err, e) => {
        const action = onFailure(err);
        if (action !== 'renumber') return action;
        return this.nextSeq === null ? 'retry' : { replace: { ...e, seq: this.nextSeq++ } };
      },
      (e) => {
        if (e.seq !== undefined) {
          // Numbered before (maybe by an earlier page): later numbers follow it.
          if (this.nextSeq !== null && e.seq >= this.nextSeq) this.nextSeq = e.seq + 1;
          return e;
        }
        if (this.nextSeq === null) return null;
        return { ...e, seq: this.nextSeq++ };
      },
    );
  }
}
