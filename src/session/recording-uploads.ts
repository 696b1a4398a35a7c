/**
 * Recording chunks on their way to the centre (rules 2.8.5 and 14): each chunk the recorder hands
 * over is hashed, split if it is larger than the centre takes in one message, and queued in the
 * durable outbox. It is numbered just before its first send (numbering continues from the centre's
 * `recording:status` after a reload; the number is stored before the send), and deleted once the
 * centre acknowledged that it is durable.
 */
import type { RecordedChunk } from '../devices/recorder';
import type { RecordingChunk } from '../shared/protocol';
import type { DurableOutbox, OutboxFailure } from './durable-outbox';
import { MAX_RECORDING_CHUNK_BYTES } from '../shared/limits';
import { sha256Hex } from './evidence-uploads';

/** The centre's limit per chunk (from the zod-free limits module, so the candidate bundle stays without zod). */
export const MAX_CHUNK_BYTES = MAX_RECORDING_CHUNK_BYTES;

export type QueuedChunk = Omit<RecordingChunk, 'seq'> & { seq?: number };

/**
 * Cuts a chunk into pieces of at most `max` bytes. Only the first piece keeps the WebM header;
 * the later pieces continue the stream (the centre joins chunks by bytes, so any cut is fine).
 * Time is shared out in proportion to bytes.
 */
export function splitChunk<T extends { bytes: Uint8Array<ArrayBuffer>; startedAt: number; durationMs: number }>(
  chunk: T,
  max = MAX_CHUNK_BYTES,
): T[] {
  const total = chunk.bytes.byteLength;
  if (total <= max) return [chunk];
  const pieces: T[] = [];
  let msSoFar = 0;
  for (let at = 0; at < total; at += max) {
    const end = Math.min(total, at + max);
    const msAtEnd = Math.round((chunk.durationMs * end) / total);
    pieces.push({ ...chunk, bytes: chunk.bytes.slice(at, end), startedAt: chunk.startedAt + msSoFar, durationMs: msAtEnd - msSoFar });
    msSoFar = msAtEnd;
  }
  return pieces;
}

/** The four bytes every WebM run begins with (the EBML magic), as the centre tests them. */
function startsWithEbml(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

export type ChunkFailure = 'retry' | 'renumber' | 'drop' | 'stop';

export class RecordingUploads {
  private nextSeq: number | null = null;

  constructor(private readonly box: DurableOutbox) {}

  /** The centre's next chunk number (`recording:status`): never moves backwards. */
  setNextSeq(seq: number): void {
    if (this.nextSeq === null || seq > this.nextSeq) this.nextSeq = seq;
  }

  /** Hashes and queues a recorded chunk (split if needed); resolves once stored locally, with the hashes of what was queued. */
  async add(chunk: RecordedChunk): Promise<string[]> {
    const hashes: string[] = [];
    const stored: Array<Promise<void>> = [];
    const pieces = splitChunk(chunk);
    const prepared = await Promise.all(pieces.map(async (p) => ({ p, sha256: await sha256Hex(p.bytes) })));
    for (const [i, { p, sha256 }] of prepared.entries()) {
      const queued: QueuedChunk = { sha256, bytes: p.bytes, startedAt: p.startedAt, durationMs: Math.max(0, p.durationMs), mime: p.mime };
      // A run's header piece is the one piece nothing can replace (without it the run cannot be played):
      // it is stored like the others but also kept in memory until the centre acknowledged it.
      stored.push(
        this.box.add('chunk', queued, p.bytes.byteLength, { pinned: i === 0 && (chunk.runStart || startsWithEbml(p.bytes)) }).stored,
      );
      hashes.push(sha256);
    }
    await Promise.all(stored);
    return hashes;
  }

  /**
   * Sends waiting chunks in order while `canSend()` (the centre takes chunks only once the exam
   * started); a conflict (another chunk under that number) renumbers, like events.
   */
  drain(
    send: (chunk: RecordingChunk) => Promise<unknown>,
    onFailure: (err: unknown) => ChunkFailure,
    canSend: () => boolean = () => true,
  ): Promise<boolean> {
    return this.box.drain<QueuedChunk>(
      'chunk',
      (c) => send(c as RecordingChunk),
      (err, c): OutboxFailure<QueuedChunk> => {
        const action = onFailure(err);
        if (action !== 'renumber') return action;
        return this.nextSeq === null ? 'retry' : { replace: { ...c, seq: this.nextSeq++ } };
      },
      (c) => {
        if (!canSend()) return null;
        if (c.seq !== undefined) {
          if (this.nextSeq !== null && c.seq >= this.nextSeq) this.nextSeq = c.seq + 1;
          return c;
        }
        if (this.nextSeq === null) return null;
        return { ...c, seq: this.nextSeq++ };
      },
    );
  }
}
