/**
 * The stored chunks of one recording seen as one byte stream, read lazily: a chunk is loaded
 * when a read reaches it and dropped once the reader has moved past it, so building the
 * seekable file of an hour-long exam holds a chunk or two in memory, not the whole hour.
 */

export interface ChunkRef {
  seq: number;
  bytes: number;
  /** The chunk begins with an EBML header: the first chunk of a MediaRecorder run. */
  header: boolean;
  /** Browser clock when the chunk's recording started, ms. */
  startedAt: number;
}

export type ReadChunk = (seq: number) => Promise<Uint8Array | null>;

export class ChunkWindow {
  /** Offset of each chunk in the stream. */
  readonly starts: number[] = [];
  readonly length: number;
  private readonly loaded = new Map<number, Uint8Array>();

  constructor(
    readonly chunks: readonly ChunkRef[],
    private readonly read: ReadChunk,
  ) {
    let offset = 0;
    for (const c of chunks) {
      this.starts.push(offset);
      offset += c.bytes;
    }
    this.length = offset;
  }

  /** The chunk that holds byte `pos`. */
  indexAt(pos: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async chunk(index: number): Promise<Uint8Array> {
    const cached = this.loaded.get(index);
    if (cached) return cached;
    const ref = this.chunks[index]!;
    const bytes = await this.read(ref.seq);
    if (!bytes || bytes.byteLength !== ref.bytes) throw new Error(`recording chunk ${ref.seq} is missing or has the wrong size`);
    this.loaded.set(index, bytes);
    return bytes;
  }

  /**
   * `n` bytes from `pos` (a view when they lie in one chunk, a copy when they span chunks);
   * fewer when `limit` comes first.
   */
  async bytes(pos: number, n: number, limit = this.length): Promise<Uint8Array> {
    const end = Math.min(pos + n, limit, this.length);
    if (end <= pos) return new Uint8Array(0);
    const first = this.indexAt(pos);
    const buf = await this.chunk(first);
    const local = pos - this.starts[first]!;
    if (local + (end - pos) <= buf.byteLength) return buf.subarray(local, local + (end - pos));
    const parts: Uint8Array[] = [];
    for await (const part of this.range(pos, end)) parts.push(part);
    return Buffer.concat(parts);
  }

  /** The bytes of [start, end) as views into the chunks, in order. */
  async *range(start: number, end: number): AsyncGenerator<Uint8Array> {
    let pos = start;
    while (pos < end) {
      const i = this.indexAt(pos);
      const buf = await this.chunk(i);
      const local = pos - this.starts[i]!;
      const take = Math.min(buf.byteLength - local, end - pos);
      yield buf.subarray(local, local + take);
      pos += take;
    }
  }

  /** Forget the chunks that end at or before `pos` (reads go forward). */
  release(pos: number): void {
    for (const index of this.loaded.keys()) {
      if (this.starts[index]! + this.chunks[index]!.bytes <= pos) this.loaded.delete(index);
    }
  }

  /** First offset in [from, limit) where `pattern` occurs. */
  async find(pattern: Uint8Array, from: number, limit: number): Promise<number> {
    let pos = from;
    while (pos + pattern.length <= limit) {
      const i = this.indexAt(pos);
      const bytes = await this.chunk(i);
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const chunkStart = this.starts[i]!;
      const searchEnd = Math.min(buf.byteLength, limit - chunkStart);
      const k = buf.subarray(0, searchEnd).indexOf(pattern, pos - chunkStart);
      if (k >= 0) return chunkStart + k;
      // A match may straddle this chunk's end.
      for (let p = Math.max(pos, chunkStart + searchEnd - pattern.length + 1); p < chunkStart + searchEnd; p++) {
        const probe = await this.bytes(p, pattern.length, limit);
        if (probe.length === pattern.length && probe.every((b, j) => b === pattern[j])) return p;
      }
      pos = chunkStart + searchEnd;
      this.release(pos);
    }
    return -1;
  }
}
